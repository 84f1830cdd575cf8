/**
 * Takes one value of a records file (a CSV/TSV cell, or a JSON value) as its declared ML Server
 * type, by the input rules of protocol.ts: what it refuses, the server would refuse alike.
 */
import { checkInput, jsonValueOf, type Coerced, type ParameterType } from '../protocol.js';

export type { Coerced } from '../protocol.js';

/**
 * Coerces `value` to `type`. `fromText` marks a CSV/TSV cell, where every value is a string and
 * arrays/objects are written as JSON.
 */
export function coerceValue(value: unknown, type: ParameterType, fromText: boolean): Coerced {
  if (fromText && typeof value === 'string') {
    const text = value.trim();
    if (text === '' && type !== 'character') return { ok: false, problem: `is empty; expected ${type}` };
    // Text that is not JSON is checked as it is, so it is refused in the words the server would use.
    if (type === 'vector' || type === 'matrix' || type === 'data.frame') {
      const parsed = jsonValueOf(text);
      if (parsed !== undefined) value = parsed;
    } else if (type !== 'character') value = text;
  }
  // The server takes null as NA; in a records file an empty or null value is more likely a slip.
  if (value === null || value === undefined) return { ok: false, problem: `is missing; expected ${type}` };
  return checkInput(type, value);
}
