/** Batch executions: start, run through the scheduler, commit results, poll, cancel, resume. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchRecord, ExecutionState } from '../protocol.js';
import { checkFileName, dropIfEmpty, executionDir, plainFiles, recordDir } from './artifacts.js';
import { BodyCache } from './body-cache.js';
import { FINAL_CURSOR, parseCursor, type ChangeLog } from './change-log.js';
import { ScratchDirs } from './scratch-dirs.js';
import type { Db } from './db.js';
import { badRequest, notFound } from './errors.js';
import { LiveExecution, NO_RESULT } from './live-execution.js';
import { Committer } from './committer.js';
import { ExecutionRows } from './execution-rows.js';
import { artifactsOf, deltaBody, extensionMembers, failedOutcome, isFailedJson, itemJson, pollBody } from './results.js';
import type { RunOutcome, Runtime, ServiceCode } from './runtime/types.js';
import type { Scheduler } from './scheduler.js';
import { toServiceCode, type PublishedService, type ServiceStore } from './services.js';

/** What the execution manager works with. */
export interface ExecutionDeps {
  db: Db;
  dataDir: string;
  services: ServiceStore;
  runtime: Runtime;
  scheduler: Scheduler;
  recordTimeoutMs: number;
  /** Changes kept per execution for delta polls (default: change-log.ts's). */
  changeLogSize?: number;
  log: (line: string) => void;
}

/** Owns every execution, live or ended. */
export class Executions {
  private readonly live = new Map<string, LiveExecution>();
  private readonly cache = new BodyCache(256 * 1024 * 1024);
  /** Change logs of executions that ended lately, so a watcher's last delta poll stays small. */
  private readonly endedLogs = new Map<string, { log: ChangeLog; state: ExecutionState; total: number; completed: number; parallelCount: number }>();
  /** Names this run of the server in its cursors: a cursor of an earlier run is refused. */
  private readonly epoch = randomBytes(6).toString('hex');
  private readonly rows: ExecutionRows;
  private readonly committer: Committer;
  private closing = false;

  constructor(private readonly deps: ExecutionDeps) {
    this.rows = new ExecutionRows(deps.db);
    this.committer = new Committer(this.rows, (ex, state) => this.finish(ex, state), deps.log);
  }

  /** Starts a batch; the id answers at once, records run as slots free up. */
  start(pub: PublishedService, records: BatchRecord[], parallelCount: number): string {
    const id = randomUUID();
    const { name, version } = pub.web;
    this.rows.insert(id, name, version, parallelCount, records);
    const ex = this.track({ id, name, version, pub, parallelCount, inputs: records });
    this.deps.log(`execution ${id} of ${name}/${version}: ${records.length} records, parallelCount ${parallelCount}`);
    this.launch(ex);
    return id;
  }

  /** Resumes every execution that had not ended when the server last stopped. */
  resume(): void {
    for (const row of this.rows.unfinished()) {
      const pub = this.deps.services.find(row.name, row.version);
      if (!pub) {
        this.rows.end(row.id, 'Failed', new Date().toISOString());
        this.deps.log(`execution ${row.id}: service ${row.name}/${row.version} is gone; marked Failed`);
        continue;
      }
      const ex = this.track({ ...row, pub, done: this.rows.results(row.id) });
      ex.canceled = row.canceled;
      this.deps.log(`execution ${row.id}: resuming, ${ex.queued} of ${ex.total} records left`);
      this.launch(ex);
    }
  }

  /** Ids of a service version's executions, oldest first. */
  list(name: string, version: string): string[] {
    return this.rows.ids(name, version);
  }

  /**
   * The poll answer; element i of its results is record i (a Running item while it runs, `null`
   * before it starts). With `changedSince` (and partial results), only the items changed since
   * that cursor, when it can be served; else the full answer, saying why.
   */
  poll(name: string, version: string, id: string, partial: boolean, changedSince?: string): string | Buffer {
    const ex = this.liveOf(name, version, id);
    const asked = partial && changedSince !== undefined ? parseCursor(changedSince) : undefined;
    let refused: 'expired' | 'unknown' | undefined = partial && changedSince !== undefined ? 'unknown' : undefined;
    if (ex) {
      if (asked && asked.epoch === this.epoch && asked.seq !== 'final') {
        if (ex.log.covers(asked.seq)) {
          const items = ex.log.since(asked.seq).map((i) => ex.results[i]);
          return deltaBody(ex.state, ex.total, ex.completed, this.members(ex.parallelCount, ex.shownRunning, `${this.epoch}.${ex.log.seq}`), items);
        }
        // Older than the log holds; one from the future is not one of this server's.
        if (asked.seq < ex.log.seq) refused = 'expired';
      }
      const cursor = partial ? `${this.epoch}.${ex.log.seq}` : undefined;
      const extra = extensionMembers({ parallelCount: ex.parallelCount, running: ex.shownRunning, cursor, refused });
      return pollBody(ex.state, ex.total, ex.completed, partial ? ex.joinedResults() : '', extra);
    }
    if (asked) {
      const delta = this.endedDelta(name, version, id, asked);
      if (delta !== undefined) return delta;
      if (asked.epoch === this.epoch && this.endedLogs.has(id)) refused = 'expired';
    }
    const body = this.endedBody(name, version, id);
    // Counts-only answers carry no cursor (they hold no items to be current with).
    if (!partial) return body;
    return refused ? Buffer.concat([body.subarray(0, body.length - 1), Buffer.from(`,"cursorRefused":"${refused}"}`)]) : body;
  }

