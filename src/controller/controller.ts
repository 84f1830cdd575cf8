/** The app's actions against a server: polling into the store, cancel, artifacts and downloads. */
import { resolve } from 'node:path';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { ErrorGrouper, snapshotSource } from '../analysis/error-groups.js';
import { runTimeOf, StallWatch } from '../watch/stall.js';
import type { Batch } from '../client/batch.js';
import type { Client } from '../client/client.js';
import type { Service } from '../client/service.js';
import { ITEM_CODE, type BatchRecord, type WebService } from '../protocol.js';
import type { AppStore } from '../store/app-store.js';
import { artifactsKey } from '../store/resources.js';
import type { ExecRef, ResourceName } from '../store/types.js';
import type { AppActions } from '../actions.js';
import { errorText } from '../session/error-text.js';
import { isFinalError } from '../client/errors.js';
import { describeNotFound } from '../client/not-found.js';
import { loadComparison } from './compare.js';
import { DownloadFlows } from './download-flows.js';
import { Loads } from './loads.js';
import { detailOf, latestEnd } from './poll-detail.js';
import { ServiceFlows } from './service-flows.js';
import type { FlowHost } from './flow-host.js';
import { JournalFlows } from './journal-flows.js';
import type { Journal } from '../journal/journal.js';

/** Options of the controller. */
export interface ControllerOptions {
  /** Where downloads go: `<dir>/<execution id>/<index>/<file>`. */
  downloadDir?: string;
  /** Poll interval floor (tests and benches may shorten it). */
  minPollMs?: number;
  /** Bytes a second full polls may pull from a server without cursors (default: the Poller's). */
  pollBudget?: number;
  /** How often a list of executions with running ones is listed again (default 3 s). */
  listRefreshMs?: number;
  /** Where executions are recorded (none: nothing is). */
  journal?: Journal | null;
  /** The clock of the stall alarm (tests give their own). */
  now?: () => number;
  onQuit: () => void;
}

const MAX_TEXT_BYTES = 2 * 1024 * 1024;
/** Batches started here whose records are kept, for a comparison's inputs (the server never returns them). */
const KEPT_RECORDS = 4;

/** Implements AppActions; code outside React updates the store only through its actions. */
export class Controller implements AppActions, FlowHost {
  client: Client | null;
  private attached: { ref: ExecRef; batch: Batch; abort: AbortController; poller: Poller; records?: readonly BatchRecord[] } | null = null;
  private lastVersion = -1;
  private readonly recordsById = new Map<string, readonly BatchRecord[]>();
  /** The attached execution's error groups, once a screen asked for them (followed from then on). */
  private grouping: { id: string; grouper: ErrorGrouper } | null = null;
  private readonly services: ServiceFlows;
  private readonly downloads: DownloadFlows;
  readonly downloadDir: string;
  readonly loads: Loads;
  readonly listRefreshMs: number;
  /** Why the app ended on its own (the execution it was opened on does not exist), or null. */
  failure: unknown = null;
  readonly journal: JournalFlows;

  constructor(
    readonly store: AppStore,
    client: Client | null,
    private readonly options: ControllerOptions,
  ) {
    this.client = client;
    this.downloadDir = resolve(options.downloadDir ?? 'mlbatch-downloads');
    this.listRefreshMs = options.listRefreshMs ?? 3000;
    this.loads = new Loads(store);
    this.services = new ServiceFlows(this);
    this.downloads = new DownloadFlows(this);
    this.journal = new JournalFlows(this, options.journal ?? null);
  }

  quit(): void {
    this.stop();
    this.options.onQuit();
  }

  /** Stops polling and every load (on quit). */
  stop(): void {
    this.stopPolling();
    this.loads.stopAll();
  }

  private stopPolling(): void {
    this.attached?.abort.abort();
    this.attached = null;
  }

