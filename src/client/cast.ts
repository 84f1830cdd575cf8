/** Casts output values by their declared ML Server type; a value that does not fit is kept as sent. */
import { type ParameterDefinition, type ParameterType } from '../protocol.js';
import { isObject } from './decode.js';

// R services answer scalars as one-element vectors; unwrap those for scalar types.
function scalar(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

function toNumber(value: unknown, integer: boolean): unknown {
  const v = scalar(value);
  if (typeof v === 'number') return integer && Number.isFinite(v) ? Math.trunc(v) : v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return integer ? Math.trunc(n) : n;
    if (/^(NaN|NA)$/i.test(v.trim())) return Number.NaN;
  }
  return v;
}

function toBoolean(value: unknown): unknown {
  const v = scalar(value);
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    if (/^(true|t|yes)$/i.test(v)) return true;
    if (/^(false|f|no)$/i.test(v)) return false;
  }
  return v;
}

function toColumns(value: unknown): unknown {
  if (isObject(value)) return value;
  // A data.frame serialised by rows (`[{a:1,b:2}, ...]`) becomes columns, the documented form.
  if (Array.isArray(value) && value.every(isObject)) {
    const cols: Record<string, unknown[]> = {};
    value.forEach((row, i) => {
      for (const [k, v] of Object.entries(row)) (cols[k] ??= new Array(value.length).fill(null))[i] = v;
    });
    return cols;
  }
  return value;
}

/** Casts one value to the JavaScript form of `type` (see PROTOCOL.md "Parameter types"). */
export function castValue(value: unknown, type: ParameterType): unknown {
  if (value === null || value === undefined) return value;
  switch (type) {
    case 'integer':
      return toNumber(value, true);
    case 'numeric':
      return toNumber(value, false);
    case 'logical':
      return toBoolean(value);
    case 'character': {
      const v = scalar(value);
      return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
    }
    case 'vector':
      return Array.isArray(value) ? value : [value];
    case 'matrix':
      return Array.isArray(value) && value.every(Array.isArray) ? value
        : Array.isArray(value) ? value.map((row) => [row]) : value;
    case 'data.frame':
      return toColumns(value);
    default: {
      // Exhaustive at compile time; at run time a type from a newer server passes through.
      const unknownType: never = type;
      void unknownType;
      return value;
    }
  }
}

/** Casts every declared output; outputs the schema does not declare are kept as sent. */
export function castOutputs(
  raw: Record<string, unknown>,
  schema: readonly ParameterDefinition[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const def of schema) {
    const key = def.name in raw ? def.name
      : Object.keys(raw).find((k) => k.toLowerCase() === def.name.toLowerCase());
    if (key !== undefined) {
      const v = castValue(raw[key], def.type);
      if (key !== def.name) delete out[key];
      out[def.name] = v;
    }
  }
  return out;
}
