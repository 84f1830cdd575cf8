/** Shapes of the app's state: screens, execution data, view state, downloads. */
import type { ExecutionState, ItemState, WebService } from '../protocol.js';
import type { RecordsPreview } from '../batch/records.js';
import type { PollSample } from '../batch/rate-series.js';

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
  | { kind: 'executions'; service: WebService }
  | { kind: 'execution'; ref: ExecRef }
  | { kind: 'stats'; ref: ExecRef }
  | { kind: 'index'; ref: ExecRef; index: number }
  | { kind: 'pager'; title: string; text: string }
  | { kind: 'downloads' };

/** A modal layer over the current screen. */
export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'confirm-cancel' }
  | { kind: 'prompt'; purpose: 'jump' | 'search'; text: string };

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
  mode: 'grid' | 'list';
  cellsPerRow: number;
  bodyRows: number;
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
}

/** What each server-loaded resource holds once loaded. */
export interface Resources {
  services: WebService[];
  executions: ExecutionSummary[];
  artifacts: string[];
  preview: RecordsPreview;
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