  /** The connected client, or an error naming what to do. */
  requireClient(): Client {
    if (!this.client) throw new Error('not connected: log in first');
    return this.client;
  }

  /** Attaches to an execution: opens its screen and starts polling it. */
  attach(ref: ExecRef, records?: readonly BatchRecord[]): void {
    this.store.getState().push({ kind: 'execution', ref });
    void this.attachData(ref, records).then((err) => {
      if (isFinalError(err)) this.leave(ref, err);
    });
  }

  /**
   * An execution that cannot be watched (it, its version or its service is unknown): inside the
   * app, back to the screen it was opened from, with the message; opened on it, the app ends and
   * `failure` says why.
   */
  private leave(ref: ExecRef, err: unknown): void {
    // The store's state is read anew each time: a pop replaces it (an old one's stack never shrinks).
    const onIt = (screen = this.store.getState().stack.at(-1)) => (screen?.kind === 'execution' || screen?.kind === 'index') && screen.ref.id === ref.id;
    while (this.store.getState().stack.length > 1 && onIt()) this.store.getState().pop();
    if (onIt()) {
      this.failure = err;
      this.quit();
      return;
    }
    this.store.getState().setStatus(errorText(err), 'error');
  }

  /**
   * Starts polling without touching the screen stack (used when the app opens on an execution).
   * Resolves to the error that stopped it (also shown in the status line), or undefined.
   */
  async attachData(ref: ExecRef, records?: readonly BatchRecord[], partial = true): Promise<unknown> {
    this.stopPolling();
    const s = this.store.getState();
    s.attach(ref);
    try {
      const client = this.requireClient();
      const service = await client.getService(ref.service, ref.version).catch(async (err: unknown) => {
        throw await describeNotFound(client, ref, err, 'service');
      });
      // The journal keeps the records of executions started here: the index screen shows their inputs.
      const known = records ?? this.journal.recordsOf(ref);
      // An execution found by id: the server never says what parallelCount it was started with.
      this.startPolling(ref, service.getBatch(ref.id), known, partial, null);
      return undefined;
    } catch (err) {
      // A final answer is not a connection to wait for: no "reconnecting" under it.
      if (!isFinalError(err)) this.store.getState().pollFailed(errorText(err));
      this.store.getState().setStatus(errorText(err), 'error');
      return err ?? new Error('cannot attach');
    }
  }

