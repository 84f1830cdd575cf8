'use strict';
/** Turns a value into one that survives JSON unchanged: NaN/±Infinity/undefined → null, etc. */
function jsonSafe(value, seen = new Set()) {
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
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value, (v) => jsonSafe(v, seen));
    if (Array.isArray(value) || value instanceof Set) return Array.from(value, (v) => jsonSafe(v, seen));
    if (value instanceof Map) value = Object.fromEntries(value);
    else if (typeof value.toJSON === 'function') return jsonSafe(value.toJSON(), seen);
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

module.exports = { jsonSafe };
