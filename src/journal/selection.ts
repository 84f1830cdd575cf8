/** Which records a rerun takes: by state, or by an index list such as `3,7-9`. */
import { ITEM_CODE } from '../protocol.js';
import { indicesIn } from '../watch/poll-state.js';

/** The states a rerun can select by. */
export type RerunState = 'Failed' | 'Canceled' | 'Pending';

/** Longest range `--indices` accepts in one part (a typo like `0-99999999999` must not allocate). */
const MAX_RANGE = 10_000_000;

/** An error in an index list; its message names the flag and the bad part. */
export class IndicesError extends Error {
  override readonly name = 'IndicesError';
}

/**
 * Parses `3,7-9` into sorted, distinct indices, each below `total`. The error names `flag` and
 * the part that is wrong (`--indices: "7-x" is not an index or a range like 7-9`).
 */
export function parseIndices(text: string, total: number, flag = '--indices'): number[] {
  const out = new Set<number>();
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new IndicesError(`${flag}: no index given (use e.g. 3,7-9)`);
  for (const part of parts) {
    if (part === '') throw new IndicesError(`${flag}: an empty part in "${text}" (use e.g. 3,7-9)`);
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new IndicesError(`${flag}: "${part}" is not an index or a range like 7-9`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new IndicesError(`${flag}: "${part}" runs backwards (write ${to}-${from})`);
    if (to - from > MAX_RANGE) throw new IndicesError(`${flag}: "${part}" is too long a range`);
    if (to >= total) throw new IndicesError(`${flag}: "${part}" is beyond the last index (${total - 1}; the execution has ${total} records)`);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** The indices whose item is in `state` (Pending: never started), in order. */
export function indicesInState(items: Uint8Array, state: RerunState): number[] {
  return indicesIn(items, ITEM_CODE[state]);
}

/** The records at `indices`, in that order (index i of the new execution is `indices[i]` of the old). */
export function pick<T>(records: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => records[i]);
}
