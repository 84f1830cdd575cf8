/**
 * The App over a real store and a fake of the actions port: no server. The fake records every
 * call and fills the store the way the controller does (resources, polls, downloads, status).
 */
import { previewRecords } from '../../src/records/records.js';
import { ErrorGrouper } from '../../src/analysis/error-groups.js';
import { App } from '../../src/app.js';
import type { AppActions } from '../../src/actions.js';
import { ITEM_CODE, type ExecutionState, type ParameterDefinition, type WebService } from '../../src/protocol.js';
import { createAppStore, type AppStore, type PollSnapshot } from '../../src/store/app-store.js';
import { CONTEXTS_KEY, SERVICES_KEY, artifactsKey, compareKey, execKey, executionsKey, mergeInPlace, previewKey } from '../../src/store/resources.js';
import type { Comparison, ContextInfo, ContextRow, ExecRef, ExecutionSummary, ItemDetail, Lineage, MergedData, ResourceName, Resources, Screen } from '../../src/store/types.js';
import { renderHarness, type Harness } from './harness.js';

// The pseudo-terminal tests drive the built CLI against a real server.
export { startFixture, type ServerFixture } from '../controller/helpers.js';

const defs = (spec: string): ParameterDefinition[] =>
  spec.split(' ').filter(Boolean).map((p) => {
    const [name, type] = p.split(':');
    return { name, type: type as ParameterDefinition['type'] };
  });

function service(name: string, runtime: 'JavaScript' | 'Python', inputs: string, outputs: string, files: string[], description = '', version = '1.0'): WebService {
  return {
    name,
    version,
    runtimeType: runtime as WebService['runtimeType'],
    description,
    inputParameterDefinitions: defs(inputs),
    outputParameterDefinitions: defs(outputs),
    outputFileNames: files,
  };
}

/** The example services as the embedded server lists them (test/controller/actions-contract.test.ts holds them to it). */
export const SERVICES: WebService[] = [
  service('chart', 'JavaScript', 'model:character mpg:numeric hp:numeric wt:numeric qsec:numeric', 'title:character pngBytes:integer', ['chart.png', 'chart.svg', 'summary.json']),
  service('flaky', 'JavaScript', 'id:integer value:numeric', 'root:numeric', []),
  service('flaky', 'JavaScript', 'id:integer value:numeric', 'root:numeric', [], '', '2.0'),
  service('slow-scorer', 'JavaScript', 'id:integer value:numeric', 'score:numeric elapsedMs:integer', ['score.txt'], 'Scores a value in 10-200 ms at random'),
  service('transmission', 'JavaScript', 'hp:numeric wt:numeric', 'probability:numeric', ['answer.csv']),
  service('transmission-python', 'Python', 'hp:numeric wt:numeric', 'probability:numeric', ['answer.csv']),
];

/** A service of SERVICES by name. */
export const serviceNamed = (name: string): WebService => SERVICES.find((s) => s.name === name)!;

/** An execution as a test describes it: one symbol per index (`.>#X-`), and what a poll says. */
export interface ExecSpec {
  states: string;
  state: ExecutionState;
  parallelCount?: number;
  startedAt?: number;
  endedAt?: number | null;
  lastGoodPollAt?: number | null;
  completed?: number;
  /** What an index screen shows of one record. */
  detail?: (index: number, code: number) => Partial<ItemDetail>;
}

const SYMBOLS = '.>#X-';
const STATE_OF = ['Pending', 'Running', 'Complete', 'Failed', 'Canceled'] as const;

/** The snapshot a poll of `spec` stores (as the controller's onUpdate builds it). */
export function snapshotOf(spec: ExecSpec): PollSnapshot {
  const states = Uint8Array.from([...spec.states].map((c) => SYMBOLS.indexOf(c)));
  const counts = [0, 0, 0, 0, 0];
  for (const c of states) counts[c]++;
  const now = Date.now();
  return {
    state: spec.state,
    total: states.length,
    completed: spec.completed ?? counts[ITEM_CODE.Complete] + counts[ITEM_CODE.Failed],
    parallelCount: spec.parallelCount ?? 0,
    states,
    counts,
    startedAt: spec.startedAt ?? now - 2000,
    endedAt: spec.endedAt === undefined ? (spec.state === 'InProgress' || spec.state === 'Pending' ? null : now) : spec.endedAt,
    throughput: 10,
    etaMs: null,
    lastGoodPollAt: spec.lastGoodPollAt === undefined ? now : spec.lastGoodPollAt,
    detail: (i) => {
      const code = states[i];
      if (code === undefined) return undefined;
      return { index: i, state: STATE_OF[code], inputs: null, outputs: {}, consoleOutput: '', error: '', durationMs: null, ...spec.detail?.(i, code) };
    },
  };
}

