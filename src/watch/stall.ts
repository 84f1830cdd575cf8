/**
 * The stall alarm: an execution has stalled when records are running yet none has finished for
 * max(30 s, 10 × the p95 record time). Record times come from the results' start and end times
 * (the embedded server sends them); without any, the gaps between finishes stand in for them
 * (a real ML Server sends no times, and its slow services must not raise the alarm every 30 s).
 * Pure: the caller gives the time, so tests need no clock.
 */
import { ITEM_CODE } from '../protocol.js';
import type { PollSnapshot } from './poller.js';

/** The alarm never sounds sooner than this. */
export const STALL_FLOOR_MS = 30_000;
/** How many p95 record times of silence make a stall. */
export const STALL_FACTOR = 10;
const SAMPLES = 256;
/** Durations read per observation at most (the first poll of a big execution finds thousands). */
const READS_PER_OBSERVATION = 64;

/** What one observation says. */
export interface StallState {
  /** When a record last finished (or watching began), epoch ms; null while no stall. */
  stalledSince: number | null;
  /** True on the observation that found a new stall: ring or warn once, then not again until it clears. */
  fresh: boolean;
  /** The silence that makes a stall now, ms. */
  thresholdMs: number;
}

/** One poll as the watch needs it. */
export interface StallInput {
  items: Uint8Array;
  counts: readonly number[];
  /** The server's finished count (it may lead the per-item view after a counts-only poll). */
  completed: number;
  ended: boolean;
  /**
   * False when the server does not say which records run (a real ML Server): any unfinished
   * record of a running execution then counts as running, since an execution found by id has no
   * parallelCount to infer them from. Default true.
   */
  statesReported?: boolean;
}

function p95(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

/** Follows one execution's finishes across polls and says when it has stalled. */
export class StallWatch {
  private finished = -1;
  private lastFinishAt = 0;
  private lastItems: Uint8Array | null = null;
  private readonly durations: number[] = [];
  private readonly gaps: number[] = [];
  private alarmed = false;

  /** The silence that makes a stall now: max(floor, 10 × p95 record time). */
  get thresholdMs(): number {
    const typical = p95(this.durations.length > 0 ? this.durations : this.gaps);
    return Math.max(STALL_FLOOR_MS, typical === null ? 0 : STALL_FACTOR * typical);
  }

  /** Folds in one poll at time `now`; `durationOf` gives a finished record's run time in ms when known. */
  observe(now: number, poll: StallInput, durationOf?: (index: number) => number | null): StallState {
    const finished = Math.max(poll.completed, poll.counts[ITEM_CODE.Complete] + poll.counts[ITEM_CODE.Failed]);
    if (this.finished < 0) {
      this.finished = finished;
      this.lastFinishAt = now;
    } else if (finished !== this.finished) {
      if (finished > this.finished) this.sample(this.gaps, now - this.lastFinishAt);
      this.finished = finished;
      this.lastFinishAt = now;
      this.alarmed = false;
    }
    if (durationOf) this.readDurations(poll.items, durationOf);
    const running = poll.counts[ITEM_CODE.Running] > 0 || (poll.statesReported === false && finished < poll.items.length);
    const thresholdMs = this.thresholdMs;
    const stalled = !poll.ended && running && now - this.lastFinishAt >= thresholdMs;
    const fresh = stalled && !this.alarmed;
    if (fresh) this.alarmed = true;
    return { stalledSince: stalled ? this.lastFinishAt : null, fresh, thresholdMs };
  }

  private readDurations(items: Uint8Array, durationOf: (index: number) => number | null): void {
    const last = this.lastItems;
    if (items === last) return;
    this.lastItems = items;
    let reads = 0;
    for (let i = 0; i < items.length && reads < READS_PER_OBSERVATION; i++) {
      const code = items[i];
      if ((code !== ITEM_CODE.Complete && code !== ITEM_CODE.Failed) || (last !== null && last[i] === code)) continue;
      reads++;
      const ms = durationOf(i);
      if (ms !== null && Number.isFinite(ms) && ms >= 0) this.sample(this.durations, ms);
    }
  }

  private sample(into: number[], ms: number): void {
    into.push(ms);
    if (into.length > SAMPLES) into.shift();
  }

  /** `observe` for one good poll, record times read from its results (the app and `--wait` alike). */
  observePoll(now: number, snap: PollSnapshot): StallState {
    return this.observe(now, { items: snap.items, counts: snap.counts, completed: snap.completedItemCount, ended: snap.ended, statesReported: snap.itemStatesReported },
      (i) => runTimeOf(snap.result(i)?.raw.startTime, snap.result(i)?.raw.endTime));
  }
}

/** A record's run time from its result's start and end times (ISO 8601), or null when either is missing. */
export function runTimeOf(startTime: string | undefined, endTime: string | undefined): number | null {
  if (!startTime || !endTime) return null;
  const ms = Date.parse(endTime) - Date.parse(startTime);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}
