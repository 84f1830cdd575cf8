/**
 * Poller: watches one execution and reports one snapshot per poll, with no React in sight.
 *
 * ```ts
 * const poller = new Poller(batch, { onUpdate: (s) => store.setState({ exec: s }), signal });
 * const last = await poller.run();  // resolves when the execution ends or `signal` aborts
 * ```
 * Guarantees: polls never overlap; the interval is short while items change, grows while
 * nothing does, and backs off with jitter on errors; a failed poll keeps the last good data
 * and says so (`lastError`, `lastGoodPollAt`); `onUpdate` runs exactly once per poll, so a store
 * does one setState per poll.
 *
 * Cost: when the server's answers carry a cursor (the embedded server), every poll after the
 * first asks only for what changed since; an answer in any doubt is dropped and one full poll
 * follows at once. Without cursors (a real ML Server), polls with every result keep within a
 * bandwidth budget, and counts-only polls in between keep the counts live.
 */
import { isEndedState, type ExecutionState } from '../protocol.js';
import type { Batch } from '../client/batch.js';
import { backoff } from '../client/http.js';
import { realClock, type Clock } from '../client/clock.js';
import { resultCount } from '../client/poll-scan.js';
import { PollState, type ItemCounts, type RunningSource } from './poll-state.js';
import type { ServiceResponse } from '../client/responses.js';

export type { ItemCounts, RunningSource } from './poll-state.js';

/** What the app draws from; a new object per poll, never mutated afterwards (except `items` is shared until the next change). */
export interface PollSnapshot {
  executionId: string;
  /** Execution state; unknown wire states read as `InProgress` (see `rawState`). */
  state: ExecutionState;
  rawState: string;
  /** True once the state is Complete, Failed or Canceled. */
  ended: boolean;
  totalItemCount: number;
  /** The server's count of finished items. */
  completedItemCount: number;
  /** ITEM_CODE per index (see src/protocol.ts); replaced by a new array when anything changes. */
  items: Uint8Array;
  /** Items per ITEM_CODE: `[Pending, Running, Complete, Failed, Canceled]`. */
  counts: ItemCounts;
  /** True only when the server reports every item's state, running records included (nothing guessed). */
  itemStatesReported: boolean;
  /** Whether the Running items are the server's (`reported`), guessed from a known parallelCount (`inferred`), or not known (`unknown`). */
  runningSource: RunningSource;
  /** The execution's parallelCount: the server's, else the one it was started with here; null when unknown. */
  parallelCount: number | null;
  /** Whether `parallelCount` is the server's own word. */
  parallelReported: boolean;
  /** Epoch ms of the last poll that brought per-index results (full or delta); the counts may be newer. */
  resultsAsOf: number | undefined;
  /** Bytes of every answer so far. */
  bytesReceived: number;
  /** Bumped whenever state, counts or any item changed; memoise on it. */
  version: number;
  /** Finished items per second over the recent window (0 until measurable). */
  throughput: number;
  /** Estimated milliseconds to the end, or undefined when unknown. */
  etaMs: number | undefined;
  /** Epoch ms of the last poll that succeeded (undefined before the first). */
  lastGoodPollAt: number | undefined;
  /** The error of the latest poll, cleared by the next good one. */
  lastError: Error | undefined;
  /** Polls failed in a row. */
  consecutiveErrors: number;
  /** Polls done (good or not). */
  polls: number;
  /** Whether the latest good poll carried results or counts only. */
  lastPollKind: 'full' | 'counts' | undefined;
  /** Decodes one index's result on demand (undefined before it has one). */
  result: (index: number) => ServiceResponse | undefined;
}

