/** Coerces one input value (from a CSV cell or a JSON value) to its declared ML Server type. */
import type { ParameterType } from '../protocol.js';
import { isObject } from '../client/decode.js';
import { nestedDeeperThan, TOO_DEEP } from './nesting.js';

/** A coerced value, or why it cannot be one. */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const bad = (problem: string): Coerced => ({ ok: false, problem });

const TRUE = /^(true|t|yes|y|1)$/i;
const FALSE = /^(false|f|no|n|0)$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseJsonCell(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Coerces `value` to `type`. `fromText` marks a CSV/TSV cell, where every value is a string and
 * arrays/objects are written as JSON.
 */
export function coerceValue(value: unknown, type: ParameterType, fromText: boolean): Coerced {
  if (fromText && typeof value === 'string') {
    const text = value.trim();
    if (text === '' && type !== 'character') return bad(`is empty; expected ${type}`);
    if (type === 'vector' || type === 'matrix' || type === 'data.frame') {
      const parsed = parseJsonCell(text);
      if (parsed === undefined) return bad(`${show(value)} is not JSON; expected ${type} written as JSON`);
      return coerceValue(parsed, type, false);
    }
    if (type === 'character') return ok(value);
    value = text;
  }
  if (value === null || value === undefined) return bad(`is missing; expected ${type}`);
  // Checked before anything below walks it recursively (showing it, or sending it).
  if (nestedDeeperThan(value)) return bad(TOO_DEEP);
  switch (type) {
    case 'integer': {
      const n = typeof value === 'string' && /^[+-]?\d+(\.0*)?$/.test(value) ? Number(value) : value;
      return typeof n === 'number' && Number.isInteger(n) ? ok(n) : bad(`${show(value)} is not an integer`);
    }
    case 'numeric': {
      // Decimal notation only: Number() would also take "0x1A", "0b11" or "1_000"-like surprises.
      const n = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? ok(n) : bad(`${show(value)} is not a number (numeric)`);
    }
    case 'logical':
      if (typeof value === 'boolean') return ok(value);
      if (typeof value === 'number' && (value === 0 || value === 1)) return ok(value === 1);
      if (typeof value === 'string' && TRUE.test(value)) return ok(true);
      if (typeof value === 'string' && FALSE.test(value)) return ok(false);
      return bad(`${show(value)} is not a logical (true/false)`);
    case 'character':
      if (typeof value === 'string') return ok(value);
      if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
      return bad(`${show(value)} is not a character string`);
    case 'vector':
      return Array.isArray(value) ? ok(value) : bad(`${show(value)} is not a vector (a JSON array)`);
    case 'matrix':
      return Array.isArray(value) && value.every(Array.isArray)
        ? ok(value) : bad(`${show(value)} is not a matrix (an array of arrays)`);
    case 'data.frame':
      if (isObject(value) && Object.values(value).every(Array.isArray)) return ok(value);
      return bad(`${show(value)} is not a data.frame (an object of column arrays)`);
    default: {
      // Exhaustive at compile time; a type from a newer server is sent as is.
      const unknownType: never = type;
      void unknownType;
      return ok(value);
    }
  }
}
