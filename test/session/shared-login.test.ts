/**
 * The saved login's lock, between real processes: a lock whose holder died, or that is older than
 * the stale time, is broken; a live holder's is waited for (and kept fresh past the stale time),
 * and the process that waited takes the pair the holder saved instead of refreshing again.
 * Real time is what is tested here: proper-lockfile judges a lock by its directory's mtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenSet } from '../../src/client/token-store.js';
import { ExitError } from '../../src/session/exit.js';
import { openSharedLogin, type SavedLogin } from '../../src/session/shared-login.js';
import { tempDir } from '../helpers.js';
import { eventually } from '../test-clock.js';

const HOST = 'http://127.0.0.1:1';
const STALE_MS = 2_000;
const MODULE = pathToFileURL(resolve('dist/session/shared-login.js')).href;

/**
 * Another mlbatch process renewing: it takes the lock, says `holding`, and saves `child-r` once a
 * line arrives on its stdin (or never, when it is killed first).
 */
const HOLDER = `
import { openSharedLogin } from ${JSON.stringify(MODULE)};
const [path, host] = process.argv.slice(2);
const store = openSharedLogin(path, { staleMs: ${STALE_MS} }).tokenStore(host);
await store.renew(async () => {
  process.stdout.write('holding\\n');
  await new Promise((r) => process.stdin.once('data', r));
  return { refreshToken: 'child-r', accessToken: 'child-a', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 };
});
process.stdout.write('released\\n');
process.exit(0);
`;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A login file saved with refresh token `r0`, and the holder's script beside it. */
async function setup() {
  const dir = await tempDir('mlbatch-login-');
  const path = join(dir, 'config', 'login.json');
  await openSharedLogin(path).save({ host: HOST, username: 'admin', refreshToken: 'r0', savedAt: 'then' });
  await writeFile(join(dir, 'holder.mjs'), HOLDER);
  return { dir, path };
}

/** Starts the holder and resolves once it holds the lock. */
async function holder(dir: string, path: string) {
  const child = spawn(process.execPath, [join(dir, 'holder.mjs'), path, HOST], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await eventually(() => out.includes('holding\n') || child.exitCode !== null, 'the holder to take the lock');
  expect(err).toBe('');
  return { child, exited, out: () => out };
}

const refreshed = (n: number): TokenSet => ({ refreshToken: `parent-r${n}`, accessToken: `parent-a${n}`, expiresAt: Date.now() + 60_000, lifetimeMs: 60_000 });

describe('the saved login\'s lock', { timeout: 30_000 }, () => {
  it('breaks a lock older than the stale time at once', async () => {
    const { path } = await setup();
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    // Were it not broken, a wait this short would end in "another mlbatch process has held ...".
    const store = openSharedLogin(path, { staleMs: STALE_MS, lockWaitMs: 300 }).tokenStore(HOST);
    expect(await store.renew(async () => refreshed(1))).toMatchObject({ refreshToken: 'parent-r1' });
    expect((await openSharedLogin(path).read())?.refreshToken).toBe('parent-r1');
    await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('breaks the lock of a process that died holding it, once the lock is no longer kept fresh', async () => {
    const { dir, path } = await setup();
    const held = await holder(dir, path);
    held.child.kill('SIGKILL');
    await held.exited;
    // The dead process left its lock behind.
    expect((await stat(`${path}.lock`)).isDirectory()).toBe(true);
    const store = openSharedLogin(path, { staleMs: STALE_MS, lockWaitMs: 10_000 }).tokenStore(HOST);
    let given: TokenSet | undefined;
    await store.renew(async (saved) => {
      given = saved;
      return refreshed(2);
    });
    // It saved nothing: what is read is the pair from before.
    expect(given).toEqual({ refreshToken: 'r0' });
    expect((await openSharedLogin(path).read())?.refreshToken).toBe('parent-r2');
  });

  it('waits for a live holder past the stale time, then takes the pair it saved instead of refreshing', async () => {
    const { dir, path } = await setup();
    const held = await holder(dir, path);
    const shared = openSharedLogin(path, { staleMs: STALE_MS });
    // A wait shorter than the holder's turn gives up, naming the lock.
    const short = await openSharedLogin(path, { staleMs: STALE_MS, lockWaitMs: 300 }).tokenStore(HOST)
      .renew(async () => refreshed(3)).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(ExitError);
    expect(short).toMatchObject({ exitCode: 4, message: expect.stringContaining(`${path}.lock for over 0.3 s`) });

    let given: TokenSet | undefined;
    let ran = false;
    const waiting = shared.tokenStore(HOST).renew(async (saved) => {
      ran = true;
      given = saved;
      // What a client does when the saved pair is good: take it as it is.
      return saved!;
    });
    // Longer than the stale time: a live holder keeps its lock fresh, so it is not broken.
    await new Promise((r) => setTimeout(r, STALE_MS * 1.5));
    expect(ran).toBe(false);
    held.child.stdin!.write('go\n');
    expect(await held.exited).toBe(0);
    const taken = await waiting;
    expect(ran).toBe(true);
    expect(given).toMatchObject({ refreshToken: 'child-r', accessToken: 'child-a' });
    expect(taken).toBe(given);
    const saved = JSON.parse(await readFile(path, 'utf8')) as SavedLogin;
    expect(saved).toMatchObject({ host: HOST, username: 'admin', refreshToken: 'child-r', accessToken: 'child-a', expiresIn: 3600 });
    expect(Date.parse(saved.expiresAt!)).toBeGreaterThan(Date.now());
  });
});

describe('the saved login file', () => {
  it('is private (0600 in a 0700 dir), replaced whole, and left alone by a store for another server', async () => {
    const { path } = await setup();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    const other = openSharedLogin(path).tokenStore('http://elsewhere:2');
    expect(await other.load()).toBeUndefined();
    // Nothing saved for that server: whatever a renewal returns is not written over this login.
    await other.renew(async () => refreshed(4));
    expect(await openSharedLogin(path).read()).toMatchObject({ host: HOST, refreshToken: 'r0' });
    const store = openSharedLogin(path).tokenStore(`${HOST}/`);
    const fresh = refreshed(5);
    await store.renew(async () => fresh);
    expect(await store.load()).toEqual(fresh);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('is removed under the lock, and a renewal after that brings nothing back', async () => {
    const { path } = await setup();
    const shared = openSharedLogin(path);
    expect(await shared.remove()).toBe(true);
    expect(await shared.remove()).toBe(false);
    await shared.tokenStore(HOST).renew(async (saved) => {
      expect(saved).toBeUndefined();
      return refreshed(6);
    });
    expect(await shared.read()).toBeUndefined();
  });
});
