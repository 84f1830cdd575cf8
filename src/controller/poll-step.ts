/**
 * One good poll of the watched execution as a pure step: from the snapshot and what the watch
 * remembered, the store's next data and what else the user should notice (a bell, a status line).
 */
import { ITEM_CODE, type BatchRecord } from '../protocol.js';
import type { PollSnapshot as StoredPoll } from '../store/app-store.js';
import type { ExecRef } from '../store/types.js';
import type { PollSnapshot } from '../watch/poller.js';
import type { StallState } from '../watch/stall.js';
import { detailOf, latestEnd, timeOf } from './poll-detail.js';

/** What the watch of one execution remembers from one poll to the next. */
export interface WatchMemory {
  /** When its first record started (epoch ms), once a result said so. */
  firstItemStart: number | null;
  /** When it ended (epoch ms), once it did. */
  endedAt: number | null;
  /** Whether a poll found it unfinished since it was attached (only then is its end news). */
  sawUnfinished: boolean;
  /** The snapshot version last stored (-1 before the first poll). */
  version: number;
}

/** The memory of a watch before its first poll. */
export const FRESH_WATCH: WatchMemory = { firstItemStart: null, endedAt: null, sawUnfinished: false, version: -1 };

/** What a step needs besides the snapshot: facts of the watch and of this moment. */
export interface StepContext {
  ref: ExecRef;
  /** When watching began (epoch ms): the start shown until a result tells the first record's. */
  startedAt: number;
  /** The parallelCount this app started it with, or null (an execution found by id). */
  parallelCount: number | null;
  /** The records of a batch started here: the index screen shows them as inputs. */
  records?: readonly BatchRecord[];
  /** This poll's stall observation (`StallWatch.observePoll`). */
  alarm: StallState;
  /** Whether the execution's own screen is on top: its end then needs no notice. */
  shown: boolean;
  /** The time (epoch ms) an ended execution's end falls back to when no poll time says better. */
  now: number;
}

/** Something the user should notice after a good poll, besides what the store shows. */
export type WatchEffect =
  /** Ring the terminal bell once. */
  | { kind: 'bell' }
  /** Say something in the status line. */
  | { kind: 'status'; text: string };

/** What one good poll does: the next memory, the store's data (`changed` false keeps its version), the effects in order. */
export interface PollStep {
  memory: WatchMemory;
  patch: StoredPoll;
  changed: boolean;
  effects: WatchEffect[];
}

/** One good poll (no `lastError`) folded into the watch: a pure function of its arguments. */
export function pollStep(snap: PollSnapshot, prev: WatchMemory, ctx: StepContext): PollStep {
  const firstItemStart = prev.firstItemStart ?? timeOf(snap.result(0)?.raw.startTime);
  // Attached to an execution that had already ended: its end is in its results, not now
  // (otherwise elapsed would count the time since, and the rate would sink with it).
  const endedAt = prev.endedAt ?? (snap.ended ? ((prev.sawUnfinished ? null : latestEnd(snap)) ?? snap.lastGoodPollAt ?? ctx.now) : null);
  const endedNow = snap.ended && prev.sawUnfinished;
  const changed = snap.version !== prev.version;
  const patch: StoredPoll = {
    state: snap.state,
    total: snap.totalItemCount,
    completed: snap.completedItemCount,
    // The server's word, else what this app started it with; 0 shows as unknown.
    parallelCount: snap.parallelCount ?? ctx.parallelCount ?? 0,
    runningSource: snap.runningSource,
    resultsAsOf: snap.resultsAsOf ?? null,
    states: snap.items,
    counts: snap.counts,
    startedAt: firstItemStart ?? ctx.startedAt,
    endedAt,
    throughput: snap.throughput,
    etaMs: snap.etaMs ?? null,
    lastGoodPollAt: snap.lastGoodPollAt ?? null,
    stalledSince: ctx.alarm.stalledSince,
    detail: changed ? (i) => detailOf(snap, i, ctx.records) : undefined,
  };
  const effects: WatchEffect[] = [];
  if (ctx.alarm.fresh) effects.push({ kind: 'bell' });
  // Ended while another screen was shown: the status line says so, and the bell rings once.
  if (endedNow && !ctx.shown) effects.push({ kind: 'status', text: endNotice(ctx.ref, snap) }, { kind: 'bell' });
  const sawUnfinished = !endedNow && (prev.sawUnfinished || !snap.ended);
  return { memory: { firstItemStart, endedAt, sawUnfinished, version: snap.version }, patch, changed, effects };
}

/** The status line of an execution that ended: `Execution 1a2b3c4d (svc 1.0) ended: Complete, 40/40 done, 2 failed`. */
export function endNotice(ref: ExecRef, snap: PollSnapshot): string {
  const failed = snap.counts[ITEM_CODE.Failed];
  // The id's first part: the whole line fits in 80 columns (the execution screen shows the full id).
  return `Execution ${ref.id.slice(0, 8)} (${ref.service} ${ref.version}) ended: ${snap.state}, ${snap.completedItemCount}/${snap.totalItemCount} done${failed ? `, ${failed} failed` : ''}`;
}
