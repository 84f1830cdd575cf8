/**
 * The input rules of both sides: what a value of each ML Server parameter type is, how deep a
 * value may nest, which numbers JSON can carry, and the words that say why a value is refused.
 * The client checks records files with them before sending (src/records) and the embedded server
 * checks request bodies with them (src/server/inputs.ts), so the client refuses exactly what the
 * server would. Re-exported by protocol.ts; imports nothing of src/.
 */

/** A parameter's declared type, as ML Server spells it. */
export type ParameterType =
  | 'logical'
  | 'numeric'
  | 'integer'
  | 'character'
  | 'vector'
  | 'matrix'
  | 'data.frame';

/** Every parameter type, in the order ML Server documents them. */
export const PARAMETER_TYPES: readonly ParameterType[] = [
  'logical',
  'numeric',
  'integer',
  'character',
  'vector',
  'matrix',
  'data.frame',
];

/**
 * Levels of arrays and objects one input value may nest (`[1]` is one level, `[[1]]` two): the
 * embedded server refuses deeper ones, and the client refuses them before sending. A matrix or
 * data frame needs two or three; thousands overflow the stack of whatever walks them recursively.
 */
export const MAX_INPUT_DEPTH = 64;

/** A value taken as its declared type, or the words (after the input's name) saying why it cannot be. */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * A number literal beyond ±1.8e308, as it was written (`1e999`). `JSON.parse` makes it Infinity,
 * which JSON cannot carry back out (it becomes null): `parseJson` keeps it as this instead, so
 * the check refuses it by what was written.
 */
export class OutOfRangeNumber {
  constructor(readonly text: string) {}
}

// Written the usual way, a literal overflows only with an exponent of three digits; texts without
// one (nearly all) take the plain JSON.parse path. (Testing for a run of 300 digits too costs
// several times more; such a literal still arrives as Infinity and is refused, unquoted.)
const MAYBE_OUT_OF_RANGE = /[eE]\+?\d{3}/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON like `JSON.parse` (throwing alike), but out-of-range number literals become `OutOfRangeNumber`s. */
export function parseJson(text: string): unknown {
  if (!MAYBE_OUT_OF_RANGE.test(text)) return JSON.parse(text);
  const found = outOfRangeLiterals(text);
  if (found.length === 0) return JSON.parse(text);
  // Each such literal becomes a string carrying a tag no sender can guess, turned back below.
  const nonce = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  const tag = `\u0000out-of-range-${nonce}:`;
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

/** The value of JSON `text` as `parseJson` reads it, or undefined when the text is not JSON. */
export function jsonValueOf(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

/** True for a JSON object (not an array, null or an out-of-range number): a record, or a data frame. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof OutOfRangeNumber);
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

const RANGE = 'numbers must be finite, within ±1.8e308';

function numberProblem(value: unknown, verb: 'is' | 'holds'): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${verb} a number out of range (${RANGE})`;
  if (value instanceof OutOfRangeNumber) return `${verb} ${value.text}, a number out of range (${RANGE})`;
  return undefined;
}

/**
 * Why `value` cannot be sent whatever its type (nested more than `maxDepth` levels, or holding a
 * number out of range), or undefined. It walks without recursion, so any depth is safe to ask about.
 */
export function valueProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): string | undefined {
  const top = numberProblem(value, 'is');
  if (top !== undefined || (!isJsonObject(value) && !Array.isArray(value))) return top;
  const open: object[] = [value];
  const depths: number[] = [1];
  while (open.length > 0) {
    const v = open.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return `is nested more than ${maxDepth} levels deep (arrays or objects within each other)`;
    const items: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if ((typeof item !== 'object' && typeof item !== 'number') || item === null) continue;
      const problem = numberProblem(item, 'holds');
      if (problem !== undefined) return problem;
      if (typeof item === 'object') {
        open.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/**
 * `value` taken as `type`, or why it cannot be one (words to follow the input's name): numeric
 * and integer from numbers or decimal text (an integer a safe one, within ±(2^53 - 1)), logical
 * from booleans, 0/1 or true/false/t/f/yes/no/y/n text, character from text, numbers or booleans,
 * vector from an array, matrix from an array of equal-length arrays, data.frame from an object of
 * equal-length column arrays. Null (NA) is taken as it is; `valueProblem` is checked first.
 */
export function checkInput(type: ParameterType, value: unknown, maxDepth = MAX_INPUT_DEPTH): Coerced {
  if (value === null) return ok(null);
  const problem = valueProblem(value, maxDepth);
  return problem !== undefined ? { ok: false, problem } : coerce(type, value);
}

const ok = (value: unknown): Coerced => ({ ok: true, value });
const bad = (type: ParameterType, shape: string, value: unknown, but?: string): Coerced => ({
  ok: false,
  problem: `must be ${type} (${shape}), ${but ?? `got ${show(value)}`}`,
});

const TRUE = /^\s*(true|t|yes|y|1)\s*$/i;
const FALSE = /^\s*(false|f|no|n|0)\s*$/i;
// Decimal text only: Number() would also take '0x1F', '0b1', '' and 'Infinity'.
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function coerce(type: ParameterType, value: unknown): Coerced {
  switch (type) {
    case 'numeric': {
      const n = numberOf(value);
      return n !== undefined ? ok(n) : bad(type, 'a number', value);
    }
    case 'integer': {
      const n = numberOf(value);
      if (n === undefined || !Number.isInteger(n)) return bad(type, 'a whole number', value);
      // Past 2^53 a double skips whole numbers: 9007199254740993 arrives as 9007199254740992.
      return Number.isSafeInteger(n) ? ok(n) : bad(type, `a whole number within ±${Number.MAX_SAFE_INTEGER}`, value);
    }
    case 'logical':
      if (typeof value === 'boolean') return ok(value);
      if (value === 0 || value === 1) return ok(value === 1);
      if (typeof value === 'string' && TRUE.test(value)) return ok(true);
      if (typeof value === 'string' && FALSE.test(value)) return ok(false);
      return bad(type, 'true or false', value);
    case 'character':
      if (typeof value === 'string') return ok(value);
      if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
      return bad(type, 'a string', value);
    case 'vector':
      return Array.isArray(value) ? ok(value) : bad(type, 'a JSON array', value);
    case 'matrix': {
      const shape = 'an array of equal-length arrays';
      if (!Array.isArray(value) || !value.every(Array.isArray)) return bad(type, shape, value);
      const rows = value as unknown[][];
      const i = rows.findIndex((row) => row.length !== rows[0].length);
      return i < 0 ? ok(value) : bad(type, shape, value, `but row ${i} has ${count(rows[i].length)} and row 0 has ${rows[0].length}`);
    }
    case 'data.frame': {
      const shape = 'an object of equal-length column arrays';
      if (!isJsonObject(value) || !Object.values(value).every(Array.isArray)) return bad(type, shape, value);
      const columns = Object.entries(value) as [string, unknown[]][];
      const uneven = columns.find(([, c]) => c.length !== columns[0][1].length);
      return !uneven ? ok(value) : bad(type, shape, value,
        `but column ${show(uneven[0])} has ${count(uneven[1].length)} and column ${show(columns[0][0])} has ${columns[0][1].length}`);
    }
    default: {
      // Exhaustive at compile time; a type from a newer server is passed on as it is.
      const unknownType: never = type;
      void unknownType;
      return ok(value);
    }
  }
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const count = (n: number) => `${n} value${n === 1 ? '' : 's'}`;

/** A value as JSON, cut to 40 characters. */
function show(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = Array.isArray(value) ? '[...]' : String(value);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
