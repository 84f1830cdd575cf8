/** One batch execution that has not ended: its queue, its counters and its results as JSON text. */
import type { BatchRecord, ExecutionState } from '../protocol.js';
import { ChangeLog } from './change-log.js';
import { runningJson } from './results.js';
import type { ServiceCode } from './runtime/types.js';
import type { WorkSource } from './scheduler.js';
import type { ScratchDirs } from './scratch-dirs.js';

/** The JSON text of an item that has no result yet. */
export const NO_RESULT = 'null';

/** Runs record `index` of `ex`; settles once its result is committed (its slot is free then). */
export type RecordRunner = (ex: LiveExecution, index: number) => Promise<void>;

/** What a live execution is made from (a new start, or a row found unfinished at start-up). */
export interface LiveExecutionInit {
  id: string;
  name: string;
  version: string;
  service: ServiceCode;
  parallelCount: number;
  inputs: BatchRecord[];
  /** Committed results by index (JSON text), when resuming after a restart. */
  done?: Map<number, { json: string; failed: boolean }>;
  /** Resumed after a restart: the execution's directory may hold leftovers of an interrupted run. */
  resumed: boolean;
  /** Most changes kept for delta polls (default: change-log.ts's). */
  changeLogSize?: number;
}

/**
 * Results are kept as ready JSON text, one string per item, so a poll is one `join` and never
 * re-serialises objects; a running record holds a Running item, and every change of an item is
 * noted in `log` for delta polls. `running` counts records between start and outcome; `uncommitted`
 * counts outcomes not yet in SQLite (not visible to polls yet). parallelCount applies to both
 * together: the records in flight, which are what a crash can make run again.
 */
export class LiveExecution implements WorkSource {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly service: ServiceCode;
  readonly parallelCount: number;
  readonly total: number;
  readonly resumed: boolean;
  inputs: BatchRecord[];
  readonly results: string[];
  /** Which items changed, in order (see change-log.ts). */
  readonly log: ChangeLog;
  running = 0;
  uncommitted = 0;
  completed = 0;
  failed = 0;
  canceled = false;
  private started = false;
  private joined = '';
  private joinedAt = -1;
  private readonly queue: number[] = [];
  private next = 0;
  private resolveEnded!: () => void;
  /** Settles when the execution has ended and its final state is committed. */
  readonly ended = new Promise<void>((resolve) => (this.resolveEnded = resolve));

  constructor(
    init: LiveExecutionInit,
    private readonly runner: RecordRunner,
    /** Where its records run (see scratch-dirs.ts). */
    readonly scratch: ScratchDirs,
  ) {
    this.id = init.id;
    this.name = init.name;
    this.version = init.version;
    this.service = init.service;
    this.parallelCount = init.parallelCount;
    this.inputs = init.inputs;
    this.total = init.inputs.length;
    this.resumed = init.resumed;
    this.results = new Array<string>(this.total).fill(NO_RESULT);
    this.log = new ChangeLog(this.total, init.changeLogSize);
    for (let i = 0; i < this.total; i++) {
      const got = init.done?.get(i);
      if (!got) {
        this.queue.push(i);
        continue;
      }
      this.results[i] = got.json;
      this.completed++;
      if (got.failed) this.failed++;
    }
    this.started = this.completed > 0;
  }

  /** Pending until a record has started, then in progress. */
  get state(): ExecutionState {
    return this.started ? 'InProgress' : 'Pending';
  }

  /** Records not started yet. */
  get queued(): number {
    return this.queue.length - this.next;
  }

  ready(): boolean {
    return (
      !this.canceled && this.next < this.queue.length && this.running + this.uncommitted < this.parallelCount
    );
  }

  startOne(done: () => void): void {
    const index = this.queue[this.next++];
    this.running++;
    this.started = true;
    this.setItem(index, runningJson(index, new Date().toISOString()));
    this.runner(this, index).then(done, done);
  }

  /** Replaces item `index`'s text and notes the change. */
  setItem(index: number, json: string): void {
    this.results[index] = json;
    this.log.add(index);
  }

  /** Records shown as running: started, and their results not visible yet. */
  get shownRunning(): number {
    return this.running + this.uncommitted;
  }

  /**
   * The joined item texts, rebuilt only when an item changed since the last call: many
   * clients polling a big execution between two changes share one join.
   */
  joinedResults(): string {
    if (this.joinedAt !== this.log.seq) {
      this.joined = this.results.join(',');
      this.joinedAt = this.log.seq;
    }
    return this.joined;
  }

  /** Called once the final state is committed. */
  markEnded(): void {
    this.inputs = [];
    this.joined = '';
    this.resolveEnded();
  }
}
