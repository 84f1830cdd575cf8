/** The app's zustand store (vanilla, so the poller and downloads update it outside React). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ITEM_CODE, ITEM_STATES, type ItemState } from '../protocol.js';
import { appendSample, type PollSample } from '../analysis/rate-series.js';
import { moveCursor, placeCursor, type CursorMove } from './cursor.js';
import { positionOf, visibleLength } from './selection.js';
import { idle, idleResources, type ResourceState } from './resources.js';
import type { ErrorGroups } from '../analysis/error-groups.js';
import { copyOutcome } from './copy.js';
import type { ClipboardReach, ContextInfo, Copied, DownloadJob, ExecData, ExecRef, ExecView, GroupFilter, ItemDetail, Overlay, ResourceName, Resources, Screen, Status } from './types.js';

/** Everything a poll replaces at once (one setState per poll). */
export type PollSnapshot = Omit<ExecData, 'ref' | 'version' | 'partial' | 'lastError' | 'history'> & {
  detail?: (index: number) => ItemDetail | undefined;
};

/** State and actions of the app. */
export interface AppState {
  connection: { host: string; user: string; connected: boolean };
  /** The context the app is in (the header names it), or null: a server no context names. */
  context: ContextInfo | null;
  /** Dangerous commands are off: started with --readonly, or in a read-only context. */
  readonly: boolean;
  /** Why they are off (the keys say it), or null. */
  readonlyReason: string | null;
  stack: Screen[];
  overlay: Overlay;
  status: Status | null;
  exec: ExecData;
  view: ExecView;
  /** Decodes one index of the attached execution on demand (not part of `exec.version`). */
  detail: (index: number) => ItemDetail | undefined;
  downloads: DownloadJob[];
  downloadsVersion: number;
  /** What screens show that came from a server, each with its loading state. */
  resources: ResourceState;
  /** The execution marked to compare others with (executions screen, m). */
  mark: ExecRef | null;
  /** The attached execution's failures grouped by message (null until asked for). */
  errors: ErrorGroups | null;
  /** Bumped each time the terminal bell should ring once (the terminal layer rings it, unless --no-bell). */
  bell: number;
  /** Whether copied text reaches the clipboard (the terminal layer says, when the app starts on one). */
  clipboard: ClipboardReach;
  /** The last text copied; the terminal layer sends it (OSC 52) each time `count` goes up. */
  copied: Copied;

  push(screen: Screen): void;
  /** Pops the top screen; false when it was the last one (the caller quits). */
  pop(): boolean;
  replaceAll(screen: Screen): void;
  /** Puts `screen` in place of the top one (a form that has done its job is not gone back to). */
  replaceTop(screen: Screen): void;
  /** Marks an execution to compare others with; null clears the mark. */
  setMark(ref: ExecRef | null): void;
  setOverlay(overlay: Overlay): void;
  setStatus(text: string, level?: Status['level']): void;
  /** Clears the status line (e.g. once the input an error was about is edited). */
  clearStatus(): void;
  setConnection(host: string, user: string, connected: boolean): void;
  /** The context the app is in (null: none); read-only follows it, and --readonly stays. */
  setContext(context: ContextInfo | null): void;
  /**
   * Another server (a context switch): what came from the old one (the execution, resources, the
   * mark) is dropped and its services screen is the only one; downloads stay.
   */
  enterServer(host: string, user: string, context: ContextInfo | null): void;
  attach(ref: ExecRef, parallelCount?: number): void;
  /** One setState per poll; `changed` false keeps the data version (no row is rebuilt). */
  applyPoll(snapshot: PollSnapshot, changed?: boolean): void;
  pollFailed(message: string): void;
  setPartial(partial: boolean): void;
  move(move: CursorMove): void;
  jumpTo(index: number): void;
  setGeometry(cellsPerRow: number, bodyRows: number): void;
  /** Next state filter: Failed first (what a finished run is looked at for), then Running, Pending, Complete, Canceled, none. */
  cycleFilter(): void;
  /** Shows only records in `filter` (null: all), from the first. */
  setFilter(filter: ItemState | null): void;
  /** New error groups of the attached execution; a group filter follows its group. */
  setErrors(errors: ErrorGroups | null): void;
  /** Asks for one ring of the terminal bell. */
  ringBell(): void;
  /** Says how copied text reaches the clipboard, if it does. */
  setClipboard(reach: ClipboardReach): void;
  /** Copies `text` (`what` names it on the status line), or shows it there when it cannot be copied. */
  copy(text: string, what: string): void;
  /** Shows only the records of the error group with this pattern (null: every record). */
  filterGroup(pattern: string | null): void;
  toggleMode(): void;
  addDownload(job: Omit<DownloadJob, 'id'>): number;
  updateDownload(id: number, patch: Partial<DownloadJob>): void;
  /** A load of `key` began; with `keep`, data of the same key stays shown until the answer. */
  loadStarted(name: ResourceName, key: string, keep?: boolean): void;
  /** A load answered; ignored unless the resource is still of `key`. */
  loadDone<K extends ResourceName>(name: K, key: string, data: Resources[K]): void;
  /** A load failed; ignored unless the resource is still of `key` (its last data stays). */
  loadFailed(name: ResourceName, key: string, error: string): void;
  /** Forgets a resource (its screen was left). */
  loadReset(name: ResourceName): void;
}

