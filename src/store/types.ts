/** Shapes of the app's state: screens, execution data, view state, downloads. */
import type { ExecutionState, ItemState, WebService } from '../protocol.js';
import type { RecordsPreview } from '../records/records.js';
import type { DiffSummary, IndexComparison } from '../analysis/diff.js';
import type { PollSample } from '../analysis/rate-series.js';

/** Which execution a screen shows. */
export interface ExecRef {
  service: string;
  version: string;
  id: string;
}

/** One entry of the screen stack. */
export type Screen =
  | { kind: 'connect' }
  | { kind: 'services' }
  | { kind: 'actions'; service: WebService }
  | { kind: 'compose'; service: WebService }
  /** A service's executions, or (no service) every execution of the journal and the servers. */
  | { kind: 'executions'; service?: WebService }
  | { kind: 'execution'; ref: ExecRef }
  | { kind: 'stats'; ref: ExecRef }
  /** `file`: the artifact selected when the screen was last left for the viewer (kept for the way back). */
  | { kind: 'index'; ref: ExecRef; index: number; file?: number }
  | { kind: 'pager'; title: string; text: string }
  | { kind: 'downloads' }
  | { kind: 'merged'; ref: ExecRef }
  | { kind: 'compare'; a: ExecRef; b: ExecRef }
  | { kind: 'compare-index'; a: ExecRef; b: ExecRef; index: number }
  | { kind: 'errors'; ref: ExecRef }
  /** The contexts (named servers) of config.yaml; Enter switches to one. */
  | { kind: 'contexts' };

/** A modal layer over the current screen. */
export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'confirm-cancel' }
  /** Confirms a rerun of `indices` (records of the attached execution) as a new execution. */
  | { kind: 'confirm-rerun'; indices: number[]; what: string }
  /** `jump`: the execution screen's `:` (an index, or a command); `command`: `:` elsewhere (`ctx`, `ctx NAME`). */
  | { kind: 'prompt'; purpose: 'jump' | 'search' | 'command'; text: string };

/** Live data of the attached execution: replaced once per poll, `version` bumped. */
export interface ExecData {
  ref: ExecRef | null;
  /** Null until the first good poll. */
  state: ExecutionState | null;
  total: number;
  /** The server's own count of finished items (moves even when per-item results are off). */
  completed: number;
  parallelCount: number;
  /** Per-index state codes (ITEM_CODE); replaced, never mutated in place by the UI. */
  states: Uint8Array;
  /** Counts per ITEM_CODE. */
  counts: readonly number[];
  version: number;
  startedAt: number | null;
  endedAt: number | null;
  /** Items finished per second, recent. */
  throughput: number;
  etaMs: number | null;
  lastGoodPollAt: number | null;
  lastError: string | null;
  partial: boolean;
  /** How the Running items are known: the server's (default), inferred from the parallelCount, or unknown. */
  runningSource?: 'reported' | 'inferred' | 'unknown';
  /** When the per-index view was last brought up to date (a budget may hold it behind the counts). */
  resultsAsOf?: number | null;
  /** When a record last finished, while the execution has stalled (see watch/stall.ts); absent or null otherwise. */
  stalledSince?: number | null;
  /** What each good poll said (finished and failed counts), bounded: rates over time when records carry no times. */
  history: readonly PollSample[];
}

/** Cursor, filter and viewport of the execution screen, kept apart from data. */
export interface ExecView {
  /** Position in the visible sequence (all indices, or the filtered ones). */
  cursor: number;
  /** First visible grid row (or list row). */
  top: number;
  filter: ItemState | null;
  /** One error group's records only (with the state filter on top); absent or null: every record. */
  group?: GroupFilter | null;
  mode: 'grid' | 'list';
  cellsPerRow: number;
  bodyRows: number;
}

/** The execution view's group filter: one error group (by its pattern) and its indices, ascending. */
export interface GroupFilter {
  number: number;
  pattern: string;
  indices: Int32Array;
}

/** One running or finished download job. */
export interface DownloadJob {
  id: number;
  label: string;
  destination: string;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  bytes: number;
  state: 'running' | 'done' | 'failed';
  error: string | null;
}