  /** Polls an already started batch into the store. */
  startPolling(ref: ExecRef, batch: Batch, records?: readonly BatchRecord[], partial = true, parallelCount: number | null = batch.parallelCount): void {
    this.attached?.abort.abort();
    const abort = new AbortController();
    const startedAt = Date.now();
    let firstItemStart: number | null = null;
    let endedAt: number | null = null;
    let sawUnfinished = false;
    const stall = new StallWatch();
    const now = this.options.now ?? Date.now;
    if (this.grouping?.id !== ref.id) this.grouping = null;
    this.lastVersion = -1;
    const note = this.journal.noter(ref);
    this.store.getState().setPartial(partial);
    const onUpdate = (snap: PollSnapshot) => {
      if (abort.signal.aborted) return;
      if (snap.lastError && isFinalError(snap.lastError)) {
        // Waiting cannot change a 404 (or a refusal): stop, and say what is unknown.
        abort.abort();
        const client = this.client;
        const described = client ? describeNotFound(client, ref, snap.lastError, 'execution') : Promise.resolve(snap.lastError);
        void described.then((err) => this.leave(ref, err));
        return;
      }
      if (snap.lastError) {
        this.store.getState().pollFailed(errorText(snap.lastError));
        return;
      }
      if (firstItemStart === null) {
        const t = Date.parse(snap.result(0)?.raw.startTime ?? '');
        if (Number.isFinite(t)) firstItemStart = t;
      }
      if (snap.ended && endedAt === null) {
        // Attached to an execution that had already ended: its end is in its results, not now
        // (otherwise elapsed would count the time since, and the rate would sink with it).
        endedAt = (sawUnfinished ? null : latestEnd(snap)) ?? snap.lastGoodPollAt ?? Date.now();
      }
      const endedNow = snap.ended && sawUnfinished;
      if (!snap.ended) sawUnfinished = true;
      note?.(snap);
      const alarm = stall.observe(now(), { items: snap.items, counts: snap.counts, completed: snap.completedItemCount, ended: snap.ended, statesReported: snap.itemStatesReported },
        (i) => runTimeOf(snap.result(i)?.raw.startTime, snap.result(i)?.raw.endTime));
      const changed = snap.version !== this.lastVersion;
      this.lastVersion = snap.version;
      this.store.getState().applyPoll(
        {
          state: snap.state,
          total: snap.totalItemCount,
          completed: snap.completedItemCount,
          // The server's word, else what this app started it with; 0 shows as unknown.
          parallelCount: snap.parallelCount ?? parallelCount ?? 0,
          runningSource: snap.runningSource,
          resultsAsOf: snap.resultsAsOf ?? null,
          states: snap.items,
          counts: snap.counts,
          startedAt: firstItemStart ?? startedAt,
          endedAt,
          throughput: snap.throughput,
          etaMs: snap.etaMs ?? null,
          lastGoodPollAt: snap.lastGoodPollAt ?? null,
          stalledSince: alarm.stalledSince,
          detail: changed ? (i) => detailOf(snap, i, records) : undefined,
        },
        changed,
      );
      if (this.grouping?.id === ref.id) this.regroup(snap);
      if (alarm.fresh) this.store.getState().ringBell();
      if (endedNow) {
        sawUnfinished = false;
        this.noticeEnd(ref, snap);
      }
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
    if (records) this.keepRecords(ref.id, records);
    poller.run().catch((err: unknown) => this.store.getState().pollFailed(errorText(err)));
  }

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
    if (changed || this.store.getState().errors === null) this.store.getState().setErrors(g.grouper.groups);
  }

  /** An execution ended while another screen was shown: the status line says so, and the bell rings once. */
  private noticeEnd(ref: ExecRef, snap: PollSnapshot): void {
    const s = this.store.getState();
    const top = s.stack.at(-1);
    if (top?.kind === 'execution' && top.ref.id === ref.id) return;
    const failed = snap.counts[ITEM_CODE.Failed];
    // The id's first part: the whole line fits in 80 columns (the execution screen shows the full id).
    s.setStatus(`Execution ${ref.id.slice(0, 8)} (${ref.service} ${ref.version}) ended: ${snap.state}, ${snap.completedItemCount}/${snap.totalItemCount} done${failed ? `, ${failed} failed` : ''}`);
    s.ringBell();
  }

  async cancelExecution(): Promise<void> {
    const a = this.attached;
    if (!a) return;
    try {
      await a.batch.cancel();
      this.store.getState().setStatus(`Cancel requested for execution ${a.ref.id}`);
      a.poller.pollNow();
    } catch (err) {
      this.store.getState().setStatus(`Cancel failed: ${errorText(err)}`, 'error');
    }
  }

  setPartial(partial: boolean): void {
    const a = this.attached;
    if (!a) return;
    this.startPolling(a.ref, a.batch, a.records, partial);
    this.store.getState().setStatus(partial ? 'Partial results on' : 'Partial results off: counts only until the end');
  }

  loadArtifacts(ref: ExecRef, index: number): void {
    void this.loads.run('artifacts', artifactsKey(ref, index), async (signal) => {
      try {
        return await (await this.batchOf(ref)).listArtifacts(index, { signal });
      } catch (err) {
        if (!signal.aborted) this.store.getState().setStatus(`Listing artifacts of index ${index} failed: ${errorText(err)}`, 'error');
        throw err;
      }
    });
  }

  loadComparison(a: ExecRef, b: ExecRef): void {
    loadComparison(this, a, b, (id) => this.recordsById.get(id));
  }