/** The store type screens and controllers share. */
export type AppStore = StoreApi<AppState>;

/** Execution data before the first poll. */
export function emptyExec(ref: ExecRef | null = null, parallelCount = 0): ExecData {
  return {
    ref,
    state: null,
    total: 0,
    completed: 0,
    parallelCount,
    states: new Uint8Array(0),
    counts: [0, 0, 0, 0, 0],
    version: 0,
    startedAt: null,
    endedAt: null,
    throughput: 0,
    etaMs: null,
    lastGoodPollAt: null,
    lastError: null,
    partial: true,
    history: [],
  };
}

/** The order `f` goes through the states. */
const FILTER_CYCLE: readonly ItemState[] = ['Failed', 'Running', 'Pending', 'Complete', 'Canceled'];
/** The history with this poll's counts added (unchanged without a new good poll). */
function pollHistory(history: readonly PollSample[], snap: PollSnapshot): readonly PollSample[] {
  if (snap.lastGoodPollAt === null) return history;
  const failed = snap.counts[ITEM_CODE.Failed] ?? 0;
  const finished = Math.max(snap.completed, (snap.counts[ITEM_CODE.Complete] ?? 0) + failed);
  return appendSample(history, { at: snap.lastGoodPollAt, finished, failed });
}

const initialView: ExecView = { cursor: 0, top: 0, filter: null, mode: 'grid', cellsPerRow: 60, bodyRows: 10 };

/** True when a group filter is on and `index` is not in its group. */
function groupHides(group: GroupFilter | null | undefined, index: number): boolean {
  return Boolean(group) && group!.indices.indexOf(index) < 0;
}

/** The group filter after new groups: the same group (by pattern) with its indices now, kept when unchanged. */
function followGroup(old: GroupFilter, errors: ErrorGroups | null): GroupFilter {
  const now = errors?.groups.find((g) => g.pattern === old.pattern);
  if (!now) return old.indices.length === 0 ? old : { ...old, indices: new Int32Array(0) };
  if (now.number === old.number && now.indices.length === old.indices.length) return old;
  return { number: now.number, pattern: now.pattern, indices: Int32Array.from(now.indices) };
}

/** Why dangerous commands are off when the app was started with --readonly. */
export const READONLY_FLAG_REASON = 'read-only: the app was started with --readonly';

/** Why dangerous commands are off, from the --readonly flag and the context (null: they are not). */
export function readonlyReasonOf(flag: boolean, context: ContextInfo | null): string | null {
  if (flag) return READONLY_FLAG_REASON;
  return context?.readonly ? `context ${context.name} is read-only` : null;
}

