/** SQLite statements for executions and their per-item results. */
import type { BatchRecord, ExecutionState } from '../protocol.js';
import type { Db } from './db.js';
import { notFound } from './errors.js';
import { isFailedJson } from './results.js';

/** An execution's stored header. */
export interface ExecutionRow {
  id: string;
  name: string;
  version: string;
  state: ExecutionState;
  total: number;
  parallelCount: number;
}

/** An execution found unfinished at start-up, with what it needs to go on. */
export interface UnfinishedRow {
  id: string;
  name: string;
  version: string;
  canceled: boolean;
  parallelCount: number;
  inputs: BatchRecord[];
}

/** Reads and writes execution rows; every write that changes what polls show is one transaction. */
export class ExecutionRows {
  private readonly s;
  /** Inserts results and ends executions in one transaction, so neither is seen without the other. */
  readonly commit: (
    results: { ex: { id: string }; index: number; json: string }[],
    ending: [{ id: string }, ExecutionState][],
    now: string,
  ) => void;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO executions (id, name, version, state, parallel_count, total, created_at, inputs)
         VALUES (?, ?, ?, 'Pending', ?, ?, ?, ?)`,
      ),
      get: db.prepare<[string], ExecutionRow>(
        'SELECT id, name, version, state, total, parallel_count AS parallelCount FROM executions WHERE id = ?',
      ),
      ids: db.prepare<[string, string], { id: string }>(
        'SELECT id FROM executions WHERE name = ? AND version = ? ORDER BY seq',
      ),
      unfinished: db.prepare<
        [],
        { id: string; name: string; version: string; canceled: number; parallel_count: number; inputs: string }
      >(
        `SELECT id, name, version, canceled, parallel_count, inputs FROM executions
         WHERE ended_at IS NULL ORDER BY seq`,
      ),
      results: db.prepare<[string], { idx: number; json: string }>(
        'SELECT idx, json FROM results WHERE execution_id = ?',
      ),
      // Plain strings in index order (the primary key's order, so no sort): measured faster than
      // an ordered group_concat, whose sorter costs more than joining here.
      texts: db
        .prepare<[string], string>('SELECT json FROM results WHERE execution_id = ? ORDER BY idx')
        .pluck(),
      result: db.prepare<[string, number], { json: string }>(
        'SELECT json FROM results WHERE execution_id = ? AND idx = ?',
      ),
      count: db.prepare<[string], number>('SELECT count(*) FROM results WHERE execution_id = ?').pluck(),
      addResult: db.prepare('INSERT OR IGNORE INTO results (execution_id, idx, json) VALUES (?, ?, ?)'),
      end: db.prepare('UPDATE executions SET state = ?, ended_at = ?, inputs = ? WHERE id = ?'),
      cancel: db.prepare('UPDATE executions SET canceled = 1 WHERE id = ?'),
    };
    const s = this.s;
    this.commit = db.transaction((results, ending, now) => {
      for (const r of results) s.addResult.run(r.ex.id, r.index, r.json);
      // Inputs are only needed to resume; an ended execution drops them.
      for (const [ex, state] of ending) s.end.run(state, now, '[]', ex.id);
    });
  }

  /** Stores a new execution with its inputs (needed to resume it after a restart). */
  insert(id: string, name: string, version: string, parallelCount: number, inputs: BatchRecord[]): void {
    const now = new Date().toISOString();
    this.s.insert.run(id, name, version, parallelCount, inputs.length, now, JSON.stringify(inputs));
  }

  /** The execution's header; 404 unless it exists and belongs to that service version. */
  get(name: string, version: string, id: string): ExecutionRow {
    const row = this.s.get.get(id);
    if (!row || row.name !== name || row.version !== version) {
      throw notFound(`unknown execution '${id}' of service ${name}/${version}`);
    }
    return row;
  }

  /** Ids of a service version's executions, oldest first. */
  ids(name: string, version: string): string[] {
    return this.s.ids.all(name, version).map((r) => r.id);
  }

  /** Executions not ended, oldest first. */
  unfinished(): UnfinishedRow[] {
    return this.s.unfinished.all().map((r) => ({
      id: r.id,
      name: r.name,
      version: r.version,
      canceled: r.canceled === 1,
      parallelCount: r.parallel_count,
      inputs: JSON.parse(r.inputs) as BatchRecord[],
    }));
  }

  /** Committed results of an execution by index. */
  results(id: string): Map<number, { json: string; failed: boolean }> {
    const out = new Map<number, { json: string; failed: boolean }>();
    for (const r of this.s.results.iterate(id)) {
      out.set(r.idx, { json: r.json, failed: isFailedJson(r.json) });
    }
    return out;
  }

  /** The item texts of an execution joined with commas, `fill` where there is no result. */
  joined(id: string, total: number, fill: string): { joined: string; completed: number } {
    const texts = this.s.texts.all(id);
    const n = texts.length;
    // Every item done (the usual case): no placement needed.
    if (n === total) return { joined: texts.join(','), completed: n };
    const items = new Array<string>(total).fill(fill);
    for (const r of this.s.results.iterate(id)) items[r.idx] = r.json;
    return { joined: items.join(','), completed: n };
  }

  /** How many results an execution has committed. */
  joinedCount(id: string): number {
    return this.s.count.get(id) ?? 0;
  }

  /** One committed result, or undefined. */
  result(id: string, index: number): string | undefined {
    return this.s.result.get(id, index)?.json;
  }

  /** Ends an execution without new results (e.g. its service is gone). */
  end(id: string, state: ExecutionState, now: string): void {
    this.commit([], [[{ id }, state]], now);
  }

  /** Remembers a cancel so that a restart does not start the remaining records. */
  cancel(id: string): void {
    this.s.cancel.run(id);
  }
}
