/**
 * The headless commands' flags: the global ones and the parsers of numbers and indices. Light on
 * purpose (commander only): every command registers with these before anything is parsed.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { ConnectionFlags } from '../session/connection-options.js';

/** Global flags every command sees. */
export interface GlobalFlags extends ConnectionFlags {
  json?: boolean;
}

/** The command's own options merged with the program's global ones. */
export function flagsOf<T>(command: Command): T & GlobalFlags {
  return command.optsWithGlobals() as T & GlobalFlags;
}

/** Parses a whole number ≥ min for a flag, with a usage error naming the flag. */
export function wholeNumber(flag: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${flag} takes a whole number of at least ${min}, not "${value}"`);
    }
    return n;
  };
}
