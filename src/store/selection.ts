/** The visible sequence of indices under a state filter (and an error group), cached per data version. */
import { ITEM_CODE, type ItemState } from '../protocol.js';
import type { GroupFilter } from './types.js';
import { firstWhere } from '../analysis/search.js';

let cache: { states: Uint8Array | null; version: number; filter: ItemState | null; group: Int32Array | null; out: Int32Array | null } = {
  states: null,
  version: -1,
  filter: null,
  group: null,
  out: null,
};

/** Indices whose state matches the filter (within the group, if any), or null when every index shows. */
export function visibleIndices(
  states: Uint8Array,
  version: number,
  filter: ItemState | null,
  group: GroupFilter | null | undefined = null,
): Int32Array | null {
  if (filter === null && !group) return null;
  const within = group?.indices ?? null;
  if (cache.states === states && cache.version === version && cache.filter === filter && cache.group === within) return cache.out;
  const code = filter === null ? -1 : ITEM_CODE[filter];
  const keep = (i: number) => code < 0 || states[i] === code;
  let out: Int32Array;
  if (within) {
    out = code < 0 ? within : within.filter(keep);
  } else {
    let n = 0;
    for (let i = 0; i < states.length; i++) if (states[i] === code) n++;
    out = new Int32Array(n);
    for (let i = 0, j = 0; i < states.length; i++) if (states[i] === code) out[j++] = i;
  }
  cache = { states, version, filter, group: within, out };
  return out;
}

/** Length of the visible sequence. */
export function visibleLength(states: Uint8Array, version: number, filter: ItemState | null, group: GroupFilter | null | undefined = null): number {
  const v = visibleIndices(states, version, filter, group);
  return v ? v.length : states.length;
}

/** The record index at a position of the visible sequence, or -1 when there is none. */
export function indexAt(
  states: Uint8Array,
  version: number,
  filter: ItemState | null,
  position: number,
  group: GroupFilter | null | undefined = null,
): number {
  const v = visibleIndices(states, version, filter, group);
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
  group: GroupFilter | null | undefined = null,
): number {
  const v = visibleIndices(states, version, filter, group);
  if (!v) return index;
  return Math.min(firstWhere(0, v.length, (i) => v[i] >= index), Math.max(0, v.length - 1));
}