/** Attaches the store to an execution and stores one poll of it. */
export function showExecution(store: AppStore, ref: ExecRef, spec: ExecSpec): void {
  store.getState().attach(ref, spec.parallelCount ?? 0);
  store.getState().applyPoll(snapshotOf(spec));
}

/** One recorded call of the port. */
export interface Call {
  name: keyof AppActions;
  args: unknown[];
}

/** A fake of the actions port: every behaviour a test may replace is a field. */
export class FakeActions implements AppActions {
  readonly calls: Call[] = [];
  services = SERVICES;
  executions: ExecutionSummary[] = [];
  /** Artifact names per index. */
  artifacts: (index: number) => string[] = () => [];
  /** An artifact's text, or an Error saying why it cannot be paged. */
  artifactText: (index: number, name: string) => string | Error = () => '';
  /** What a poll of an attached execution says. */
  execution: (ref: ExecRef) => ExecSpec = () => ({ states: '', state: 'Pending' });
  /** Logs in when it answers true; else the status says why. */
  login: (host: string, user: string, password: string) => true | string = () => true;
  /** Starts a batch: an error text, or the execution it became. */
  start: (def: WebService, file: string, parallelCount: number) => string | { ref: ExecRef; spec: ExecSpec } = () => 'not started';
  /** What a download job ends with: files written and files already there. */
  download: { files: number; skipped: number } = { files: 1, skipped: 0 };
  /** What comparing two executions gives, or an Error saying why it failed. */
  comparison: (a: ExecRef, b: ExecRef) => Comparison | Error = () => new Error('no comparison');
  /** While true, loads stay in `loading` (see `answer`). */
  holdLoads = false;
  private held: (() => void)[] = [];
  private grouper: ErrorGrouper | null = null;

  constructor(readonly store: AppStore) {}

  /** Calls of one action, each as its arguments. */
  callsOf(name: keyof AppActions): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  /** Answers the loads held back so far. */
  answer(): void {
    for (const go of this.held.splice(0)) go();
  }

  private record(name: keyof AppActions, ...args: unknown[]): void {
    this.calls.push({ name, args });
  }

  private load<K extends ResourceName>(name: K, key: string, data: () => Resources[K] | Error): void {
    this.store.getState().loadStarted(name, key, true);
    const go = () => {
      const value = data();
      if (value instanceof Error) this.store.getState().loadFailed(name, key, value.message);
      else this.store.getState().loadDone(name, key, value);
    };
    if (this.holdLoads) this.held.push(go);
    else void Promise.resolve().then(go);
  }

  quit(): void {
    this.record('quit');
  }

  attach(ref: ExecRef): void {
    this.record('attach', ref);
    this.store.getState().push({ kind: 'execution', ref });
    showExecution(this.store, ref, this.execution(ref));
  }

  async cancelExecution(): Promise<void> {
    this.record('cancelExecution');
    const { exec } = this.store.getState();
    if (!exec.ref) return;
    this.store.getState().setStatus(`Cancel requested for execution ${exec.ref.id}`);
    const states = [...exec.states].map((c) => SYMBOLS[c === ITEM_CODE.Pending || c === ITEM_CODE.Running ? ITEM_CODE.Canceled : c]).join('');
    this.store.getState().applyPoll(snapshotOf({ states, state: 'Canceled', parallelCount: exec.parallelCount, startedAt: exec.startedAt ?? undefined }));
  }

  setPartial(partial: boolean): void {
    this.record('setPartial', partial);
    // As the controller: nothing attached, nothing to poll differently.
    if (!this.store.getState().exec.ref) return;
    this.store.getState().setPartial(partial);
    this.store.getState().setStatus(partial ? 'Partial results on' : 'Partial results off: counts only until the end');
  }

  loadServices(): void {
    this.record('loadServices');
    this.load('services', SERVICES_KEY, () => this.services);
  }

  loadExecutions(def?: WebService): void {
    this.record('loadExecutions', def?.name ?? '*');
    this.load('executions', executionsKey(def), () => this.executions);
  }

