/** What the flows (services, artifacts, downloads, journal, compare) need of the controller that owns them. */
import type { Batch } from '../client/batch.js';
import type { Client } from '../client/client.js';
import type { Service } from '../client/service.js';
import type { BatchRecord, WebService } from '../protocol.js';
import type { AppStore } from '../store/app-store.js';
import type { ExecRef } from '../store/types.js';
import type { Loads } from './loads.js';
import type { ExecRef as Ref, ExecutionSummary } from '../store/types.js';

/** What the other flows ask of the journal's (controller/journal-flows.ts). */
export interface JournalPort {
  started(ref: Ref, file: string, records: readonly BatchRecord[], parallelCount: number): Promise<void>;
  mergeList(def: WebService | undefined, listed: Map<string, ExecutionSummary[]>, signal: AbortSignal): Promise<ExecutionSummary[]>;
}

/** The controller as its flows see it. */
export interface FlowHost {
  readonly store: AppStore;
  client: Client | null;
  /** The context the client is connected in, or null. */
  context: string | null;
  readonly downloadDir: string;
  /** Loads into the store's resources, stale ones cancelled. */
  readonly loads: Loads;
  /** How often a list of executions with running ones is listed again. */
  readonly listRefreshMs: number;
  /** The journal's flows (a silent journal when there is none). */
  readonly journal: JournalPort;
  requireClient(): Client;
  service(def: WebService): Promise<Service>;
  batchOf(ref: ExecRef): Promise<Batch>;
  startPolling(ref: ExecRef, batch: Batch, records?: readonly BatchRecord[]): void;
}