  /** An ended execution's full answer (cached: it never changes). */
  private endedBody(name: string, version: string, id: string): Buffer {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = this.rows.get(name, version, id);
    const { joined, completed } = this.rows.joined(id, row.total, NO_RESULT);
    const body = Buffer.from(pollBody(row.state, row.total, completed, joined, this.members(row.parallelCount, 0, FINAL_CURSOR)));
    this.cache.set(id, body);
    return body;
  }

  /**
   * A delta of an ended execution: nothing for a final cursor, the last changes from SQLite for a
   * cursor its kept log covers; undefined when it cannot be served.
   */
  private endedDelta(name: string, version: string, id: string, asked: { epoch: string; seq: number | 'final' }): string | undefined {
    const row = this.rows.get(name, version, id);
    const final = FINAL_CURSOR;
    // Nothing changes after the end, in this run of the server or any other.
    if (asked.seq === 'final') {
      const completed = this.endedLogs.get(id)?.completed ?? this.rows.joinedCount(id);
      return deltaBody(row.state, row.total, completed, this.members(row.parallelCount, 0, final), []);
    }
    const ended = this.endedLogs.get(id);
    if (!ended || asked.epoch !== this.epoch || !ended.log.covers(asked.seq)) return undefined;
    const items = ended.log.since(asked.seq).map((i) => this.rows.result(id, i) ?? NO_RESULT);
    return deltaBody(ended.state, ended.total, ended.completed, this.members(ended.parallelCount, 0, final), items);
  }

  private members(parallelCount: number, running: number, cursor: string): string {
    return extensionMembers({ parallelCount, running, cursor });
  }

