/**
 * The merged view of an execution and its reruns: per original index, the latest attempt's state
 * and result, and which execution it came from. Reruns of reruns count too (their index maps are
 * composed back to the original's indices).
 */
import type { PollSnapshot } from '../watch/poller.js';
import type { ServiceResponse } from '../client/responses.js';
import type { Journal, JournalEntry, JournalKey } from './journal.js';

/** What the merged view needs of one attempt's poll. */
export type AttemptData = Pick<PollSnapshot, 'items' | 'totalItemCount' | 'result' | 'state'>;

/** One execution of the lineage: the original (map null) or a rerun (its indices → the original's). */
export interface Attempt {
  id: string;
  version: string;
  startedAt: number;
  /** Index in this execution → index in the original; null for the original itself. */
  toOriginal: number[] | null;
}

/** Per original index, the latest attempt: what `export --merged` writes and the app's merged screen shows. */
export interface MergedView {
  totalItemCount: number;
  /** ITEM_CODE of the latest attempt per original index. */
  items: Uint8Array;
  result(index: number): ServiceResponse | undefined;
  /** The execution id the index's latest attempt belongs to. */
  from(index: number): string;
  /** The attempts, oldest first (the original first). */
  attempts: readonly Attempt[];
}

/** The original and every rerun of it (and of its reruns) the journal knows, oldest first, maps composed. */
export function lineageOf(journal: Journal, original: JournalKey & { startedAt?: number }): Attempt[] {
  const out: Attempt[] = [{ id: original.id, version: original.version, startedAt: original.startedAt ?? 0, toOriginal: null }];
  const queue: { key: JournalKey; toOriginal: number[] | null }[] = [{ key: original, toOriginal: null }];
  const seen = new Set([`${original.version}/${original.id}`]);
  while (queue.length) {
    const { key, toOriginal } = queue.shift()!;
    for (const child of journal.reruns(key)) {
      const id = `${child.version}/${child.id}`;
      if (seen.has(id) || !child.indexMap) continue;
      seen.add(id);
      const composed = toOriginal ? child.indexMap.map((i) => toOriginal[i] ?? -1) : child.indexMap;
      out.push({ id: child.id, version: child.version, startedAt: child.startedAt, toOriginal: composed });
      queue.push({ key: child, toOriginal: composed });
    }
  }
  return out.sort((a, b) => (a.toOriginal === null ? -1 : b.toOriginal === null ? 1 : a.startedAt - b.startedAt));
}

/** Merges polls of the attempts (same order as `attempts`): a later attempt of an index wins. */
export function mergeAttempts(attempts: readonly Attempt[], data: readonly AttemptData[]): MergedView {
  const original = data[0];
  const total = original.totalItemCount;
  const owner = new Uint16Array(total);
  const local = Int32Array.from({ length: total }, (_, i) => i);
  const items = Uint8Array.from(original.items.subarray(0, total));
  for (let a = 1; a < attempts.length; a++) {
    const map = attempts[a].toOriginal ?? [];
    const d = data[a];
    for (let j = 0; j < map.length && j < d.totalItemCount; j++) {
      const i = map[j];
      if (i < 0 || i >= total) continue;
      owner[i] = a;
      local[i] = j;
      items[i] = d.items[j] ?? 0;
    }
  }
  return {
    totalItemCount: total,
    items,
    result: (i) => data[owner[i]]?.result(local[i]),
    from: (i) => attempts[owner[i]]?.id ?? '',
    attempts,
  };
}

/** The journal entries of reruns, summed up for the parent's screen: how many, and how the latest went. */
export function rerunsLine(reruns: readonly JournalEntry[]): string | null {
  if (reruns.length === 0) return null;
  const last = reruns[reruns.length - 1];
  const counts = last.counts;
  const failed = counts ? `, ${counts[3] ?? 0} failed` : '';
  const progress = last.total === null ? '' : ` ${last.completed ?? 0}/${last.total}${failed}`;
  const n = reruns.length === 1 ? '1 rerun' : `${reruns.length} reruns`;
  return `${n}, latest ${last.id}: ${last.state ?? 'state unknown'}${progress}`;
}
