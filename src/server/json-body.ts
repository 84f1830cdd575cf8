/**
 * Request bodies as JSON. `JSON.parse` turns a number too large for a double (`1e999`) into
 * Infinity, which JSON cannot carry back out (it becomes null): such a literal is kept as an
 * `OutOfRangeNumber` holding the text that was sent, so the input check can refuse it by name.
 */
import { randomBytes } from 'node:crypto';

/** A number literal of the request whose value is beyond ±1.8e308 (as sent, e.g. `1e999`). */
export class OutOfRangeNumber {
  constructor(readonly text: string) {}
}

// Written the usual way, a literal overflows only with an exponent of three digits; bodies without
// one (nearly all) take the plain JSON.parse path. (Testing for a run of 300 digits too costs
// several times more; such a literal still arrives as Infinity and is refused, unquoted.)
const MAYBE_OUT_OF_RANGE = /[eE]\+?\d{3}/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses a request body; out-of-range number literals become `OutOfRangeNumber`s. */
export function parseJsonBody(text: string): unknown {
  if (!MAYBE_OUT_OF_RANGE.test(text)) return JSON.parse(text);
  const found = outOfRangeLiterals(text);
  if (found.length === 0) return JSON.parse(text);
  // Each such literal becomes a string carrying a tag no sender can guess, turned back below.
  const tag = `\u0000out-of-range-${randomBytes(8).toString('hex')}:`;
  let marked = '';
  let at = 0;
  for (const [start, end] of found) {
    marked += text.slice(at, start) + JSON.stringify(tag + text.slice(start, end));
    at = end;
  }
  marked += text.slice(at);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(tag) ? new OutOfRangeNumber(value.slice(tag.length)) : value,
  );
}

/** [start, end) of every number literal outside strings whose value is not finite. */
function outOfRangeLiterals(text: string): [number, number][] {
  const found: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = afterString(text, i);
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m) {
        if (!Number.isFinite(Number(m[0]))) found.push([i, i + m[0].length]);
        i += m[0].length;
        continue;
      }
    }
    i++;
  }
  return found;
}

/** The index after the string that opens at `start` (the end of text when it never closes). */
function afterString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return text.length;
}
