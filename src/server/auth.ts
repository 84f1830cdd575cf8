/** Users and tokens: salted scrypt password hashes, random tokens stored only as hashes. */
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { ADMIN_USER, type AccessTokenResponse } from '../protocol.js';
import type { Db } from './db.js';
import { unauthorized } from './errors.js';
import { DEFAULT_HASH_COST } from './options.js';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, o: ScryptOptions) => Promise<Buffer>;
const KEY_LEN = 32;
// scrypt needs 128 × N × r bytes; node's default limit (32 MiB) covers N = 2^15 at r = 8.
const maxmem = (cost: number) => 256 * cost * 8 + 1024 * 1024;

/** Logs users in and checks bearer tokens. */
export interface Auth {
  /** Where the admin password in force came from; `generated` holds it when made at this start. */
  readonly adminPassword: { source: AdminPasswordSource; generated?: string };
  login(username: string, password: string): Promise<AccessTokenResponse>;
  refresh(refreshToken: string): AccessTokenResponse;
  revoke(refreshToken: string): void;
  /** The user a valid access token belongs to, or undefined. */
  verify(accessToken: string): string | undefined;
}

/** Where the admin password in force came from (see `createAuth`). */
export type AdminPasswordSource = 'given' | 'generated' | 'kept';

/** Lifetimes of the tokens `createAuth` issues, in seconds. */
export interface TokenLifetimes {
  access: number;
  refresh: number;
}

/**
 * Sets the admin's password (stored as salt + scrypt hash) and returns the token service.
 * A given password that differs from the stored one replaces it and revokes every token issued
 * under the old one; without one, the stored hash is kept, and only a data dir without an admin
 * yet gets `generate()`'s password.
 */
export function createAuth(
  db: Db,
  adminPassword: string | undefined,
  lifetimes: TokenLifetimes,
  generate: () => string = generatePassword,
  hashCost: number = DEFAULT_HASH_COST,
  /** Epoch milliseconds now: tokens expire by it. */
  now: () => number = Date.now,
): Auth {
  const seconds = (): number => Math.floor(now() / 1000);
  const stored = db
    .prepare<[string], { salt: string; hash: string }>('SELECT salt, hash FROM users WHERE name = ?')
    .get(ADMIN_USER);
  let source: AdminPasswordSource = 'given';
  let password = adminPassword;
  if (!password) {
    source = stored ? 'kept' : 'generated';
    password = stored ? undefined : generate();
  } else if (stored && matches(password, stored)) {
    // The same password given again (every start of a service, say): tokens stay valid.
    password = undefined;
  }
  if (password !== undefined) {
    const salt = randomBytes(16);
    const hash = scryptSync(password, salt, KEY_LEN, { N: hashCost, maxmem: maxmem(hashCost) });
    db.transaction(() => {
      db.prepare('INSERT OR REPLACE INTO users (name, salt, hash) VALUES (?, ?, ?)').run(
        ADMIN_USER,
        salt.toString('base64'),
        storedHash(hash, hashCost),
      );
      // A reset password is often a leaked one: whoever held a token under it holds none now.
      db.prepare('DELETE FROM tokens WHERE user = ?').run(ADMIN_USER);
    })();
  }
  const generated = source === 'generated' ? password : undefined;
  const getUser = db.prepare<[string], { salt: string; hash: string }>(
    'SELECT salt, hash FROM users WHERE name = ?',
  );
  const insertToken = db.prepare(
    'INSERT INTO tokens (hash, kind, user, family, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const findToken = db.prepare<[string, string, number], { user: string; family: string }>(
    'SELECT user, family FROM tokens WHERE hash = ? AND kind = ? AND expires_at > ?',
  );
  const dropFamily = db.prepare('DELETE FROM tokens WHERE family = ?');
  const dropRefresh = db.prepare("DELETE FROM tokens WHERE family = ? AND kind = 'refresh'");
  const dropExpired = db.prepare('DELETE FROM tokens WHERE expires_at <= ?');

  const issue = db.transaction((user: string, family: string): AccessTokenResponse => {
    const issued = seconds();
    const access = newToken();
    const refresh = newToken();
    insertToken.run(digest(access), 'access', user, family, issued + lifetimes.access);
    insertToken.run(digest(refresh), 'refresh', user, family, issued + lifetimes.refresh);
    return {
      token_type: 'Bearer',
      access_token: access,
      expires_in: lifetimes.access,
      expires_on: String(issued + lifetimes.access),
      refresh_token: refresh,
    };
  });

  return {
    adminPassword: { source, generated },
    async login(username, password) {
      const row = typeof username === 'string' ? getUser.get(username) : undefined;
      // Hash even for an unknown user so timing does not tell which users exist.
      const rowSalt = row ? Buffer.from(row.salt, 'base64') : randomBytes(16);
      const want = row ? parseHash(row.hash) : { cost: hashCost, hash: Buffer.alloc(KEY_LEN) };
      const got = await scryptAsync(String(password ?? ''), rowSalt, KEY_LEN, { N: want.cost, maxmem: maxmem(want.cost) });
      if (!row || got.length !== want.hash.length || !timingSafeEqual(got, want.hash)) {
        throw unauthorized('wrong user name or password');
      }
      dropExpired.run(seconds());
      return issue(username, newToken());
    },
    refresh(refreshToken) {
      const found =
        typeof refreshToken === 'string'
          ? findToken.get(digest(refreshToken), 'refresh', seconds())
          : undefined;
      if (!found) throw unauthorized('refresh token is invalid, expired or revoked');
      // Rotation: the used refresh token dies; access tokens already issued live out their time.
      dropRefresh.run(found.family);
      return issue(found.user, found.family);
    },
    revoke(refreshToken) {
      const found =
        typeof refreshToken === 'string'
          ? findToken.get(digest(refreshToken), 'refresh', seconds())
          : undefined;
      if (!found) throw unauthorized('refresh token is invalid, expired or already revoked');
      // Revoking a refresh token also ends the access tokens issued along with it.
      dropFamily.run(found.family);
    },
    verify(accessToken) {
      return findToken.get(digest(accessToken), 'access', seconds())?.user;
    },
  };
}

/** Removes the admin's stored password (a start that failed after generating one). */
export function forgetAdmin(db: Db): void {
  db.prepare('DELETE FROM users WHERE name = ?').run(ADMIN_USER);
}

function matches(password: string, stored: { salt: string; hash: string }): boolean {
  const want = parseHash(stored.hash);
  const got = scryptSync(password, Buffer.from(stored.salt, 'base64'), KEY_LEN, { N: want.cost, maxmem: maxmem(want.cost) });
  return got.length === want.hash.length && timingSafeEqual(got, want.hash);
}

/** A hash as stored: plain base64 at the default cost (as data dirs have always held it), else `N$base64`. */
function storedHash(hash: Buffer, cost: number): string {
  return cost === DEFAULT_HASH_COST ? hash.toString('base64') : `${cost}$${hash.toString('base64')}`;
}

function parseHash(stored: string): { cost: number; hash: Buffer } {
  const at = stored.indexOf('$');
  if (at < 0) return { cost: DEFAULT_HASH_COST, hash: Buffer.from(stored, 'base64') };
  return { cost: Number(stored.slice(0, at)), hash: Buffer.from(stored.slice(at + 1), 'base64') };
}

/** A fresh random password for the admin when none was given. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
