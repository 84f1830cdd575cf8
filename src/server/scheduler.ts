/** Hands out the global worker slots: one-off runs first, then executions in round-robin. */

/** Something with records to run: a live batch execution. */
export interface WorkSource {
  /** True when a record can start now without exceeding the source's own parallelCount. */
  ready(): boolean;
  /** Starts one record; must call `done` exactly once, when the slot is free again (its result committed). */
  startOne(done: () => void): void;
}

/**
 * Never more than `maxWorkers` runs at once. Each free slot goes to the next ready source after
 * the one served last, so concurrent executions share the cap evenly whatever their sizes.
 */
export class Scheduler {
  private running = 0;
  private sources: WorkSource[] = [];
  private next = 0;
  private readonly urgent: (() => void)[] = [];
  private stopped = false;
  private pumping = false;

  constructor(private readonly maxWorkers: number) {}

  /** Adds a source and starts what the free slots allow. */
  add(source: WorkSource): void {
    this.sources.push(source);
    this.pump();
  }

  /** Removes a source (ended or canceled); its running records still release their slots. */
  remove(source: WorkSource): void {
    const i = this.sources.indexOf(source);
    if (i < 0) return;
    this.sources.splice(i, 1);
    if (this.next > i) this.next--;
  }

  /** Runs `task` in a slot ahead of batch records (a consume call waits for no batch). */
  runSoon<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.urgent.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => this.release());
      });
      this.pump();
    });
  }

  /** Starts nothing more, ever (the server is closing). */
  stop(): void {
    this.stopped = true;
  }

  /** Runs currently holding a slot. */
  get busy(): number {
    return this.running;
  }

  /** Fills free slots. Safe to call any time; re-entrant calls are folded into the running one. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.running < this.maxWorkers) {
        const task = this.urgent.shift();
        if (task) {
          this.running++;
          task();
          continue;
        }
        const source = this.pickSource();
        if (!source) break;
        this.running++;
        let released = false;
        source.startOne(() => {
          if (released) return;
          released = true;
          this.release();
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  private pickSource(): WorkSource | undefined {
    const n = this.sources.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const source = this.sources[i];
      if (source.ready()) {
        this.next = (i + 1) % n;
        return source;
      }
    }
    return undefined;
  }

  private release(): void {
    this.running--;
    this.pump();
  }
}