  /** Stops starting records; waits (a few seconds at most) for running ones to finish. */
  async cancel(name: string, version: string, id: string): Promise<void> {
    const ex = this.liveOf(name, version, id);
    if (!ex) {
      this.rows.get(name, version, id); // 404 when unknown; an ended one stays as it is
      return;
    }
    if (!ex.canceled) {
      ex.canceled = true;
      this.rows.cancel(id);
      this.deps.scheduler.remove(ex);
      this.deps.log(`execution ${id}: canceled, ${ex.running} records still running`);
      if (ex.running === 0 && ex.uncommitted === 0) this.committer.endIfIdle(ex);
    }
    await Promise.race([ex.ended, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  /** Cancels every live execution of a service version (it is being deleted). */
  cancelAllOf(name: string, version: string): void {
    for (const ex of [...this.live.values()]) {
      if (ex.name === name && ex.version === version) {
        this.cancel(name, version, ex.id).catch((err: unknown) =>
          this.deps.log(`execution ${ex.id}: could not cancel: ${messageOf(err)}`),
        );
      }
    }
  }

  /** Artifact names of one record ([] while it has not finished). */
  files(name: string, version: string, id: string, index: number): string[] {
    const json = this.itemText(name, version, id, index);
    return json === NO_RESULT ? [] : artifactsOf(json);
  }

  /** Path of one artifact; 400 for a name that is not a plain file name, 404 for an unknown one. */
  filePath(name: string, version: string, id: string, index: number, fileName: string): string {
    const problem = checkFileName(fileName);
    if (problem) throw badRequest(`file name '${fileName}' ${problem}`);
    if (!this.files(name, version, id, index).includes(fileName)) {
      throw notFound(`record ${index} of execution ${id} has no file '${fileName}'`);
    }
    return join(recordDir(this.deps.dataDir, id, index), fileName);
  }

  /** Runs one record of `service` in `workDir` (also used by consume). Never rejects. */
  execute(service: ServiceCode, inputs: BatchRecord, workDir: string): Promise<RunOutcome> {
    // The pool fails items of a runtime it lacks with a message saying so.
    return this.deps.runtime
      .run({ service, inputs, workDir, timeoutMs: this.deps.recordTimeoutMs })
      .catch((err: unknown) => failedOutcome(`worker error: ${messageOf(err)}`));
  }

  /** Live executions (for /status). */
  get liveCount(): number {
    return this.live.size;
  }

  /** Commits what has finished; outcomes arriving later are dropped and re-run after restart. */
  close(): void {
    this.closing = true;
    this.committer.flush();
  }

  private track(init: {
    id: string;
    name: string;
    version: string;
    pub: PublishedService;
    parallelCount: number;
    inputs: BatchRecord[];
    done?: Map<number, { json: string; failed: boolean }>;
  }): LiveExecution {
    const ex = new LiveExecution(
      { ...init, service: toServiceCode(init.pub), resumed: init.done !== undefined, changeLogSize: this.deps.changeLogSize },
      this.runRecord,
      new ScratchDirs(executionDir(this.deps.dataDir, init.id)),
    );
    this.live.set(ex.id, ex);
    return ex;
  }

  private launch(ex: LiveExecution): void {
    if (ex.completed === ex.total || ex.canceled) {
      this.committer.endIfIdle(ex);
      return;
    }
    const dir = executionDir(this.deps.dataDir, ex.id);
    if (ex.resumed) ScratchDirs.sweep(dir);
    mkdirSync(dir, { recursive: true });
    this.deps.scheduler.add(ex);
  }

  private readonly runRecord = async (ex: LiveExecution, index: number): Promise<void> => {
    const startTime = new Date().toISOString();
    let outcome: RunOutcome;
    let dir: string | undefined;
    try {
      dir = await ex.scratch.take();
      outcome = await this.execute(ex.service, ex.inputs[index], dir);
    } catch (err) {
      outcome = failedOutcome(`could not prepare the record's directory: ${messageOf(err)}`, startTime);
    }
    if (this.closing) return;
    ex.running--;
    // Counted as uncommitted from now on, so the execution cannot be seen as idle (and ended)
    // while its files are still being moved. Its slot stays taken until the commit: a crash
    // before it re-runs this record only, not also the one that would have taken the slot.
    ex.uncommitted++;
    // The worker's list is data from a child process: keep only declared, plain names.
    const declared = ex.service.outputFileNames;
    let artifacts = (outcome.artifacts ?? []).filter((f) => declared.includes(f) && !checkFileName(f));
    if (dir) {
      if (artifacts.length > 0) artifacts = await plainFiles(dir, artifacts);
      const target = artifacts.length > 0 ? recordDir(this.deps.dataDir, ex.id, index) : undefined;
      // The files move into place before the result can be seen, so a poller can fetch them at once.
      if (!(await ex.scratch.settle(dir, target, ex.resumed))) artifacts = [];
      if (this.closing) return;
    }
    const json = itemJson(index, outcome, artifacts);
    await this.committer.add({ ex, index, json, failed: isFailedJson(json) });
  };

  private finish(ex: LiveExecution, state: ExecutionState): void {
    this.live.delete(ex.id);
    this.deps.scheduler.remove(ex);
    this.endedLogs.set(ex.id, { log: ex.log, state, total: ex.total, completed: ex.completed, parallelCount: ex.parallelCount });
    for (const old of this.endedLogs.keys()) {
      if (this.endedLogs.size <= MAX_ENDED_LOGS) break;
      this.endedLogs.delete(old);
    }
    try {
      const extra = this.members(ex.parallelCount, 0, FINAL_CURSOR);
      this.cache.set(ex.id, Buffer.from(pollBody(state, ex.total, ex.completed, ex.joinedResults(), extra)));
    } catch (err) {
      // Too big to hold as one answer (V8's string limit): polls rebuild it from SQLite instead.
      this.deps.log(`execution ${ex.id}: answer not cached: ${messageOf(err)}`);
    }
    ex.markEnded();
    const dir = executionDir(this.deps.dataDir, ex.id);
    void ex.scratch.clear().then(() => dropIfEmpty(dir));
    this.deps.log(`execution ${ex.id}: ${state}, ${ex.completed - ex.failed} ok, ${ex.failed} failed`);
  }

  private liveOf(name: string, version: string, id: string): LiveExecution | undefined {
    const ex = this.live.get(id);
    return ex && ex.name === name && ex.version === version ? ex : undefined;
  }

  private itemText(name: string, version: string, id: string, index: number): string {
    const ex = this.liveOf(name, version, id);
    const total = ex ? ex.total : this.rows.get(name, version, id).total;
    if (index >= total) {
      throw notFound(`execution ${id} has no record ${index} (it has ${total}, from 0)`);
    }
    return ex ? ex.results[index] : (this.rows.result(id, index) ?? NO_RESULT);
  }
}

/** Ended executions whose change logs are kept (each at most 256 KB). */
const MAX_ENDED_LOGS = 32;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