  private keepRecords(id: string, records: readonly BatchRecord[]): void {
    this.recordsById.delete(id);
    this.recordsById.set(id, records);
    for (const old of this.recordsById.keys()) if (this.recordsById.size > KEPT_RECORDS) this.recordsById.delete(old);
  }

  release(resource: ResourceName): void {
    this.loads.release(resource);
  }

  /** The text of an artifact, refused when it is binary or too large to page. */
  async readArtifactText(ref: ExecRef, index: number, fileName: string): Promise<string> {
    const bytes = await (await this.batchOf(ref)).artifact(index, fileName);
    if (bytes.length > MAX_TEXT_BYTES) throw new Error(`${fileName} is ${bytes.length} bytes: too large to view, download it with d`);
    if (bytes.includes(0)) throw new Error(`${fileName} is not text (${bytes.length} bytes): download it with d`);
    return bytes.toString('utf8');
  }

  /** Resolves once the pager opened or the refusal was said (or dropped, the screen being left). */
  viewArtifact(ref: ExecRef, index: number, fileName: string): Promise<void> {
    // Whatever answers once the index screen was left belongs to no screen: it is dropped.
    const stillThere = () => {
      const top = this.store.getState().stack.at(-1);
      return top?.kind === 'index' && top.index === index && top.ref.id === ref.id;
    };
    return this.readArtifactText(ref, index, fileName).then(
      (text) => void (stillThere() && this.store.getState().push({ kind: 'pager', title: `${index}/${fileName}`, text })),
      (err: unknown) => void (stillThere() && this.store.getState().setStatus(errorText(err), 'error')),
    );
  }

  downloadArtifacts(ref: ExecRef, index: number, fileNames?: string[]): void {
    this.downloads.artifacts(ref, index, fileNames);
  }

  downloadAll(ref: ExecRef): void {
    this.downloads.all(ref);
  }

  /** The Batch of an execution: the attached one, or a new handle re-attached by id. */
  async batchOf(ref: ExecRef): Promise<Batch> {
    if (this.attached && this.attached.ref.id === ref.id) return this.attached.batch;
    const service = await this.requireClient().getService(ref.service, ref.version);
    return service.getBatch(ref.id);
  }

  connect(host: string, user: string, password: string): Promise<boolean> {
    return this.services.connect(host, user, password);
  }

  loadServices(): void {
    this.services.loadServices();
  }

  loadExecutions(service?: WebService): void {
    this.services.loadExecutions(service);
  }

  loadLineage(ref: ExecRef): void {
    this.journal.loadLineage(ref);
  }

  loadMerged(ref: ExecRef): void {
    this.journal.loadMerged(ref);
  }

  /** Starts the rerun, then shows it in place of its parent's screen (back goes where the parent's did). */
  async rerun(ref: ExecRef, indices: number[]): Promise<void> {
    const known = this.attached?.ref.id === ref.id ? this.attached.records : undefined;
    const started = await this.journal.rerun(ref, indices, known);
    if (!started) return;
    const s = this.store.getState();
    const screen = { kind: 'execution' as const, ref: started.ref };
    if (s.pop()) s.push(screen);
    else s.replaceAll(screen);
    s.attach(started.ref, started.batch.parallelCount);
    this.startPolling(started.ref, started.batch, started.records);
    s.setStatus(`Rerunning ${indices.length} record${indices.length === 1 ? '' : 's'} as ${started.ref.id}`);
  }

  loadPreview(service: WebService, file: string): void {
    this.services.loadPreview(service, file);
  }

  startBatch(service: WebService, file: string, parallelCount: number): Promise<void> {
    return this.services.startBatch(service, file, parallelCount);
  }

  /** Looks up a Service object of the connected client. */
  service(def: WebService): Promise<Service> {
    return this.requireClient().getService(def.name, def.version);
  }
}