/** Options of a Poller; intervals in milliseconds. */
export interface PollerOptions {
  /** Called once per poll with a fresh snapshot (default: nothing; read `latest`). */
  onUpdate?: (snapshot: PollSnapshot) => void;
  /** Stops polling (run() then resolves with the last snapshot). */
  signal?: AbortSignal;
  /** Interval while items change (default 500). */
  minIntervalMs?: number;
  /** Interval ceiling while nothing changes (default 5000). */
  maxIntervalMs?: number;
  /** Ceiling of the error backoff (default 30000). */
  maxErrorIntervalMs?: number;
  /**
   * `full` asks for results every poll; `adaptive` (default) asks for counts only while they do
   * not move and for results when they do or every `fullEveryMs`; `counts` never asks for results
   * until the end.
   */
  results?: 'full' | 'adaptive' | 'counts';
  /** Longest time between two full polls in adaptive mode (default 10000). */
  fullEveryMs?: number;
  /** Keep polling after the execution ended (default false: one final full poll, then stop). */
  keepPollingWhenEnded?: boolean;
  /** Per-poll timeout (default: the client's poll timeout). */
  timeoutMs?: number;
  /**
   * Bytes a second that polls with every result may pull from a server without cursors
   * (default 1,000,000): the next one waits until the bytes so far fit in it.
   */
  budgetBytesPerSecond?: number;
  /** Where the intervals and the times it reports come from (default the real clock; tests pass their own). */
  clock?: Clock;
}

/** Default of `budgetBytesPerSecond`. */
export const DEFAULT_POLL_BUDGET = 1_000_000;

const THROUGHPUT_WINDOW_MS = 30_000;

/** Polls one started (or re-attached) Batch until it ends or the signal aborts. */
export class Poller {
  private readonly state: PollState;
  private readonly opts: Required<Omit<PollerOptions, 'signal' | 'timeoutMs' | 'onUpdate' | 'clock'>> & Pick<PollerOptions, 'signal' | 'timeoutMs' | 'onUpdate'>;
  private readonly clock: Clock;
  private current: PollSnapshot;
  private samples: { at: number; done: number }[] = [];
  /** The rate of the window before a failed poll, shown until a new window can be measured. */
  private rateBeforeGap = 0;
  private gap = false;
  /** The cursor of the last answer with results; undefined means the next poll with results is full. */
  private cursor: string | undefined;
  /** Until when the bytes pulled so far use up the budget (a full poll waits for it). */
  private budgetUntil = 0;
  private resultsAsOf: number | undefined;
  private bytes = 0;
  /** A delta was in doubt: the next poll is a full one, whatever the mode. */
  private needFull = false;
  private lastFullAt = 0;
  private fullCompleted = -1;
  /** Whether the latest full poll saw the finished count move since the full poll before it. */
  private fullMoved = false;
  private wake: (() => void) | undefined;
  private nudged = false;
  private running = false;

