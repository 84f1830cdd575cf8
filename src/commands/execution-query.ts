/** Reading the execution arguments of a command (see execution-args.ts) into what finds the execution. */
import { LAST, type ExecutionQuery } from '../journal/find-execution.js';
import { EXIT, ExitError } from '../session/exit.js';
import { executionForms, type IndexArgument } from './execution-args.js';

export { LAST };

/** The execution a command names, and the record index after it when the command takes one. */
export interface ExecutionArgs {
  query: ExecutionQuery;
  index?: number;
}

const INDEX = /^\d+$/;

/**
 * `args` as `<service> <version> <id>` or `<id>` alone, followed by an index as `index` says
 * (the count of arguments tells the forms apart); a usage error names both forms otherwise.
 */
export function executionArgs(command: string, args: readonly string[], index: 'required'): Required<ExecutionArgs>;
export function executionArgs(command: string, args: readonly string[], index?: IndexArgument): ExecutionArgs;
export function executionArgs(command: string, args: readonly string[], index: IndexArgument = 'none'): ExecutionArgs {
  const { full, alone } = executionForms(index);
  const forms = `${command} takes ${full}, or ${alone} alone`;
  const n = args.length;
  const hasIndex = index === 'required' || (index === 'optional' && (n === 2 || n === 4));
  const base = hasIndex ? args.slice(0, -1) : args;
  if (base.length !== 1 && base.length !== 3) {
    throw new ExitError(EXIT.usage, `${forms} (${n} argument${n === 1 ? ' was' : 's were'} given)`);
  }
  const query: ExecutionQuery = base.length === 3 ? { service: base[0], version: base[1], id: base[2] } : { id: base[0] };
  if (!hasIndex) return { query };
  const text = args[n - 1];
  const value = Number(text);
  if (!INDEX.test(text) || !Number.isSafeInteger(value)) throw new ExitError(EXIT.usage, `"${text}" is not a record index (a whole number from 0): ${forms}`);
  return { query, index: value };
}
