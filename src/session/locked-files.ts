/**
 * The files mlbatch writes for itself (saved logins, the current context, config.yaml when
 * `login` adds a context) are shared by every mlbatch process of the user: each is changed under
 * a lock and replaced whole, so no process writes over what another just saved and no reader
 * sees half a file.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT, ExitError } from './exit.js';

/** How long a lock is waited for, and when a dead process's lock is broken. */
export interface LockOptions {
  /** Longest wait for another process's lock, in ms (default 90 s). */
  waitMs?: number;
  /**
   * A lock whose holder has not kept it fresh for this long (ms; at least 2 s, default 10 s) is
   * a dead process's and is broken. A live holder freshens it every half of that.
   */
  staleMs?: number;
  /** What the other process was doing, for the message when the wait runs out. */
  doing?: string;
  /** The exit code when the wait runs out (default 4, as for a login that cannot be renewed). */
  exit?: number;
}

/** Changes in this process, one at a time per file: they would only wait on each other's file lock. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` holding the lock on `path` (proper-lockfile: a `<path>.lock` directory, made
 * atomically, kept fresh while held, broken once stale). Where no lock can be made at all (a
 * read-only dir), `work` runs without one, as it would have before there were locks.
 */
export function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.then(() => lockedRun(path, work, options));
  queues.set(path, run.catch(() => undefined));
  return run;
}

async function lockedRun<T>(path: string, work: () => Promise<T>, options: LockOptions): Promise<T> {
  const waitMs = options.waitMs ?? 90_000;
  // Loaded when a lock is first needed: most commands find a valid access token and never lock.
  const { lock } = await import('proper-lockfile');
  let release: (() => Promise<void>) | undefined;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    release = await lock(path, {
      realpath: false,
      stale: options.staleMs ?? 10_000,
      // Every 100 ms once the first few quick tries are past.
      retries: { retries: Math.ceil(waitMs / 100) + 6, factor: 1.5, minTimeout: 10, maxTimeout: 100 },
      // A holder too slow to keep its lock fresh still writes whole files; a race then costs one retry.
      onCompromised: () => {},
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new ExitError(options.exit ?? EXIT.connection,
        `another mlbatch process has held ${path}.lock for over ${Number((waitMs / 1000).toFixed(3))} s` +
        `${options.doing ? ` while ${options.doing}` : ''}; if no mlbatch runs, remove that directory`);
    }
  }
  try {
    return await work();
  } finally {
    await release?.().catch(() => {});
  }
}

/**
 * Replaces `path` whole (write-file-atomic: a temp file of its own, synced, then renamed over it),
 * creating its directory 0700; `mode` defaults to 0600.
 */
export async function writeFileWhole(path: string, text: string, mode = 0o600): Promise<void> {
  // Loaded when a file is written: most commands only read.
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, text, { mode });
}