/** The status line. */
export interface Status {
  text: string;
  level: 'info' | 'error';
}

/**
 * Whether copied text can reach the clipboard: by OSC 52 (wrapped for tmux when the app runs in
 * it), or not, and why (not a terminal, TERM=dumb): then the status line shows the text itself.
 */
export type ClipboardReach = { osc52: true; tmux: boolean } | { osc52: false; why: string };

/** The last text copied, for the terminal layer to send; `count` goes up with each copy. */
export interface Copied {
  count: number;
  text: string;
}

/** What the index screen and the list view show of one record, decoded on demand. */
export interface ItemDetail {
  index: number;
  state: import('../protocol.js').ItemState;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown>;
  consoleOutput: string;
  error: string;
  /** Milliseconds the record ran, when the server says. */
  durationMs: number | null;
  /** Epoch ms the record started and ended, when the server says. */
  startMs?: number | null;
  endMs?: number | null;
}

/** One execution of a service as the Executions screen lists it. */
export interface ExecutionSummary {
  id: string;
  state: string;
  total: number;
  completed: number;
  /** Records running, when the server reports them. */
  running?: number;
  /** The execution's parallelCount, when the server reports it. */
  parallelCount?: number;
  /** Service and version (the list across services shows them). */
  service?: string;
  version?: string;
  /** Epoch ms it was started, when the journal knows. */
  startedAt?: number | null;
  /** Failed records, when known. */
  failed?: number | null;
  /** Journaled, but the server no longer lists it. */
  gone?: boolean;
  /** The context it belongs to (null: a host no context has), for the list across services. */
  context?: string | null;
}

/** What the journal says of the attached execution: whether its records are kept, and its reruns. */
export interface Lineage {
  recordsKept: boolean;
  /** `2 reruns, latest <id>: Complete 312/312, 0 failed`, or null without reruns. */
  reruns: string | null;
}

/** One original index of the merged view: its latest attempt. */
export interface MergedRow {
  index: number;
  state: ItemState;
  /** The execution the attempt belongs to. */
  from: string;
  /** Error, or the outputs in brief. */
  text: string;
}

/** The merged view of an execution and its reruns. */
export interface MergedData {
  attempts: string[];
  rows: MergedRow[];
  counts: readonly number[];
}

/** The context the app is in, as the header and the keys see it. */
export interface ContextInfo {
  name: string;
  /** The context's accent colour (a name of text/ansi.ts's ACCENT_SGR), or null when it sets none. */
  color: string | null;
  /** Dangerous actions (cancel, rerun) are off in it. */
  readonly: boolean;
}

/** One context as the contexts screen lists it. */
export interface ContextRow {
  name: string;
  host: string;
  user: string | null;
  readonly: boolean;
  color: string | null;
  /** Whether a login is saved for it (without one, switching says to run `mlbatch login --context NAME`). */
  loggedIn: boolean;
}

/** What each server-loaded resource holds once loaded. */
export interface Resources {
  services: WebService[];
  executions: ExecutionSummary[];
  artifacts: string[];
  preview: RecordsPreview;
  lineage: Lineage;
  merged: MergedData;
  compare: Comparison;
  contexts: ContextRow[];
}

/** One index of two compared executions, side by side (inputs only for batches started in this app). */
export type ComparedIndex = IndexComparison & {
  inputsA: Record<string, unknown> | null;
  inputsB: Record<string, unknown> | null;
};

/** Two executions compared index by index (A the marked one, B the one compared with it). */
export interface Comparison {
  a: ExecRef;
  b: ExecRef;
  stateA: ExecutionState;
  stateB: ExecutionState;
  summary: DiffSummary;
  /** The indices that are not equal, in order. */
  indices: number[];
  /** Both results of one index, decoded on demand. */
  detail: (index: number) => ComparedIndex;
}

/** A resource's name. */
export type ResourceName = keyof Resources;

/**
 * A resource loaded from a server, with its state. `key` names what it is of (a service, an
 * index, a path): a screen shows `data` only when the key is its own. While a reload runs,
 * `status` is `loading` and the previous `data` of the same key stays shown.
 */
export interface Loadable<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  key: string;
  data?: T;
  error?: string;
}