  /** What the journal says of an execution (records kept, and the reruns line). */
  lineage: Lineage = { recordsKept: true, reruns: null };
  /** The merged view of an execution. */
  merged: MergedData = { attempts: [], rows: [], counts: [0, 0, 0, 0, 0] };

  loadLineage(ref: ExecRef): void {
    this.record('loadLineage', ref.id);
    this.load('lineage', execKey(ref), () => this.lineage);
  }

  loadMerged(ref: ExecRef): void {
    this.record('loadMerged', ref.id);
    this.load('merged', execKey(ref), () => this.merged);
  }

  /** Starts the rerun as the controller does: its execution replaces the parent's screen. */
  rerunAs: ExecSpec = { states: '...', state: 'InProgress' };

  async rerun(ref: ExecRef, indices: number[]): Promise<void> {
    this.record('rerun', ref.id, indices);
    const s = this.store.getState();
    const child = { ...ref, id: `${ref.id.slice(0, -4)}beef` };
    const screen = { kind: 'execution' as const, ref: child };
    if (s.pop()) s.push(screen);
    else s.replaceAll(screen);
    showExecution(this.store, child, this.rerunAs);
    s.setStatus(`Rerunning ${indices.length} record${indices.length === 1 ? '' : 's'} as ${child.id}`);
  }

  /** What the controller's follow-up listing does: fresh states merged in place, no key pressed. */
  refreshExecutions(def: WebService, fresh: ExecutionSummary[]): void {
    const key = executionsKey(def);
    const shown = this.store.getState().resources.executions;
    this.store.getState().loadDone('executions', key, mergeInPlace(shown.key === key ? shown.data : undefined, fresh));
  }

  loadArtifacts(ref: ExecRef, index: number): void {
    this.record('loadArtifacts', ref.id, index);
    this.load('artifacts', artifactsKey(ref, index), () => this.artifacts(index));
  }

  loadPreview(def: WebService, file: string): void {
    this.record('loadPreview', def.name, file);
    // The real reader on real files: a preview needs no server.
    this.store.getState().loadStarted('preview', previewKey(def, file), true);
    void previewRecords(file, def.inputParameterDefinitions ?? [], { rows: 8 }).then((p) => this.store.getState().loadDone('preview', previewKey(def, file), p));
  }

  loadComparison(a: ExecRef, b: ExecRef): void {
    this.record('loadComparison', a.id, b.id);
    this.load('compare', compareKey(a, b), () => this.comparison(a, b));
  }

  release(resource: ResourceName): void {
    this.record('release', resource);
    this.store.getState().loadReset(resource);
  }

  viewArtifact(ref: ExecRef, index: number, fileName: string): void {
    this.record('viewArtifact', ref.id, index, fileName);
    // As the controller: an answer for an index screen that was left belongs to no screen.
    const top = this.store.getState().stack.at(-1);
    if (top?.kind !== 'index' || top.index !== index || top.ref.id !== ref.id) return;
    const text = this.artifactText(index, fileName);
    if (text instanceof Error) this.store.getState().setStatus(text.message, 'error');
    else this.store.getState().push({ kind: 'pager', title: `${index}/${fileName}`, text });
  }

  downloadArtifacts(ref: ExecRef, index: number, fileNames?: string[]): void {
    this.record('downloadArtifacts', ref.id, index, fileNames);
    const label = fileNames?.length === 1 ? `index ${index}: ${fileNames[0]}` : `index ${index}: all artifacts`;
    this.finishJob(label, `/downloads/${ref.id}/${index}`);
  }

  groupErrors(ref: ExecRef): void {
    this.record('groupErrors', ref.id);
    this.grouper = new ErrorGrouper();
    this.regroup();
  }

  /** What the controller does after each poll once the groups were asked for: the real grouping of the stored details. */
  regroup(): void {
    if (!this.grouper) return;
    const { exec, detail } = this.store.getState();
    this.grouper.update(exec.states, { length: exec.total, present: () => true, raw: (i) => ({ errorMessage: detail(i)?.error ?? '' }) });
    this.store.getState().setErrors(this.grouper.groups);
  }

  downloadAll(ref: ExecRef): void {
    this.record('downloadAll', ref.id);
    const { counts } = this.store.getState().exec;
    this.finishJob(`all artifacts of ${counts[ITEM_CODE.Complete] + counts[ITEM_CODE.Failed]} finished indices`, `/downloads/${ref.id}`);
  }

