/**
 * How many colours a terminal type has, read from its compiled terminfo entry (the file `tput
 * colors` reads): no dependency, and no heuristics on the name (supports-color, which chalk
 * uses, takes any `vt100` for a colour terminal; its terminfo entry has none).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where terminfo entries live, in ncurses' order of search. */
export function terminfoDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.TERMINFO) dirs.push(env.TERMINFO);
  if (env.HOME ?? homedir()) dirs.push(join(env.HOME ?? homedir(), '.terminfo'));
  for (const d of (env.TERMINFO_DIRS ?? '').split(':')) if (d) dirs.push(d);
  dirs.push('/etc/terminfo', '/lib/terminfo', '/usr/share/terminfo', '/usr/lib/terminfo', '/usr/share/lib/terminfo');
  return dirs;
}

const MAX_COLORS = 13;
const LEGACY_MAGIC = 0o432;
const WIDE_MAGIC = 0o1036;

/** The `colors` number of a compiled terminfo entry: -1 when it has none, undefined when the bytes are no entry. */
export function colorsOfEntry(bytes: Buffer): number | undefined {
  if (bytes.length < 12) return undefined;
  const magic = bytes.readInt16LE(0);
  if (magic !== LEGACY_MAGIC && magic !== WIDE_MAGIC) return undefined;
  const namesSize = bytes.readInt16LE(2);
  const boolCount = bytes.readInt16LE(4);
  const numCount = bytes.readInt16LE(6);
  if (namesSize < 0 || boolCount < 0 || numCount <= MAX_COLORS) return numCount >= 0 ? -1 : undefined;
  let at = 12 + namesSize + boolCount;
  at += at % 2; // numbers start on an even byte
  const size = magic === WIDE_MAGIC ? 4 : 2;
  const pos = at + MAX_COLORS * size;
  if (pos + size > bytes.length) return undefined;
  return size === 4 ? bytes.readInt32LE(pos) : bytes.readInt16LE(pos);
}

/** Colours of terminal type `term` per its terminfo entry, or undefined when no entry is found. */
export function terminfoColors(term: string | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (!term || /[/\\]/.test(term) || term.startsWith('.')) return undefined;
  // Entries sit under their first letter (Linux) or its hex code (macOS).
  const subdirs = [term[0], term.charCodeAt(0).toString(16)];
  for (const dir of terminfoDirs(env)) {
    for (const sub of subdirs) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(dir, sub, term));
      } catch {
        continue;
      }
      return colorsOfEntry(bytes);
    }
  }
  return undefined;
}