  constructor(
    private readonly batch: Batch,
    options: PollerOptions = {},
  ) {
    this.opts = {
      minIntervalMs: 500, maxIntervalMs: 5000, maxErrorIntervalMs: 30_000, results: 'adaptive',
      fullEveryMs: 10_000, keepPollingWhenEnded: false, budgetBytesPerSecond: DEFAULT_POLL_BUDGET,
      // An option passed as undefined keeps its default.
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    this.clock = options.clock ?? realClock;
    // An execution re-attached by id without its parallelCount: the default would be a guess.
    this.state = new PollState(batch.parallelCountKnown === false ? null : batch.parallelCount, batch.service.outputs);
    this.current = this.snapshot(undefined, 0, 0, undefined, undefined);
  }

  /** The latest snapshot (also passed to onUpdate). */
  get latest(): PollSnapshot {
    return this.current;
  }

  /** Polls again now (e.g. right after a cancel): cuts the current wait short, or skips the next one. */
  pollNow(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** One full poll outside the loop (e.g. `mlbatch status`); rejects on error, calls onUpdate. */
  async pollOnce(): Promise<PollSnapshot> {
    const poll = await this.batch.poll({ showPartialResults: true, signal: this.opts.signal, timeoutMs: this.opts.timeoutMs });
    this.state.apply(poll, true);
    const now = this.clock.now();
    this.spend(poll.bytes, now);
    this.cursor = poll.ext?.cursor;
    this.resultsAsOf = now;
    this.noteFull(poll.completedItemCount, now);
    this.sample(now);
    this.current = this.snapshot(undefined, 0, this.current.polls + 1, now, 'full');
    this.opts.onUpdate?.(this.current);
    return this.current;
  }

  /** Polls until the execution ends (after one final full poll) or the signal aborts. */
  async run(): Promise<PollSnapshot> {
    if (this.running) throw new Error('this Poller is already running');
    this.running = true;
    const signal = this.opts.signal;
    let interval = this.opts.minIntervalMs;
    let errors = 0;
    let polls = this.current.polls;
    let lastGood = this.current.lastGoodPollAt;
    let kind = this.current.lastPollKind;
    try {
      while (!signal?.aborted) {
        const plan = this.plan();
        const began = this.clock.now();
        let error: Error | undefined;
        let changed = false;
        let doubt = false;
        try {
          const cursor = plan === 'delta' ? this.cursor : undefined;
          const poll = await this.batch.poll({ showPartialResults: plan !== 'counts', signal, timeoutMs: this.opts.timeoutMs, changedSince: cursor });
          const now = this.clock.now();
          this.spend(poll.bytes, began);
          if (poll.ext?.delta) {
            // Only an answer to the cursor just sent is a delta of what is held; anything else is doubt.
            const applied = cursor !== undefined ? this.state.applyDelta(poll) : undefined;
            doubt = applied === undefined;
            changed = applied ?? false;
            this.cursor = doubt ? undefined : poll.ext.cursor;
            this.needFull = doubt;
            if (!doubt) this.resultsAsOf = now;
          } else {
            // After the end, even a counts-only answer carries every result: no extra poll needed.
            const gotFull = plan !== 'counts' || (isEndedState(poll.state) && resultCount(poll) > 0);
            changed = this.state.apply(poll, gotFull);
            if (gotFull) {
              this.needFull = false;
              this.noteFull(poll.completedItemCount, now);
              this.cursor = poll.ext?.cursor;
              this.resultsAsOf = now;
            }
          }
          lastGood = now;
          kind = this.resultsAsOf === now ? 'full' : 'counts';
          errors = 0;
          this.sample(lastGood);
        } catch (err) {
          if (signal?.aborted) break;
          error = err instanceof Error ? err : new Error(String(err));
          errors++;
          this.gap = true;
        }
        polls++;
        this.current = this.snapshot(error, errors, polls, lastGood, kind);
        this.opts.onUpdate?.(this.current);
        const ended = isEndedState(this.state.state) && kind === 'full' && !error && !doubt;
        if (ended && !this.opts.keepPollingWhenEnded) break;
        const took = this.clock.now() - began;
        if (error) interval = backoff(errors, this.opts.minIntervalMs * 2, this.opts.maxErrorIntervalMs);
        else if (changed) interval = this.opts.minIntervalMs;
        else interval = Math.min(this.opts.maxIntervalMs, interval * 1.5);
        // A slow (large) poll is not repeated back to back: wait at least as long as it took.
        // Ended on a counts-only poll: fetch the final results right away.
        // A delta in doubt: one full poll right away.
        await this.wait((isEndedState(this.state.state) && !error) || doubt ? 0 : Math.max(interval, took), signal);
      }
    } finally {
      this.running = false;
    }
    return this.current;
  }

  /** What the next poll asks for: what changed (a cursor is held), everything, or the counts only. */
  private plan(): 'delta' | 'full' | 'counts' {
    const ended = isEndedState(this.state.state);
    if (this.needFull) return 'full';
    if (this.cursor !== undefined && (this.opts.results !== 'counts' || ended)) return 'delta';
    if (!this.wantFull()) return 'counts';
    // The first answer, and the final one, are needed whatever they cost.
    if (this.state.version === 0 || ended) return 'full';
    return this.clock.now() >= this.budgetUntil ? 'full' : 'counts';
  }

  /** Counts an answer's bytes against the budget. */
  private spend(bytes: number | undefined, at: number): void {
    if (bytes === undefined) return;
    this.bytes += bytes;
    const budget = this.opts.budgetBytesPerSecond;
    if (budget > 0 && Number.isFinite(budget)) this.budgetUntil = Math.max(this.budgetUntil, at) + (bytes / budget) * 1000;
  }

  private wantFull(): boolean {
    const { results } = this.opts;
    const ended = isEndedState(this.state.state);
    if (results === 'full' || ended || this.state.version === 0) return true;
    if (results === 'counts') return false;
    // While records finish, every poll is full, so per-state counts never lag the finished count;
    // counts-only polls are for spotting the first change after a quiet spell.
    return this.fullMoved || this.state.completed !== this.fullCompleted
      || this.clock.now() - this.lastFullAt >= this.opts.fullEveryMs;
  }

  private noteFull(completed: number, at: number): void {
    this.fullMoved = this.fullCompleted >= 0 && completed !== this.fullCompleted;
    this.fullCompleted = completed;
    this.lastFullAt = at;
  }

  private sample(now: number): void {
    // After failed polls, the window starts again: an outage is not averaged into the rate.
    if (this.gap) {
      this.gap = false;
      this.rateBeforeGap = this.rate() || this.rateBeforeGap;
      this.samples = [];
    }
    this.samples.push({ at: now, done: this.state.completed });
    while (this.samples.length > 2 && now - this.samples[1].at > THROUGHPUT_WINDOW_MS) this.samples.shift();
  }

  private async wait(ms: number, signal?: AbortSignal): Promise<void> {
    // Woken early by pollNow(): the sleep is cut too, so nothing keeps the process alive.
    if (this.nudged) {
      this.nudged = false;
      return;
    }
    const cut = new AbortController();
    const stop = (): void => cut.abort();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    this.wake = () => {
      this.nudged = false;
      stop();
    };
    try {
      await this.clock.sleep(ms, cut.signal);
    } catch {
      // Cut short by pollNow() or the signal: either way, on to the next poll (or the end).
    } finally {
      signal?.removeEventListener('abort', stop);
      this.wake = undefined;
    }
  }

  /** Finished items a second over the window of good polls (0 until two polls apart). */
  private rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = first && last ? (last.at - first.at) / 1000 : 0;
    return seconds > 0 ? Math.max(0, (last.done - first.done) / seconds) : 0;
  }

  private snapshot(lastError: Error | undefined, consecutiveErrors: number, polls: number,
    lastGoodPollAt: number | undefined, lastPollKind: 'full' | 'counts' | undefined): PollSnapshot {
    const s = this.state;
    const throughput = this.samples.length >= 2 ? this.rate() : this.rateBeforeGap;
    const remaining = Math.max(0, s.total - s.completed);
    const ended = isEndedState(s.state);
    return {
      executionId: this.batch.executionId ?? '',
      state: s.state,
      rawState: s.rawState,
      ended,
      totalItemCount: s.total,
      completedItemCount: s.completed,
      items: s.items,
      counts: s.itemCounts,
      itemStatesReported: s.itemStatesReported,
      runningSource: s.runningSource,
      parallelCount: s.parallelCount,
      parallelReported: s.parallelReported,
      resultsAsOf: this.resultsAsOf,
      bytesReceived: this.bytes,
      version: s.version,
      throughput,
      etaMs: ended ? 0 : throughput > 0 ? (remaining / throughput) * 1000 : undefined,
      lastGoodPollAt,
      lastError,
      consecutiveErrors,
      polls,
      lastPollKind,
      result: (index) => s.result(index),
    };
  }
}
