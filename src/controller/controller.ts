/** The app's actions against a server: a thin facade over one flow per concern. */
import { resolve } from 'node:path';
import type { Batch } from '../client/batch.js';
import type { Client } from '../client/client.js';
import type { Service } from '../client/service.js';
import type { BatchRecord, WebService } from '../protocol.js';
import type { AppStore } from '../store/app-store.js';
import type { ExecRef, ResourceName } from '../store/types.js';
import type { AppActions } from '../actions.js';
import type { Journal } from '../journal/journal.js';
import { ArtifactFlows } from './artifact-flows.js';
import { AttachFlows } from './attach-flows.js';
import { loadComparison } from './compare.js';
import { ContextFlows } from './context-flows.js';
import { DownloadFlows } from './download-flows.js';
import type { FlowHost } from './flow-host.js';
import { JournalFlows } from './journal-flows.js';
import { KeptRecords } from './kept-records.js';
import { Loads } from './loads.js';
import { ServiceFlows } from './service-flows.js';
import { WatchFlows } from './watch-flows.js';

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
  /** The context the client is connected in (null: a host no context has); the journal records it. */
  context?: string | null;
  /** Where contexts and their saved logins are read (default the process's environment: the XDG dirs). */
  env?: NodeJS.ProcessEnv;
  /** The clock of the stall alarm (tests give their own). */
  now?: () => number;
  onQuit: () => void;
}

/** Implements AppActions; code outside React updates the store only through its actions. */
export class Controller implements AppActions, FlowHost {
  client: Client | null;
  /** The context of `client` (null: none); whoever connects the client to another context sets both. */
  context: string | null;
  readonly downloadDir: string;
  readonly loads: Loads;
  readonly listRefreshMs: number;
  readonly journal: JournalFlows;
  /** Records of batches started here, for a comparison's inputs. */
  private readonly kept = new KeptRecords();
  private readonly watch: WatchFlows;
  private readonly attaching: AttachFlows;
  private readonly artifacts: ArtifactFlows;
  private readonly services: ServiceFlows;
  private readonly downloads: DownloadFlows;
  private readonly contexts: ContextFlows;

  constructor(
    readonly store: AppStore,
    client: Client | null,
    private readonly options: ControllerOptions,
  ) {
    this.client = client;
    this.context = options.context ?? null;
    this.downloadDir = resolve(options.downloadDir ?? 'mlbatch-downloads');
    this.listRefreshMs = options.listRefreshMs ?? 3000;
    this.loads = new Loads(store);
    this.journal = new JournalFlows(this, options.journal ?? null);
    this.watch = new WatchFlows(this, this.kept, options, (ref, err) => this.attaching.gone(ref, err));
    this.attaching = new AttachFlows(this, this.watch);
    this.artifacts = new ArtifactFlows(this);
    this.services = new ServiceFlows(this);
    this.downloads = new DownloadFlows(this);
    this.contexts = new ContextFlows(this, options.env ?? process.env);
  }

  /** Why the app ended on its own (the execution it was opened on does not exist), or null. */
  get failure(): unknown {
    return this.attaching.failure;
  }

  quit(): void {
    this.stop();
    this.options.onQuit();
  }

  /** Stops polling and every load (on quit). */
  stop(): void {
    this.watch.stop();
    this.loads.stopAll();
  }

  /** The connected client, or an error naming what to do. */
  requireClient(): Client {
    if (!this.client) throw new Error('not connected: log in first');
    return this.client;
  }

  /** Looks up a Service object of the connected client. */
  service(def: WebService): Promise<Service> {
    return this.requireClient().getService(def.name, def.version);
  }

  /** The Batch of an execution: the attached one, or a new handle re-attached by id. */
  batchOf(ref: ExecRef): Promise<Batch> {
    return this.watch.batchOf(ref);
  }

  attach(ref: ExecRef, records?: readonly BatchRecord[]): void {
    this.attaching.attach(ref, records);
  }

  /** Starts polling without touching the screen stack (the app opened on an execution); resolves to the error that stopped it, or undefined. */
  attachData(ref: ExecRef, records?: readonly BatchRecord[], partial = true): Promise<unknown> {
    return this.attaching.attachData(ref, records, partial);
  }

  /** Polls an already started batch into the store. */
  startPolling(ref: ExecRef, batch: Batch, records?: readonly BatchRecord[], partial = true, parallelCount: number | null = batch.parallelCount): void {
    this.watch.start(ref, batch, records, partial, parallelCount);
  }

  groupErrors(ref: ExecRef): void {
    this.watch.groupErrors(ref);
  }

  cancelExecution(): Promise<void> {
    return this.watch.cancel();
  }

  setPartial(partial: boolean): void {
    this.watch.setPartial(partial);
  }

  /** Starts the rerun, then shows it in place of its parent's screen (back goes where the parent's did). */
  async rerun(ref: ExecRef, indices: number[]): Promise<void> {
    const started = await this.journal.rerun(ref, indices, this.watch.recordsOf(ref));
    if (started) this.attaching.showRerun(started, indices.length);
  }

  loadArtifacts(ref: ExecRef, index: number): void {
    this.artifacts.load(ref, index);
  }

  /** The text of an artifact, refused when it is binary or too large to page. */
  readArtifactText(ref: ExecRef, index: number, fileName: string): Promise<string> {
    return this.artifacts.readText(ref, index, fileName);
  }

  /** Resolves once the pager opened or the refusal was said (or dropped, the screen being left). */
  viewArtifact(ref: ExecRef, index: number, fileName: string): Promise<void> {
    return this.artifacts.view(ref, index, fileName);
  }

  downloadArtifacts(ref: ExecRef, index: number, fileNames?: string[]): void {
    this.downloads.artifacts(ref, index, fileNames);
  }

  downloadAll(ref: ExecRef): void {
    this.downloads.all(ref);
  }

  loadComparison(a: ExecRef, b: ExecRef): void {
    loadComparison(this, a, b, (id) => this.kept.get(id));
  }

  release(resource: ResourceName): void {
    this.loads.release(resource);
  }

  connect(host: string, user: string, password: string): Promise<boolean> {
    return this.services.connect(host, user, password);
  }

  loadContexts(): void {
    this.contexts.load();
  }

  switchContext(name: string): Promise<boolean> {
    return this.contexts.switchTo(name);
  }

  loadServices(): void {
    this.services.loadServices();
  }

  loadExecutions(service?: WebService): void {
    this.services.loadExecutions(service);
  }

  loadPreview(service: WebService, file: string): void {
    this.services.loadPreview(service, file);
  }

  startBatch(service: WebService, file: string, parallelCount: number): Promise<void> {
    return this.services.startBatch(service, file, parallelCount);
  }

  loadLineage(ref: ExecRef): void {
    this.journal.loadLineage(ref);
  }

  loadMerged(ref: ExecRef): void {
    this.journal.loadMerged(ref);
  }
}
