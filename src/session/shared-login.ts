/**
 * The saved login, shared by every mlbatch process of a user: read without a lock (it is only
 * ever replaced whole), renewed under a lock on the file, written atomically (mode 0600, dir 0700).
 * Every function takes the login file's path; `loginPath()` is the default one.
 */
import { readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TokenSet, TokenStore } from '../client/token-store.js';
import { loginPath } from './config.js';
import { sameHost } from '../client/host.js';
import { withFileLock, writeFileWhole } from './locked-files.js';

/** What `mlbatch login` keeps, and every renewal after it: never the password. */
export interface SavedLogin {
  host: string;
  username?: string;
  refreshToken: string;
  /** The access token, reused by every process while it is valid. */
  accessToken?: string;
  /** When the access token expires (ISO 8601). */
  expiresAt?: string;
  /** Seconds the access token was issued for. */
  expiresIn?: number;
  insecure?: boolean;
  savedAt: string;
}

/** How long a renewal waits for another and when a lock is taken for a dead process's. */
export interface SharedLoginOptions {
  /** Longest wait for another process's renewal, in ms (default 90 s: more than a refresh's own time limit). */
  lockWaitMs?: number;
  /**
   * A lock whose holder has not kept it fresh for this long (ms; at least 2 s, default 10 s) is
   * a dead process's and is broken. A live holder freshens it every half of that.
   */
  staleMs?: number;
}

/** One saved login file. */
export interface SharedLogin {
  readonly path: string;
  /** The saved login, or undefined when there is none (or it is unreadable). */
  read(): Promise<SavedLogin | undefined>;
  /** Replaces the saved login (under the lock, so no renewal writes an older pair over it). */
  save(login: SavedLogin): Promise<void>;
  /** Removes the saved login; true when there was one. */
  remove(): Promise<boolean>;
  /**
   * The tokens of the saved login for `host`, as a client's store (none when the file is for
   * another server); `loginAgain` is what a login that is gone says to run.
   */
  tokenStore(host: string, loginAgain?: string): TokenStore;
}

/** The saved login at `path` (default: `loginPath()`). */
export function openSharedLogin(path: string = loginPath(), options: SharedLoginOptions = {}): SharedLogin {
  const file = resolve(path);
  const read = () => readLoginFile(file);
  const underLock = <T>(work: () => Promise<T>) => locked(file, options, work);
  return {
    path: file,
    read,
    save: (login) => underLock(() => writeLoginFile(file, login)),
    remove: () => underLock(() => unlink(file).then(() => true, () => false)),
    tokenStore: (host, loginAgain = `run \`mlbatch login --host ${host}\``) => ({
      host,
      loginAgain,
      load: async () => tokensFor(await read(), host),
      renew: (renew) => underLock(async () => {
        const login = await read();
        const saved = tokensFor(login, host);
        const next = await renew(saved);
        // Nothing saved for this host (logged out, or another server's login): renewing must not bring it back.
        if (next !== saved && login && saved) {
          // A refresh that cannot be saved still serves this process; the next process will need a login.
          await writeLoginFile(file, { ...login, ...loginFields(next), savedAt: new Date().toISOString() }).catch(() => {});
        }
        return next;
      }),
    }),
  };
}

/** The fields of a saved login that hold tokens, from a client's `tokenSet`. */
export function loginFields(tokens: TokenSet): Pick<SavedLogin, 'refreshToken' | 'accessToken' | 'expiresAt' | 'expiresIn'> {
  return {
    refreshToken: tokens.refreshToken,
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt === undefined ? undefined : new Date(tokens.expiresAt).toISOString(),
    expiresIn: tokens.lifetimeMs === undefined ? undefined : tokens.lifetimeMs / 1000,
  };
}

function tokensFor(login: SavedLogin | undefined, host: string): TokenSet | undefined {
  if (!login || !sameHost(login.host, host)) return undefined;
  const expiresAt = login.expiresAt === undefined ? NaN : Date.parse(login.expiresAt);
  const valid = typeof login.accessToken === 'string' && login.accessToken && Number.isFinite(expiresAt);
  if (!valid) return { refreshToken: login.refreshToken };
  const lifetime = Number(login.expiresIn);
  return {
    refreshToken: login.refreshToken,
    accessToken: login.accessToken,
    expiresAt,
    lifetimeMs: Number.isFinite(lifetime) && lifetime > 0 ? lifetime * 1000 : undefined,
  };
}

async function readLoginFile(path: string): Promise<SavedLogin | undefined> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Partial<SavedLogin>;
    if (typeof data.host === 'string' && typeof data.refreshToken === 'string') return data as SavedLogin;
  } catch {
    // No login saved yet, or a damaged file: both mean "not logged in".
  }
  return undefined;
}

/** Replaced whole: a reader sees the old login or the new one, never half of one. */
function writeLoginFile(path: string, login: SavedLogin): Promise<void> {
  return writeFileWhole(path, `${JSON.stringify(login, null, 2)}\n`);
}

/** Runs `work` holding the lock on the login file (see locked-files.ts). */
function locked<T>(path: string, options: SharedLoginOptions, work: () => Promise<T>): Promise<T> {
  return withFileLock(path, work, { waitMs: options.lockWaitMs, staleMs: options.staleMs, doing: 'renewing the saved login' });
}
