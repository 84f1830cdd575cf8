/** The server's SQLite database: schema and opening. One file, WAL, in the data dir. */
import Database from 'better-sqlite3';
import { join } from 'node:path';

/** An open better-sqlite3 database. */
export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY,
  salt TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  user TEXT NOT NULL,
  family TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_family ON tokens (family);
CREATE TABLE IF NOT EXISTS services (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  key TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS executions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  state TEXT NOT NULL,
  canceled INTEGER NOT NULL DEFAULT 0,
  parallel_count INTEGER NOT NULL,
  total INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  ended_at TEXT,
  inputs TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_service ON executions (name, version);
CREATE TABLE IF NOT EXISTS results (
  execution_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (execution_id, idx)
) WITHOUT ROWID;
`;

/** Opens (creating when needed) `mlbatch.db` in the data dir. */
export function openDb(dataDir: string): Db {
  const db = new Database(join(dataDir, 'mlbatch.db'));
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a crash of this process (SIGKILL), which is what we promise.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
