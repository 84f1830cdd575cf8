/**
 * The journal: every execution mlbatch started, attached to or reran, in one SQLite file in the
 * user's data dir (mode 0600, dir 0700). WAL and a busy timeout let two mlbatch processes write
 * at once. A journal that cannot be read never stops a command: it warns once, naming the file,
 * and from then on records nothing (a corrupt file is moved aside, never deleted).
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BatchRecord } from '../protocol.js';
import { dataDir } from '../session/config.js';

/** Default limit on the records kept per execution (their JSON size). */
export const DEFAULT_MAX_RECORDS_MB = 50;

/** What names one execution: the server, the service version and the id. */
export interface JournalKey {
  host: string;
  service: string;
  version: string;
  id: string;
}

/** One execution as the journal knows it. */
export interface JournalEntry extends JournalKey {
  /** The context it was started or attached in (null: a host no context had, or journaled before contexts). */
  context: string | null;
  user: string | null;
  /** Epoch ms the execution was started (or first attached, when started elsewhere). */
  startedAt: number;
  /** How it came to the journal: started here, attached to, or a rerun. */
  origin: 'run' | 'attach' | 'rerun';
  parallelCount: number | null;
  recordsPath: string | null;
  /** sha256 of the records file, hex. */
  recordsHash: string | null;
  recordCount: number | null;
  /** Whether the records themselves are kept (see `records`). */
  recordsKept: boolean;
  /** Why they are not kept, when they are not (too big, attached only). */
  recordsNote: string | null;
  /** The execution this one reran (same host and service), and its version. */
  parentId: string | null;
  parentVersion: string | null;
  /** New index → index in the parent. */
  indexMap: number[] | null;
  /** Last known state and counts (`[Pending, Running, Complete, Failed, Canceled]`). */
  state: string | null;
  total: number | null;
  completed: number | null;
  counts: number[] | null;
  updatedAt: number;
}

/** What is known of an execution when it is first journaled. */
export type NewEntry = JournalKey &
  Partial<Pick<JournalEntry, 'context' | 'user' | 'parallelCount' | 'recordsPath' | 'recordsHash' | 'parentId' | 'parentVersion' | 'indexMap' | 'state' | 'total'>> & {
    origin: JournalEntry['origin'];
    startedAt?: number;
    records?: readonly BatchRecord[];
  };

/** Last known progress of an execution. */
export interface KnownState {
  state: string;
  total: number;
  completed: number;
  counts?: readonly number[] | null;
}

/** Which executions `list` gives: those of one context, or of one host. */
export interface ListFilter {
  /** A context's executions, with those journaled without a context on its host (`host`). */
  context?: string;
  /** The host's (normalised and lower-cased, as `hostKey` (client/host.ts) gives it); with `context`, its host. */
  host?: string;
}

