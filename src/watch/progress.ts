/** One execution's progress, computed one way for the app's header, the plain line and `status`. */
import { ITEM_CODE } from '../protocol.js';

/** What progress is computed from: a poll snapshot or the app's execution data. */
export interface ProgressInput {
  total: number;
  /** The server's own count of finished items (it moves even while per-item results are off). */
  completed: number;
  /** Items per ITEM_CODE. */
  counts: readonly number[];
  ended: boolean;
  /** Items finished per second over the recent window (0 until measurable). */
  throughput: number;
  /** Estimated milliseconds to the end, when known. */
  etaMs?: number | null;
  /** How long the run took, once it ended and when known. */
  elapsedMs?: number | null;
  /** The latest poll failed: rate and ETA are stale then, so none is given. */
  stale?: boolean;
}

/** Progress of one execution. */
export interface Progress {
  total: number;
  /** Complete, failed and canceled items: none of them will change any more. */
  finished: number;
  /** Whole percent of `total` finished, floored: 99.6 % is not done. */
  percent: number;
  pending: number;
  running: number;
  complete: number;
  failed: number;
  canceled: number;
  /** Items per second (the recent window while running, the whole run once ended); null when not measured or while polls fail. */
  rate: number | null;
  /** Milliseconds to the end; null once ended, when unknown, or while polls fail. */
  etaMs: number | null;
}

/** Computes finished, percentage, rate and ETA; every progress display goes through it. */
export function progressOf(input: ProgressInput): Progress {
  const count = (code: number) => Math.max(0, input.counts[code] ?? 0);
  const complete = count(ITEM_CODE.Complete);
  const failed = count(ITEM_CODE.Failed);
  const canceled = count(ITEM_CODE.Canceled);
  const total = Math.max(0, input.total);
  // The server's count leads the per-item counts after a counts-only poll; it leaves canceled out.
  const ran = Math.min(total, Math.max(input.completed, complete + failed));
  const finished = Math.min(total, ran + canceled);
  const percent = total > 0 ? Math.floor((finished * 100) / total) : input.ended ? 100 : 0;
  const elapsed = input.elapsedMs ?? 0;
  // Once ended, the recent window means nothing (often 0/s): the whole run's average does. Canceled
  // records never ran, so they do not count towards it.
  let rate: number | null = null;
  if (input.ended) rate = elapsed > 0 ? (ran * 1000) / elapsed : null;
  else if (input.throughput > 0) rate = input.throughput;
  const eta = input.stale ? null : input.etaMs;
  return {
    total,
    finished,
    percent,
    pending: count(ITEM_CODE.Pending),
    running: count(ITEM_CODE.Running),
    complete,
    failed,
    canceled,
    rate: input.stale ? null : rate,
    etaMs: input.ended || eta === null || eta === undefined || !Number.isFinite(eta) || eta < 0 ? null : eta,
  };
}
