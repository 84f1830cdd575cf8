/** The watch of the screen's execution: its poller, each poll into the store, the stall alarm and end notice, cancel. */
import { ErrorGrouper, snapshotSource } from '../analysis/error-groups.js';
import type { Batch } from '../client/batch.js';
import type { Client } from '../client/client.js';
import { isFinalError } from '../client/errors.js';
import { assertNever, type BatchRecord } from '../protocol.js';
import { errorText } from '../session/error-text.js';
import type { AppStore } from '../store/app-store.js';
import type { ExecRef } from '../store/types.js';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { StallWatch } from '../watch/stall.js';
import type { KeptRecords } from './kept-records.js';
import { FRESH_WATCH, pollStep, type StepContext, type WatchEffect } from './poll-step.js';

/** What the watch needs of the controller that owns it. */
export interface WatchHost {
  readonly store: AppStore;
  requireClient(): Client;
  /** The journal's writer of an execution's progress (undefined without a journal). */
  readonly journal: { noter(ref: ExecRef): ((s: PollSnapshot) => void) | undefined };
}

/** How the watch polls (tests and benches shorten it, and give the stall alarm their own clock). */
export interface WatchOptions {
  minPollMs?: number;
  pollBudget?: number;
  now?: () => number;
}

interface Attached {
  ref: ExecRef;
  batch: Batch;
  abort: AbortController;
  poller: Poller;
  records?: readonly BatchRecord[];
}

/** The controller's watch actions, kept apart to keep each file small. */
export class WatchFlows {
  private attached: Attached | null = null;
  /** The attached execution's error groups, once a screen asked for them (followed from then on). */
  private grouping: { id: string; grouper: ErrorGrouper } | null = null;

  constructor(
    private readonly c: WatchHost,
    private readonly kept: KeptRecords,
    private readonly options: WatchOptions,
    /** Called once a poll's answer cannot change by waiting (e.g. 404): polling has stopped. */
    private readonly onGone: (ref: ExecRef, error: Error) => void,
  ) {}

  /** Stops polling. */
  stop(): void {
    this.attached?.abort.abort();
    this.attached = null;
  }

  /** Polls an already started batch into the store, one step per poll (see poll-step.ts). */
  start(ref: ExecRef, batch: Batch, records?: readonly BatchRecord[], partial = true, parallelCount: number | null = batch.parallelCount): void {
    this.attached?.abort.abort();
    const abort = new AbortController();
    const { store } = this.c;
    const stall = new StallWatch();
    const clock = this.options.now ?? Date.now;
    const note = this.c.journal.noter(ref);
    const base = { ref, startedAt: Date.now(), parallelCount, records };
    let memory = FRESH_WATCH;
    if (this.grouping?.id !== ref.id) this.grouping = null;
    store.getState().setPartial(partial);
    const onUpdate = (snap: PollSnapshot) => {
      if (abort.signal.aborted) return;
      if (snap.lastError) return this.pollFailed(ref, snap.lastError, abort);
      const top = store.getState().stack.at(-1);
      const shown = top?.kind === 'execution' && top.ref.id === ref.id;
      // The header's times are wall-clock ones, as the poller's are; only the stall alarm's clock is given.
      const ctx: StepContext = { ...base, alarm: stall.observePoll(clock(), snap), shown, now: Date.now() };
      const step = pollStep(snap, memory, ctx);
      memory = step.memory;
      // The journal first: whatever the store's change wakes finds it up to date.
      note?.(snap);
      store.getState().applyPoll(step.patch, step.changed);
      if (this.grouping?.id === ref.id) this.regroup(snap);
      for (const effect of step.effects) this.perform(effect);
    };
    const poller = new Poller(batch, {
      onUpdate,
      signal: abort.signal,
      results: partial ? 'adaptive' : 'counts',
      minIntervalMs: this.options.minPollMs ?? 500,
      maxIntervalMs: 2000,
      maxErrorIntervalMs: 10_000,
      budgetBytesPerSecond: this.options.pollBudget,
    });
    this.attached = { ref, batch, abort, poller, records };
    if (records) this.kept.keep(ref.id, records);
    poller.run().catch((err: unknown) => store.getState().pollFailed(errorText(err)));
  }

  private pollFailed(ref: ExecRef, error: Error, abort: AbortController): void {
    if (!isFinalError(error)) return void this.c.store.getState().pollFailed(errorText(error));
    // Waiting cannot change a 404 (or a refusal): stop, and say what is unknown.
    abort.abort();
    this.onGone(ref, error);
  }

  private perform(effect: WatchEffect): void {
    const s = this.c.store.getState();
    switch (effect.kind) {
      case 'bell':
        return s.ringBell();
      case 'status':
        return s.setStatus(effect.text);
      default:
        assertNever(effect);
    }
  }

  /** Groups the attached execution's failures into the store, and follows them from then on. */
  groupErrors(ref: ExecRef): void {
    const a = this.attached;
    if (!a || a.ref.id !== ref.id) return;
    if (this.grouping?.id !== ref.id) this.grouping = { id: ref.id, grouper: new ErrorGrouper() };
    this.regroup(a.poller.latest);
  }

  private regroup(snap: PollSnapshot): void {
    const g = this.grouping;
    // A poller restarted (partial results toggled) has no poll yet: its empty states are no news.
    if (!g || snap.polls === 0) return;
    const changed = g.grouper.update(snap.items, snapshotSource(snap));
    if (changed || this.c.store.getState().errors === null) this.c.store.getState().setErrors(g.grouper.groups);
  }

  /** Asks the server to cancel the attached execution (never retried), then polls at once. */
  async cancel(): Promise<void> {
    const a = this.attached;
    if (!a) return;
    try {
      await a.batch.cancel();
      this.c.store.getState().setStatus(`Cancel requested for execution ${a.ref.id}`);
      a.poller.pollNow();
    } catch (err) {
      this.c.store.getState().setStatus(`Cancel failed: ${errorText(err)}`, 'error');
    }
  }

  /** Polls the attached execution anew with partial results on or off. */
  setPartial(partial: boolean): void {
    const a = this.attached;
    if (!a) return;
    this.start(a.ref, a.batch, a.records, partial);
    this.c.store.getState().setStatus(partial ? 'Partial results on' : 'Partial results off: counts only until the end');
  }

  /** The Batch of an execution: the attached one, or a new handle re-attached by id. */
  async batchOf(ref: ExecRef): Promise<Batch> {
    if (this.attached && this.attached.ref.id === ref.id) return this.attached.batch;
    const service = await this.c.requireClient().getService(ref.service, ref.version);
    return service.getBatch(ref.id);
  }

  /** The records the attached execution was started with, when it is `ref` and they are known. */
  recordsOf(ref: ExecRef): readonly BatchRecord[] | undefined {
    return this.attached?.ref.id === ref.id ? this.attached.records : undefined;
  }
}
