/**
 * Checks and coerces a record's inputs against the service's `inputParameterDefinitions`, the
 * same way for every runtime, before anything runs: numeric → number, integer → whole number,
 * logical → boolean, character → string, vector → array, matrix → array of equal-length arrays,
 * data.frame → object of equal-length column arrays. Numeric and logical text ("110", "true")
 * is accepted, as records read from CSV often carry it. A missing or null input stays so (NA).
 * Fields the service does not declare are passed on untouched (records may carry extra columns).
 * Every field, declared or not, is first checked for nesting depth and out-of-range numbers: a
 * value nested thousands deep would overflow the stack wherever it is serialised next.
 */
import { assertNever, type BatchRecord, type ParameterDefinition, type ParameterType } from '../protocol.js';
import { badRequest } from './errors.js';
import { OutOfRangeNumber } from './json-body.js';

type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const bad = (type: ParameterType, value: unknown, shape: string): Coerced => ({
  ok: false,
  problem: `must be ${type} (${shape}), got ${show(value)}`,
});

/** How many problems one 400 lists before saying how many more there are. */
const MAX_LISTED = 5;

function show(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = Array.isArray(value) ? '[...]' : String(value);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Why `value` cannot be passed on (nested deeper than `maxDepth`, or an out-of-range number). */
export function valueProblem(value: unknown, maxDepth: number, depth = 0): string | undefined {
  const verb = depth === 0 ? 'is' : 'holds';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : `${verb} a number out of range (${RANGE})`;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (value instanceof OutOfRangeNumber) return `${verb} ${value.text}, a number out of range (${RANGE})`;
  if (depth >= maxDepth) return `is nested deeper than the limit maxInputDepth (${maxDepth} levels)`;
  const items = Array.isArray(value) ? value : Object.values(value as object);
  for (const item of items) {
    const problem = valueProblem(item, maxDepth, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

const RANGE = 'numbers must be finite, within ±1.8e308';

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  // Decimal text only: Number() would also take '0x1F', '0b1' and 'Infinity'.
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function sameLengths(arrays: unknown[][]): boolean {
  return arrays.every((a) => a.length === arrays[0].length);
}

/** `value` as `type`, or why it cannot be one. */
export function coerceInput(type: ParameterType, value: unknown): Coerced {
  switch (type) {
    case 'numeric': {
      const n = numberOf(value);
      return n !== undefined ? ok(n) : bad(type, value, 'a number');
    }
    case 'integer': {
      const n = numberOf(value);
      return n !== undefined && Number.isSafeInteger(n) ? ok(n) : bad(type, value, 'a whole number');
    }
    case 'logical':
      if (typeof value === 'boolean') return ok(value);
      if (value === 0 || value === 1) return ok(value === 1);
      if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) {
        return ok(value.trim().toLowerCase() === 'true');
      }
      return bad(type, value, 'true or false');
    case 'character':
      if (typeof value === 'string') return ok(value);
      if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
      return bad(type, value, 'a string');
    case 'vector':
      return Array.isArray(value) ? ok(value) : bad(type, value, 'a JSON array');
    case 'matrix':
      return Array.isArray(value) && value.every(Array.isArray) && sameLengths(value)
        ? ok(value)
        : bad(type, value, 'an array of equal-length arrays');
    case 'data.frame': {
      const isColumns =
        typeof value === 'object' && value !== null && !Array.isArray(value) &&
        Object.values(value).every(Array.isArray) && sameLengths(Object.values(value) as unknown[][]);
      return isColumns ? ok(value) : bad(type, value, 'an object of equal-length column arrays');
    }
    default:
      return assertNever(type);
  }
}

/** The record with its declared inputs coerced, or the problems, each naming the input or field. */
export function coerceRecord(
  defs: readonly ParameterDefinition[],
  record: BatchRecord,
  maxDepth: number,
): { record: BatchRecord; problems: string[] } {
  let out: BatchRecord | undefined;
  const problems: string[] = [];
  let unfit: Set<string> | undefined;
  for (const key in record) {
    const problem = valueProblem(record[key], maxDepth);
    if (!problem) continue;
    const label = defs.some((d) => d.name === key) ? 'input' : 'field';
    problems.push(`${label} '${key.length > 60 ? `${key.slice(0, 57)}...` : key}' ${problem}`);
    (unfit ??= new Set()).add(key);
  }
  for (const { name, type } of defs) {
    if (!Object.hasOwn(record, name) || unfit?.has(name)) continue;
    const value = record[name];
    if (value === null) continue;
    const c = coerceInput(type, value);
    if (!c.ok) problems.push(`input '${name}' ${c.problem}`);
    else if (c.value !== value) (out ??= { ...record })[name] = c.value;
  }
  return { record: out ?? record, problems };
}

/** One consume's inputs, coerced; 400 naming every bad input. */
export function checkConsumeInputs(
  defs: readonly ParameterDefinition[],
  record: BatchRecord,
  maxDepth: number,
): BatchRecord {
  const { record: coerced, problems } = coerceRecord(defs, record, maxDepth);
  if (problems.length > 0) throw badRequest(problems.join('; '));
  return coerced;
}

/** A batch's records, coerced in place; 400 naming the first bad records (0-based) and inputs. */
export function checkBatchInputs(
  defs: readonly ParameterDefinition[],
  records: BatchRecord[],
  maxDepth: number,
): BatchRecord[] {
  const listed: string[] = [];
  let badRecords = 0;
  for (let i = 0; i < records.length; i++) {
    const { record, problems } = coerceRecord(defs, records[i], maxDepth);
    if (problems.length === 0) {
      records[i] = record;
      continue;
    }
    badRecords++;
    if (listed.length < MAX_LISTED) listed.push(`record ${i}: ${problems.join('; ')}`);
  }
  if (badRecords > 0) {
    const more = badRecords > listed.length ? `; and ${badRecords - listed.length} more records` : '';
    throw badRequest(`${listed.join('; ')}${more} (records are counted from 0)`);
  }
  return records;
}
