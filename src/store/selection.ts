/** The visible sequence of indices under a state filter, cached per data version. */
import { ITEM_CODE, type ItemState } from '../protocol.js';

let cache: { states: Uint8Array | null; version: number; filter: ItemState | null; out: Int32Array | null } = {
  states: null,
  version: -1,
  filter: null,
  out: null,
};

/** Indices whose state matches the filter, or null when every index shows (no filter). */
export function visibleIndices(
  states: Uint8Array,
  version: number,
  filter: ItemState | null,
): Int32Array | null {
  if (filter === null) return null;
  if (cache.states === states && cache.version === version && cache.filter === filter) return cache.out;
  const code = ITEM_CODE[filter];
  let n = 0;
  for (let i = 0; i < states.length; i++) if (states[i] === code) n++;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < states.length; i++) if (states[i] === code) out[j++] = i;
  cache = { states, version, filter, out };
  return out;
}

/** Length of the visible sequence. */
export function visibleLength(states: Uint8Array, version: number, filter: ItemState | null): number {
  const v = visibleIndices(states, version, filter);
  return v ? v.length : states.length;
}

/** The record index at a position of the visible sequence, or -1 when there is none. */
export function indexAt(
  states: Uint8Array,
  version: number,
  filter: ItemState | null,
  position: number,
): number {
  const v = visibleIndices(states, version, filter);
  const length = v ? v.length : states.length;
  if (position < 0 || position >= length) return -1;
  return v ? v[position] : position;
}

/** The position of a record index in the visible sequence (the nearest at or after it). */
export function positionOf(
  states: Uint8Array,
  version: number,
  filter: ItemState | null,
  index: number,
): number {
  const v = visibleIndices(states, version, filter);
  if (!v) return index;
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v[mid] < index) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, v.length - 1));
}