/** Options of `createAppStore`. */
export interface AppStoreOptions {
  /** --readonly: dangerous commands are off in every context. */
  readonly?: boolean;
  /** The context the app starts in. */
  context?: ContextInfo | null;
}

/** Creates the store, starting on the given screen. */
export function createAppStore(first: Screen, options: AppStoreOptions = {}): AppStore {
  let nextJob = 1;
  const flag = Boolean(options.readonly);
  const inContext = (context: ContextInfo | null) => {
    const readonlyReason = readonlyReasonOf(flag, context);
    return { context, readonly: readonlyReason !== null, readonlyReason };
  };
  return createStore<AppState>()((set, get) => {
    const length = () => {
      const { exec, view } = get();
      return visibleLength(exec.states, exec.version, view.filter, view.group);
    };
    return {
      connection: { host: '', user: '', connected: false },
      ...inContext(options.context ?? null),
      stack: [first],
      overlay: { kind: 'none' },
      status: null,
      exec: emptyExec(),
      view: initialView,
      detail: () => undefined,
      downloads: [],
      downloadsVersion: 0,
      resources: idleResources(),
      mark: null,
      errors: null,
      bell: 0,
      clipboard: { osc52: false, why: 'not a terminal' },
      copied: { count: 0, text: '' },

      // A message belongs to the screen it was said on: changing screens clears it.
      push: (screen) => set((s) => ({ stack: [...s.stack, screen], overlay: { kind: 'none' }, status: null })),
      pop: () => {
        const { stack } = get();
        if (stack.length <= 1) return false;
        set({ stack: stack.slice(0, -1), overlay: { kind: 'none' }, status: null });
        return true;
      },
      replaceAll: (screen) => set({ stack: [screen], overlay: { kind: 'none' }, status: null }),
      replaceTop: (screen) => set((s) => ({ stack: [...s.stack.slice(0, -1), screen], overlay: { kind: 'none' }, status: null })),
      setMark: (mark) => set({ mark }),
      setOverlay: (overlay) => set({ overlay }),
      setStatus: (text, level = 'info') => set({ status: { text, level } }),
      clearStatus: () => set((s) => (s.status === null ? {} : { status: null })),
      setConnection: (host, user, connected) => set({ connection: { host, user, connected } }),
      setContext: (context) => set(inContext(context)),
      enterServer: (host, user, context) =>
        set({
          ...inContext(context),
          connection: { host, user, connected: true },
          stack: [{ kind: 'services' }],
          overlay: { kind: 'none' },
          status: null,
          exec: emptyExec(),
          view: initialView,
          detail: () => undefined,
          resources: idleResources(),
          mark: null,
          errors: null,
        }),
      attach: (ref, parallelCount = 0) =>
        set({ exec: emptyExec(ref, parallelCount), view: { ...get().view, cursor: 0, top: 0, filter: null, group: null }, detail: () => undefined, errors: null }),
      applyPoll: ({ detail, ...snapshot }, changed = true) =>
        set((s) => {
          const version = changed ? s.exec.version + 1 : s.exec.version;
          const history = pollHistory(s.exec.history, snapshot);
          const exec: ExecData = { ...s.exec, ...snapshot, lastError: null, version, history };
          const view = placeCursor(s.view, visibleLength(exec.states, exec.version, s.view.filter, s.view.group), s.view.cursor);
          return detail ? { exec, view, detail } : { exec, view };
        }),
      pollFailed: (message) => set((s) => ({ exec: { ...s.exec, lastError: message } })),
      setPartial: (partial) => set((s) => ({ exec: { ...s.exec, partial } })),
      move: (m) => set((s) => ({ view: moveCursor(s.view, length(), m) })),
      jumpTo: (index) =>
        set((s) => {
          // An index the filter hides is still the one asked for: drop the filter rather than land elsewhere.
          const code = s.exec.states[index];
          const hidden = s.view.filter !== null && code !== undefined && ITEM_STATES[code] !== s.view.filter;
          const filter = hidden ? null : s.view.filter;
          const outside = groupHides(s.view.group, index);
          const group = outside ? null : (s.view.group ?? null);
          const pos = positionOf(s.exec.states, s.exec.version, filter, index, group);
          const view = placeCursor({ ...s.view, filter, group }, visibleLength(s.exec.states, s.exec.version, filter, group), pos);
          if (outside) return { view, status: { text: `Group ${s.view.group!.number} filter dropped: index ${index} is not in it`, level: 'info' as const } };
          return hidden ? { view, status: { text: `Filter ${s.view.filter} dropped: index ${index} is ${ITEM_STATES[code!]}`, level: 'info' as const } } : { view };
        }),
      setGeometry: (cellsPerRow, bodyRows) =>
        set((s) => {
          if (s.view.cellsPerRow === cellsPerRow && s.view.bodyRows === bodyRows) return {};
          return { view: placeCursor({ ...s.view, cellsPerRow, bodyRows }, length(), s.view.cursor) };
        }),
      cycleFilter: () => {
        const { filter } = get().view;
        const i = filter === null ? 0 : FILTER_CYCLE.indexOf(filter) + 1;
        get().setFilter(i < FILTER_CYCLE.length ? FILTER_CYCLE[i] : null);
      },
      setFilter: (filter) =>
        set((s) => {
          const view = { ...s.view, filter, cursor: 0, top: 0 };
          return { view: placeCursor(view, visibleLength(s.exec.states, s.exec.version, filter, s.view.group), 0) };
        }),
      setErrors: (errors) =>
        set((s) => {
          const old = s.view.group;
          if (!old) return { errors };
          const group = followGroup(old, errors);
          if (group === old) return { errors };
          const view = placeCursor({ ...s.view, group }, visibleLength(s.exec.states, s.exec.version, s.view.filter, group), s.view.cursor);
          return { errors, view };
        }),
      ringBell: () => set((s) => ({ bell: s.bell + 1 })),
      setClipboard: (clipboard) => set({ clipboard }),
      copy: (text, what) =>
        set((s) => {
          const { status, level, send } = copyOutcome(text, what, s.clipboard);
          return send ? { status: { text: status, level }, copied: { count: s.copied.count + 1, text } } : { status: { text: status, level } };
        }),
      filterGroup: (pattern) =>
        set((s) => {
          const found = pattern === null ? undefined : s.errors?.groups.find((g) => g.pattern === pattern);
          const group: GroupFilter | null = found ? { number: found.number, pattern: found.pattern, indices: Int32Array.from(found.indices) } : null;
          const view = { ...s.view, group, cursor: 0, top: 0 };
          return { view: placeCursor(view, visibleLength(s.exec.states, s.exec.version, s.view.filter, group), 0) };
        }),
      toggleMode: () =>
        set((s) => ({ view: { ...s.view, mode: s.view.mode === 'grid' ? 'list' : 'grid', top: 0 } })),
      addDownload: (job) => {
        const id = nextJob++;
        set((s) => ({ downloads: [...s.downloads, { ...job, id }], downloadsVersion: s.downloadsVersion + 1 }));
        return id;
      },
      updateDownload: (id, patch) =>
        set((s) => ({
          downloads: s.downloads.map((d) => (d.id === id ? { ...d, ...patch } : d)),
          downloadsVersion: s.downloadsVersion + 1,
        })),
      loadStarted: (name, key, keep = false) =>
        set((s) => {
          const old = s.resources[name];
          const data = keep && old.key === key ? old.data : undefined;
          return { resources: { ...s.resources, [name]: { status: 'loading', key, data } } };
        }),
      loadDone: (name, key, data) =>
        set((s) => (s.resources[name].key !== key ? {} : { resources: { ...s.resources, [name]: { status: 'ready', key, data } } })),
      loadFailed: (name, key, error) =>
        set((s) => {
          const old = s.resources[name];
          if (old.key !== key) return {};
          return { resources: { ...s.resources, [name]: { status: 'error', key, data: old.data, error } } };
        }),
      loadReset: (name) =>
        set((s) => (s.resources[name].status === 'idle' ? {} : { resources: { ...s.resources, [name]: idle() } })),
    };
  });
}
