/**
 * Commits finished records to SQLite, all that finished in one turn of the event loop per
 * transaction, and only then shows them: a poll never sees a result that a crash could still
 * lose. Ends an execution in the same transaction as its last result. A record's slot is given
 * to the next record only once its result is committed, so a crash re-runs at most the records
 * in flight (running, or finished and not yet committed), never more than the slots.
 */
import type { ExecutionState } from '../protocol.js';
import type { ExecutionRows } from './execution-rows.js';
import type { LiveExecution } from './live-execution.js';

/** A finished record waiting to be committed. */
export interface Finished {
  ex: LiveExecution;
  index: number;
  json: string;
  failed: boolean;
}

/** Batches results into transactions and decides when an execution has ended. */
export class Committer {
  private pending: Finished[] = [];
  private waiting: (() => void)[] = [];
  private queued = false;

  constructor(
    private readonly rows: ExecutionRows,
    private readonly ended: (ex: LiveExecution, state: ExecutionState) => void,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Queues a result (the caller has already counted it in `ex.uncommitted`); resolves once it is
   * committed (never, when the server closes first: the record then runs again after a restart).
   */
  add(f: Finished): Promise<void> {
    this.pending.push(f);
    const committed = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.queued) {
      this.queued = true;
      // After the I/O callbacks of this turn: results that arrived together commit together.
      setImmediate(() => this.flush());
    }
    return committed;
  }

  /** Commits what is queued now. */
  flush(): void {
    this.queued = false;
    const batch = this.pending;
    const waiting = this.waiting;
    this.pending = [];
    this.waiting = [];
    try {
      this.commit(batch, [...new Set(batch.map((f) => f.ex))]);
    } catch (err) {
      this.log(`could not commit ${batch.length} results, retrying: ${(err as Error).message}`);
      this.pending = batch.concat(this.pending);
      this.waiting = waiting.concat(this.waiting);
      setTimeout(() => this.flush(), 1000).unref();
      return;
    }
    for (const resolve of waiting) resolve();
  }

  /** Ends `ex` now if nothing of it is running or waiting to be committed (after a cancel). */
  endIfIdle(ex: LiveExecution): void {
    this.commit([], [ex]);
  }

  /** Commits `batch` and the end of every execution in `check` it completes, then shows them. */
  private commit(batch: Finished[], check: LiveExecution[]): void {
    const n = new Map<LiveExecution, { done: number; failed: number }>();
    for (const f of batch) {
      const c = n.get(f.ex) ?? { done: 0, failed: 0 };
      c.done++;
      if (f.failed) c.failed++;
      n.set(f.ex, c);
    }
    const ending: [LiveExecution, ExecutionState][] = [];
    for (const ex of check) {
      const c = n.get(ex) ?? { done: 0, failed: 0 };
      const completed = ex.completed + c.done;
      const idle = ex.running === 0 && ex.uncommitted - c.done === 0;
      if (completed === ex.total || (ex.canceled && idle)) {
        ending.push([ex, endState(ex.canceled, ex.failed + c.failed, ex.total)]);
      }
    }
    if (batch.length === 0 && ending.length === 0) return;
    // Only this can fail and be retried: what follows must run exactly once per commit.
    this.rows.commit(batch, ending, new Date().toISOString());
    for (const f of batch) {
      f.ex.setItem(f.index, f.json);
      f.ex.completed++;
      if (f.failed) f.ex.failed++;
      f.ex.uncommitted--;
    }
    for (const [ex, state] of ending) {
      try {
        this.ended(ex, state);
      } catch (err) {
        this.log(`execution ${ex.id}: error after its end was committed: ${(err as Error).message}`);
      }
    }
  }
}

/** The final state: Canceled if asked, Failed when every item failed, else Complete. */
export function endState(canceled: boolean, failed: number, total: number): ExecutionState {
  if (canceled) return 'Canceled';
  return total > 0 && failed === total ? 'Failed' : 'Complete';
}
