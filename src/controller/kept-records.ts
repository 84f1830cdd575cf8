/** The records of the last few batches started or rerun here, for a comparison's inputs (the server never returns them). */
import type { BatchRecord } from '../protocol.js';

/** How many batches' records are kept by default. */
export const KEPT_RECORDS = 4;

/** A small most-recent-first cache of records by execution id. */
export class KeptRecords {
  private readonly byId = new Map<string, readonly BatchRecord[]>();

  constructor(private readonly limit = KEPT_RECORDS) {}

  /** Keeps an execution's records, forgetting the oldest kept beyond the limit. */
  keep(id: string, records: readonly BatchRecord[]): void {
    this.byId.delete(id);
    this.byId.set(id, records);
    for (const old of this.byId.keys()) if (this.byId.size > this.limit) this.byId.delete(old);
  }

  /** The records kept of an execution, if any. */
  get(id: string): readonly BatchRecord[] | undefined {
    return this.byId.get(id);
  }
}