  /** A job that starts and ends as the controller's DownloadFlows report them. */
  private finishJob(label: string, destination: string): void {
    const s = this.store.getState();
    const id = s.addDownload({ label, destination, total: 0, done: 0, skipped: 0, failed: 0, bytes: 0, state: 'running', error: null });
    const { files, skipped } = this.download;
    void Promise.resolve().then(() => {
      s.updateDownload(id, { total: files, done: files, skipped, bytes: files * 100, state: 'done' });
      const there = skipped ? ` (${skipped} already there)` : '';
      s.setStatus(`Downloaded ${files} file${files === 1 ? '' : 's'}${there} to ${destination}`);
    });
  }

  async connect(host: string, user: string, password: string): Promise<boolean> {
    this.record('connect', host, user, password);
    const s = this.store.getState();
    const answer = this.login(host, user, password);
    if (answer !== true) {
      s.setStatus(`Cannot connect: ${answer}`, 'error');
      return false;
    }
    s.setConnection(host, user, true);
    s.replaceAll({ kind: 'services' });
    s.setStatus(`Connected to ${host} as ${user}`);
    return true;
  }

  /** The contexts of config.yaml. */
  contexts: ContextRow[] = [];
  /** Whether a context's saved login connects: true, or the reason it does not. */
  reachable: (name: string) => true | string = () => true;

  loadContexts(): void {
    this.record('loadContexts');
    this.load('contexts', CONTEXTS_KEY, () => this.contexts);
  }

  /** As the controller's (controller/context-flows.ts): the same checks in the same order, the same words. */
  async switchContext(name: string): Promise<boolean> {
    this.record('switchContext', name);
    const s = this.store.getState();
    const context = this.contexts.find((c) => c.name === name);
    if (!context) {
      const names = this.contexts.map((c) => c.name);
      s.setStatus(`No context ${name}: ${names.length ? `the contexts are ${names.join(', ')}` : 'there are no contexts yet (mlbatch login --context NAME --host URL adds one)'}`, 'error');
      return false;
    }
    if (s.context?.name === name && s.connection.connected) {
      s.setStatus(`Already in context ${name}`);
      return false;
    }
    if (!context.loggedIn) {
      s.setStatus(`Context ${name} has no saved login: run mlbatch login --context ${name}`, 'error');
      return false;
    }
    const reached = this.reachable(name);
    if (reached !== true) {
      s.setStatus(`Cannot switch to context ${name}: ${reached}`, 'error');
      return false;
    }
    const info: ContextInfo = { name, color: context.color, readonly: context.readonly };
    const user = context.user ?? 'admin';
    s.enterServer(context.host, user, info);
    s.setStatus(`Switched to context ${name}: ${context.host} as ${user}${context.readonly ? ', read-only' : ''}`);
    return true;
  }

  async startBatch(def: WebService, file: string, parallelCount: number): Promise<void> {
    this.record('startBatch', def.name, file, parallelCount);
    const s = this.store.getState();
    const answer = this.start(def, file, parallelCount);
    if (typeof answer === 'string') {
      s.setStatus(`Not started: ${answer}`, 'error');
      return;
    }
    s.replaceTop({ kind: 'execution', ref: answer.ref });
    showExecution(this.store, answer.ref, answer.spec);
    s.setStatus(`Started ${answer.spec.states.length} records as ${answer.ref.id}`);
  }
}

/** The app under test: its store, the fake port and the harness. */
export interface AppFixture {
  store: AppStore;
  actions: FakeActions;
  h: Harness;
}

/** Renders the App on a first screen over a fake port; `setup` runs before the first frame. */
export function renderApp(
  first: Screen,
  options: { readonly?: boolean; context?: ContextInfo; color?: boolean; cols?: number; rows?: number; setup?: (store: AppStore, actions: FakeActions) => void } = {},
): AppFixture {
  const store = createAppStore(first, { readonly: options.readonly, context: options.context });
  const actions = new FakeActions(store);
  options.setup?.(store, actions);
  const h = renderHarness(
    <App store={store} actions={actions} color={options.color ?? false} size={{ cols: options.cols ?? 80, rows: options.rows ?? 24 }} />,
    // The frame keeps one row free on every screen (ink clears the screen at full height).
    { maxRows: (options.rows ?? 24) - 1 },
  );
  return { store, actions, h };
}

/** A made-up execution id, shaped like the server's. */
export const ID = '5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f';