/** Options of `openJournal`. */
export interface JournalOptions {
  env?: NodeJS.ProcessEnv;
  /** The journal file (default `<dataDir>/journal.sqlite`). */
  path?: string;
  /** Records larger than this (MB of JSON) are not kept (default: MLBATCH_JOURNAL_MAX_MB, else 50). */
  maxRecordsMb?: number;
  /** Where the one warning goes when the journal cannot be used (default standard error). */
  warn?: (line: string) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS executions (
  host TEXT NOT NULL,
  service TEXT NOT NULL,
  version TEXT NOT NULL,
  id TEXT NOT NULL,
  user TEXT,
  started_at INTEGER NOT NULL,
  origin TEXT NOT NULL,
  parallel_count INTEGER,
  records_path TEXT,
  records_hash TEXT,
  record_count INTEGER,
  records BLOB,
  records_note TEXT,
  parent_id TEXT,
  parent_version TEXT,
  index_map TEXT,
  state TEXT,
  total INTEGER,
  completed INTEGER,
  counts TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (host, service, version, id)
);
CREATE INDEX IF NOT EXISTS executions_started ON executions (started_at);
CREATE INDEX IF NOT EXISTS executions_parent ON executions (host, service, parent_version, parent_id);
`;

/**
 * Changes to the schema since SCHEMA, in order: the file's `user_version` says how many it has.
 * Each keeps every row; a journal written by a later mlbatch (a higher version) is used as it is.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the context each execution was started or attached in (null for rows from before).
  'ALTER TABLE executions ADD COLUMN context TEXT',
];

const COLUMNS = `host, service, version, id, context, user, started_at, origin, parallel_count, records_path, records_hash,
  record_count, records IS NOT NULL AS kept, records_note, parent_id, parent_version, index_map, state, total, completed, counts, updated_at`;

/** The journal file's default path. */
export function journalPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'journal.sqlite');
}

/** The records size limit in MB: the option, else MLBATCH_JOURNAL_MAX_MB, else 50. */
export function maxRecordsMbOf(option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (option !== undefined) return option;
  const n = Number(env.MLBATCH_JOURNAL_MAX_MB);
  return env.MLBATCH_JOURNAL_MAX_MB !== undefined && env.MLBATCH_JOURNAL_MAX_MB !== '' && Number.isFinite(n) && n >= 0 ? n : DEFAULT_MAX_RECORDS_MB;
}

/** Opens the journal; never throws (see `Journal.warning`). */
export function openJournal(options: JournalOptions = {}): Journal {
  return new Journal(options);
}

type Row = Record<string, unknown>;

/** The open journal (or a silent one, when it could not be opened). */
export class Journal {
  readonly path: string;
  /** Why the journal is not in use, once it is not (also given to `warn`, once). */
  warning: string | null = null;
  private db: Database.Database | null = null;
  private readonly maxBytes: number;
  private readonly warn: (line: string) => void;

  constructor(options: JournalOptions = {}) {
    const env = options.env ?? process.env;
    this.path = options.path ?? journalPath(env);
    this.maxBytes = maxRecordsMbOf(options.maxRecordsMb, env) * 1024 * 1024;
    this.warn = options.warn ?? ((line) => process.stderr.write(`${line}\n`));
    this.db = this.open();
  }

  /** Whether executions are being recorded. */
  get usable(): boolean {
    return this.db !== null;
  }

  private open(): Database.Database | null {
    try {
      return this.connect();
    } catch (err) {
      if (!isCorrupt(err) || !existsSync(this.path)) return this.giveUp(`cannot be opened (${messageOf(err)})`);
      // A damaged file is kept for whoever wants to look at it; a fresh journal takes its place.
      const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        renameSync(this.path, aside);
        for (const extra of ['-wal', '-shm']) if (existsSync(this.path + extra)) renameSync(this.path + extra, aside + extra);
        const db = this.connect();
        this.warn(`warning: the journal ${this.path} could not be read (${messageOf(err)}): it was moved to ${aside} and a new journal started`);
        return db;
      } catch (again) {
        return this.giveUp(`could not be read (${messageOf(err)}) nor moved aside (${messageOf(again)})`);
      }
    }
  }

  private connect(): Database.Database {
    const dir = join(this.path, '..');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fresh = !existsSync(this.path);
    const db = new Database(this.path, { timeout: 10_000 });
    try {
      if (fresh) chmodSync(this.path, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 10000');
      // In WAL mode NORMAL cannot corrupt the file; a crash may lose the last progress note, which the next poll writes again.
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
      migrate(db);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private giveUp(why: string): null {
    this.db?.close();
    this.db = null;
    if (this.warning === null) {
      this.warning = `the journal ${this.path} ${why}: executions are not recorded in it this time; nothing else is affected`;
      this.warn(`warning: ${this.warning}`);
    }
    return null;
  }

  /** Runs a query; a journal that fails now warns once and is left alone from then on. */
  private use<T>(fallback: T, fn: (db: Database.Database) => T): T {
    if (!this.db) return fallback;
    try {
      return fn(this.db);
    } catch (err) {
      this.giveUp(`failed (${messageOf(err)})`);
      return fallback;
    }
  }

  /**
   * Records an execution. A known one keeps what it had (start time, records, lineage) and gains
   * only what was missing; a rerun or a run records everything it brings.
   */
  remember(entry: NewEntry): void {
    const now = Date.now();
    const records = entry.records ? this.packRecords(entry.records) : { blob: null, note: entry.origin === 'attach' ? 'attached: started elsewhere' : null };
    this.use(undefined, (db) => {
      db.prepare(`INSERT INTO executions (host, service, version, id, context, user, started_at, origin, parallel_count, records_path,
          records_hash, record_count, records, records_note, parent_id, parent_version, index_map, state, total, updated_at)
        VALUES (@host, @service, @version, @id, @context, @user, @startedAt, @origin, @parallelCount, @recordsPath, @recordsHash,
          @recordCount, @records, @note, @parentId, @parentVersion, @indexMap, @state, @total, @now)
        ON CONFLICT (host, service, version, id) DO UPDATE SET
          context = coalesce(context, excluded.context),
          user = coalesce(user, excluded.user),
          parallel_count = coalesce(parallel_count, excluded.parallel_count),
          records_path = coalesce(records_path, excluded.records_path),
          records_hash = coalesce(records_hash, excluded.records_hash),
          record_count = coalesce(record_count, excluded.record_count),
          records_note = CASE WHEN records IS NULL AND excluded.records IS NOT NULL THEN excluded.records_note ELSE records_note END,
          records = coalesce(records, excluded.records),
          updated_at = excluded.updated_at`).run({
        host: entry.host, service: entry.service, version: entry.version, id: entry.id,
        context: entry.context ?? null, user: entry.user ?? null, startedAt: entry.startedAt ?? now, origin: entry.origin,
        parallelCount: entry.parallelCount ?? null, recordsPath: entry.recordsPath ?? null, recordsHash: entry.recordsHash ?? null,
        recordCount: entry.records?.length ?? null, records: records.blob, note: records.note,
        parentId: entry.parentId ?? null, parentVersion: entry.parentVersion ?? null,
        indexMap: entry.indexMap ? JSON.stringify(entry.indexMap) : null,
        state: entry.state ?? null, total: entry.total ?? null, now,
      });
    });
  }

  private packRecords(records: readonly BatchRecord[]): { blob: Buffer | null; note: string | null } {
    const json = Buffer.from(JSON.stringify(records));
    if (json.length > this.maxBytes) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      return { blob: null, note: `too big to keep: ${mb(json.length)} of records, over the ${mb(this.maxBytes)} limit (MLBATCH_JOURNAL_MAX_MB)` };
    }
    // The fastest level: numeric records still shrink about 6×, barely less than at the default level, in much less time.
    return { blob: gzipSync(json, { level: 1 }), note: null };
  }

  /** Updates the last known state and counts of an execution the journal has. */
  noteState(key: JournalKey, known: KnownState): void {
    this.use(undefined, (db) => {
      db.prepare(`UPDATE executions SET state = ?, total = ?, completed = ?, counts = coalesce(?, counts), updated_at = ?
        WHERE host = ? AND service = ? AND version = ? AND id = ?`).run(
        known.state, known.total, known.completed, known.counts ? JSON.stringify([...known.counts]) : null, Date.now(),
        key.host, key.service, key.version, key.id,
      );
    });
  }

  /** Every execution (or those `filter` picks), newest first (at most `limit`). */
  list(limit = 1000, filter: ListFilter = {}): JournalEntry[] {
    const where = filter.context !== undefined
      ? 'WHERE context = @context OR (context IS NULL AND lower(host) = @host)'
      : filter.host !== undefined ? 'WHERE lower(host) = @host' : '';
    const params = { context: filter.context ?? null, host: filter.host ?? null, limit };
    return this.use([], (db) => db.prepare(`SELECT ${COLUMNS} FROM executions ${where} ORDER BY started_at DESC, rowid DESC LIMIT @limit`)
      .all(params).map((r) => entryOf(r as Row)));
  }

  /** One execution, or undefined. */
  get(key: JournalKey): JournalEntry | undefined {
    return this.use(undefined, (db) => {
      const row = db.prepare(`SELECT ${COLUMNS} FROM executions WHERE host = ? AND service = ? AND version = ? AND id = ?`)
        .get(key.host, key.service, key.version, key.id) as Row | undefined;
      return row ? entryOf(row) : undefined;
    });
  }

  /** The records kept for an execution, or undefined when none are. */
  records(key: JournalKey): BatchRecord[] | undefined {
    return this.use(undefined, (db) => {
      const row = db.prepare('SELECT records FROM executions WHERE host = ? AND service = ? AND version = ? AND id = ?')
        .get(key.host, key.service, key.version, key.id) as { records: Buffer | null } | undefined;
      return row?.records ? (JSON.parse(gunzipSync(row.records).toString('utf8')) as BatchRecord[]) : undefined;
    });
  }

  /** The reruns of an execution (direct ones), oldest first. */
  reruns(parent: JournalKey): JournalEntry[] {
    return this.use([], (db) => db.prepare(`SELECT ${COLUMNS} FROM executions WHERE host = ? AND service = ? AND parent_version = ? AND parent_id = ?
        ORDER BY started_at, rowid`).all(parent.host, parent.service, parent.version, parent.id).map((r) => entryOf(r as Row)));
  }

  /**
   * The executions whose id starts with `prefix` (in any case), newest first (at most `limit`),
   * of one host, service or version when the scope names them: how a short id is found.
   */
  withIdPrefix(prefix: string, scope: JournalScope = {}, limit = 100): JournalEntry[] {
    const { where, params } = scopeWhere(scope);
    return this.use([], (db) => db.prepare(`SELECT ${COLUMNS} FROM executions WHERE lower(substr(id, 1, ?)) = lower(?)${where}
        ORDER BY started_at DESC, rowid DESC LIMIT ?`).all(prefix.length, prefix, ...params, limit).map((r) => entryOf(r as Row)));
  }

  /** The newest execution of the scope (a host, a service, a version), or undefined: what `last` names. */
  newest(scope: JournalScope = {}): JournalEntry | undefined {
    const { where, params } = scopeWhere(scope);
    return this.use(undefined, (db) => {
      const row = db.prepare(`SELECT ${COLUMNS} FROM executions WHERE 1 = 1${where} ORDER BY started_at DESC, rowid DESC LIMIT 1`).get(...params) as Row | undefined;
      return row ? entryOf(row) : undefined;
    });
  }

  /** Closes the file (the process may also just end). */
  close(): void {
    this.db?.close();
    this.db = null;
  }
}

/** Which executions a query looks at: each field given narrows it. */
export type JournalScope = Partial<Pick<JournalKey, 'host' | 'service' | 'version'>>;

function scopeWhere(scope: JournalScope): { where: string; params: string[] } {
  let where = '';
  const params: string[] = [];
  for (const column of ['host', 'service', 'version'] as const) {
    const value = scope[column];
    if (value === undefined) continue;
    where += ` AND ${column} = ?`;
    params.push(value);
  }
  return { where, params };
}

function entryOf(r: Row): JournalEntry {
  const json = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);
  return {
    host: String(r.host), service: String(r.service), version: String(r.version), id: String(r.id),
    context: (r.context as string | null) ?? null,
    user: (r.user as string | null) ?? null,
    startedAt: Number(r.started_at),
    origin: r.origin as JournalEntry['origin'],
    parallelCount: (r.parallel_count as number | null) ?? null,
    recordsPath: (r.records_path as string | null) ?? null,
    recordsHash: (r.records_hash as string | null) ?? null,
    recordCount: (r.record_count as number | null) ?? null,
    recordsKept: Boolean(r.kept),
    recordsNote: (r.records_note as string | null) ?? null,
    parentId: (r.parent_id as string | null) ?? null,
    parentVersion: (r.parent_version as string | null) ?? null,
    indexMap: json<number[]>(r.index_map),
    state: (r.state as string | null) ?? null,
    total: (r.total as number | null) ?? null,
    completed: (r.completed as number | null) ?? null,
    counts: json<number[]>(r.counts),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * Brings the schema to the latest version, in one write transaction: two processes opening an old
 * journal at once migrate it once (the second finds the version already raised).
 */
function migrate(db: Database.Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = version(); v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}


function isCorrupt(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
