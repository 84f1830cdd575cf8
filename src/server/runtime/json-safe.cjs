'use strict';
// Deeper values could not be serialised for the way back (as in the Python worker).
const MAX_DEPTH = 200;

/** Turns a value into one that survives JSON unchanged: NaN/±Infinity/undefined → null, etc. */
function jsonSafe(value, seen = new Set(), depth = 0) {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  if (seen.has(value)) throw new Error('it contains a circular reference');
  if (depth >= MAX_DEPTH) throw new Error(`it is nested more than ${MAX_DEPTH} levels deep`);
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value, (v) => jsonSafe(v, seen, depth + 1));
    if (Array.isArray(value) || value instanceof Set) return Array.from(value, (v) => jsonSafe(v, seen, depth + 1));
    if (value instanceof Map) value = Object.fromEntries(value);
    else if (typeof value.toJSON === 'function') return jsonSafe(value.toJSON(), seen, depth + 1);
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, seen, depth + 1);
    return out;
  } finally {
    seen.delete(value);
  }
}

module.exports = { jsonSafe };
