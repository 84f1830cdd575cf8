import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, tempDir, TEST_HASH_COST, type TestServer } from './helpers.js';
import { startServer } from '../../src/server/index.js';
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TestClock } from '../test-clock.js';

describe('authentication', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('refuses wrong credentials and every protected route without a valid token', async () => {
    const wrong = await request(t.server.url, 'POST', '/login', { username: 'admin', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ message: expect.stringMatching(/password/) });
    const nobody = await request(t.server.url, 'POST', '/login', { username: 'eve', password: 'test-password' });
    expect(nobody.status).toBe(401);

    for (const [method, path] of [
      ['GET', '/status'],
      ['GET', '/services'],
      ['POST', '/services/x/1.0'],
      ['GET', '/api/x/1.0/batch'],
      ['GET', '/api/x/1.0/batch/abc'],
      ['DELETE', '/login/refreshToken?refreshToken=abc'],
    ]) {
      const none = await t.call(method, path, undefined, '');
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(typeof (none.body as { message: string }).message).toBe('string');
      const bogus = await t.call(method, path, undefined, 'not-a-token');
      expect(bogus.status, `${method} ${path}`).toBe(401);
    }
    // A refresh token is not an access token.
    expect((await t.call('GET', '/status', undefined, t.refreshToken)).status).toBe(401);
    expect((await t.call('GET', '/status')).status).toBe(200);
  });

  it('refresh rotates: the new pair works, the used refresh token does not', async () => {
    const login = await request<{ refresh_token: string }>(t.server.url, 'POST', '/login', {
      username: 'admin',
      password: 'test-password',
    });
    const first = login.body.refresh_token;
    const renewed = await request<{ access_token: string; refresh_token: string; token_type: string; expires_in: number; expires_on: string }>(
      t.server.url, 'POST', '/login/refreshToken', { refreshToken: first },
    );
    expect(renewed.status).toBe(200);
    expect(renewed.body.token_type).toBe('Bearer');
    expect(renewed.body.expires_in).toBe(3600);
    expect(Number(renewed.body.expires_on)).toBeGreaterThan(Date.now() / 1000);
    expect(renewed.body.refresh_token).not.toBe(first);
    expect((await t.call('GET', '/status', undefined, renewed.body.access_token)).status).toBe(200);
    const again = await request(t.server.url, 'POST', '/login/refreshToken', { refreshToken: first });
    expect(again.status).toBe(401);
  });

  it('revoking a refresh token ends it and the access tokens issued with it', async () => {
    const login = await request<{ access_token: string; refresh_token: string }>(t.server.url, 'POST', '/login', {
      username: 'admin',
      password: 'test-password',
    });
    const { access_token, refresh_token } = login.body;
    const revoke = await t.call('DELETE', `/login/refreshToken?refreshToken=${encodeURIComponent(refresh_token)}`);
    expect(revoke.status).toBe(200);
    expect((await request(t.server.url, 'POST', '/login/refreshToken', { refreshToken: refresh_token })).status).toBe(401);
    expect((await t.call('GET', '/status', undefined, access_token)).status).toBe(401);
    // Revoking again (or revoking garbage) is a 401, not a success.
    expect((await t.call('DELETE', `/login/refreshToken?refreshToken=${refresh_token}`)).status).toBe(401);
  });

  it('access tokens expire after tokenTtlSeconds, refresh tokens after refreshTokenTtlSeconds', async () => {
    const clock = new TestClock();
    const short = await startTestServer({ tokenTtlSeconds: 3, refreshTokenTtlSeconds: 10, now: clock.now });
    try {
      const login = await request<{ access_token: string; refresh_token: string; expires_in: number; expires_on: string }>(
        short.server.url, 'POST', '/login', { username: 'admin', password: 'test-password' },
      );
      expect(login.body.expires_in).toBe(3);
      expect(Number(login.body.expires_on)).toBe(clock.now() / 1000 + 3);
      const status = () => short.call('GET', '/status', undefined, login.body.access_token).then((r) => r.status);
      // Good to the last millisecond before expires_on, refused from then on.
      clock.advance(2999);
      expect(await status()).toBe(200);
      clock.advance(1);
      expect(await status()).toBe(401);
      // The refresh token outlives it, up to its own lifetime.
      clock.advance(6999);
      const refresh = (token: string) => request<{ refresh_token: string }>(short.server.url, 'POST', '/login/refreshToken', { refreshToken: token });
      const renewed = await refresh(login.body.refresh_token);
      expect(renewed.status).toBe(200);
      clock.advance(10_000);
      expect((await refresh(renewed.body.refresh_token)).status).toBe(401);
    } finally {
      await short.stop();
    }
  });

  it('never logs passwords or tokens', () => {
    const all = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(5);
    expect(all).not.toContain('test-password');
    expect(all).not.toContain(t.token);
    expect(all).not.toContain(t.refreshToken);
    expect(all).not.toContain('refreshToken=');
  });
});

/** POST /login from a chosen local address (127.0.0.2 is loopback too); status and Retry-After. */
function loginFrom(url: string, localAddress: string, username: string, password: string): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/login`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ username, password }));
  });
}

describe('login throttling', () => {
  it('after 5 failures per user and per address, logins wait (429 with Retry-After); the right password works after the wait', async () => {
    const clock = new TestClock();
    const t = await startTestServer({ now: clock.now });
    try {
      const url = t.server.url;
      // A burst of guesses is taken in turn: 6 are checked, the rest refused unchecked.
      const burst = await Promise.all(Array.from({ length: 9 }, () => loginFrom(url, '127.0.0.1', 'admin', 'guess')));
      expect(burst.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429]);
      expect(burst[8].retryAfter).toBe('1');
      // Closed for this address and for this user, even with the right password...
      const right = await loginFrom(url, '127.0.0.1', 'admin', 'test-password');
      expect(right.status).toBe(429);
      expect(await loginFrom(url, '127.0.0.2', 'admin', 'test-password')).toMatchObject({ status: 429 });
      // ...but not for another user from another address.
      expect((await loginFrom(url, '127.0.0.2', 'eve', 'guess')).status).toBe(401);

      // A moment before the wait is over: still closed.
      clock.advance(Number(right.retryAfter) * 1000 - 1);
      expect((await loginFrom(url, '127.0.0.1', 'admin', 'test-password')).status).toBe(429);
      clock.advance(1);
      expect((await loginFrom(url, '127.0.0.1', 'admin', 'test-password')).status).toBe(200);
      // A success clears the count: the next failure is a plain 401 again.
      expect((await loginFrom(url, '127.0.0.1', 'admin', 'guess')).status).toBe(401);
    } finally {
      await t.stop();
    }
  });

  it('the delay doubles with each further failure, up to a minute', async () => {
    const clock = new TestClock();
    const t = await startTestServer({ now: clock.now });
    try {
      const waits: string[] = [];
      for (let k = 0; k < 8; k++) {
        for (;;) {
          const r = await loginFrom(t.server.url, '127.0.0.1', 'admin', 'guess');
          if (r.status === 429) {
            waits.push(r.retryAfter!);
            clock.advance(Number(r.retryAfter) * 1000);
            break;
          }
          expect(r.status).toBe(401);
        }
      }
      expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '60', '60']);
    } finally {
      await t.stop();
    }
  });
});

// The scrypt cost itself is held by the test of a hash made at another cost (which restarts at the
// default); the others hash at the tests' low cost.
describe('admin password', () => {
  it('is generated at the first start of a data dir, kept (not shown) later, reset by the environment', async () => {
    const saved = process.env.MLBATCH_ADMIN_PASSWORD;
    delete process.env.MLBATCH_ADMIN_PASSWORD;
    const dataDir = tempDir();
    const canLogIn = async (url: string, password: string | undefined) =>
      (await request(url, 'POST', '/login', { username: 'admin', password })).status === 200;
    try {
      const first = await startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
      const generated = first.adminPassword!;
      try {
        expect(first.adminPasswordSource).toBe('generated');
        expect(generated).toMatch(/^.{16,}$/);
        expect(await canLogIn(first.url, generated)).toBe(true);
        expect(await canLogIn(first.url, '')).toBe(false);
      } finally {
        await first.close();
      }

      const second = await startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
      try {
        expect(second.adminPasswordSource).toBe('kept');
        expect(second.adminPassword).toBeUndefined();
        expect(await canLogIn(second.url, generated)).toBe(true);
      } finally {
        await second.close();
      }

      process.env.MLBATCH_ADMIN_PASSWORD = 'chosen-later';
      const third = await startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
      try {
        expect(third.adminPasswordSource).toBe('given');
        expect(await canLogIn(third.url, 'chosen-later')).toBe(true);
        expect(await canLogIn(third.url, generated)).toBe(false);
      } finally {
        await third.close();
      }
      // The reset password is the stored one from now on.
      delete process.env.MLBATCH_ADMIN_PASSWORD;
      const fourth = await startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
      try {
        expect(fourth.adminPasswordSource).toBe('kept');
        expect(await canLogIn(fourth.url, 'chosen-later')).toBe(true);
      } finally {
        await fourth.close();
      }
    } finally {
      if (saved === undefined) delete process.env.MLBATCH_ADMIN_PASSWORD;
      else process.env.MLBATCH_ADMIN_PASSWORD = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a hash made at another scrypt cost is kept with its cost: a restart at the default cost still logs in and keeps tokens', async () => {
    const dataDir = tempDir();
    try {
      const cheap = await startServer({ port: 0, dataDir, adminPassword: 'pw', passwordHashCost: 1024 });
      const tokens = await request<{ access_token: string }>(cheap.url, 'POST', '/login', { username: 'admin', password: 'pw' });
      await cheap.close();
      const db = new Database(join(dataDir, 'mlbatch.db'), { readonly: true });
      expect((db.prepare('SELECT hash FROM users').get() as { hash: string }).hash).toMatch(/^1024\$[A-Za-z0-9+/]+=*$/);
      db.close();
      const again = await startServer({ port: 0, dataDir, adminPassword: 'pw' });
      try {
        expect(again.adminPasswordSource).toBe('given');
        // The same password given again is recognised at its stored cost: tokens stay valid.
        expect((await request(again.url, 'GET', '/services', undefined, tokens.body.access_token)).status).toBe(200);
        expect((await request(again.url, 'POST', '/login', { username: 'admin', password: 'pw' })).status).toBe(200);
        expect((await request(again.url, 'POST', '/login', { username: 'admin', password: 'pW' })).status).toBe(401);
      } finally {
        await again.close();
      }
      await expect(startServer({ port: 0, dataDir, passwordHashCost: 3000 })).rejects.toThrow('passwordHashCost must be a power of two (got 3000)');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a first start that fails after generating one (port taken) leaves none behind: the next start shows a new one', async () => {
    const saved = process.env.MLBATCH_ADMIN_PASSWORD;
    delete process.env.MLBATCH_ADMIN_PASSWORD;
    const busy = await startTestServer();
    const dataDir = tempDir();
    try {
      await expect(startServer({ port: busy.server.port, dataDir })).rejects.toThrow(/EADDRINUSE/);
      const next = await startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
      try {
        expect(next.adminPasswordSource).toBe('generated');
        expect((await request(next.url, 'POST', '/login', { username: 'admin', password: next.adminPassword })).status).toBe(200);
      } finally {
        await next.close();
      }
    } finally {
      await busy.stop();
      if (saved !== undefined) process.env.MLBATCH_ADMIN_PASSWORD = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reset with MLBATCH_ADMIN_PASSWORD revokes the tokens issued under the old one; the same one given again keeps them', async () => {
    const saved = process.env.MLBATCH_ADMIN_PASSWORD;
    const dataDir = tempDir();
    const start = async (password: string) => {
      process.env.MLBATCH_ADMIN_PASSWORD = password;
      return startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
    };
    const status = (url: string, token: string) => request(url, 'GET', '/status', undefined, token).then((r) => r.status);
    const refresh = (url: string, refreshToken: string) =>
      request(url, 'POST', '/login/refreshToken', { refreshToken }).then((r) => r.status);
    try {
      const first = await start('old-password');
      const old = await request<{ access_token: string; refresh_token: string }>(first.url, 'POST', '/login', { username: 'admin', password: 'old-password' });
      await first.close();

      const same = await start('old-password');
      try {
        expect(await status(same.url, old.body.access_token)).toBe(200);
      } finally {
        await same.close();
      }

      const reset = await start('new-password');
      try {
        expect(await status(reset.url, old.body.access_token)).toBe(401);
        expect(await refresh(reset.url, old.body.refresh_token)).toBe(401);
        const fresh = await request<{ access_token: string }>(reset.url, 'POST', '/login', { username: 'admin', password: 'new-password' });
        expect(await status(reset.url, fresh.body.access_token)).toBe(200);
      } finally {
        await reset.close();
      }
    } finally {
      if (saved === undefined) delete process.env.MLBATCH_ADMIN_PASSWORD;
      else process.env.MLBATCH_ADMIN_PASSWORD = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('comes from MLBATCH_ADMIN_PASSWORD and is stored only as a salted hash', async () => {
    const saved = process.env.MLBATCH_ADMIN_PASSWORD;
    process.env.MLBATCH_ADMIN_PASSWORD = 'from-the-environment';
    const dataDir = tempDir();
    const server = await startServer({ port: 0, dataDir, passwordHashCost: TEST_HASH_COST });
    try {
      expect(server.adminPassword).toBeUndefined();
      const ok = await request(server.url, 'POST', '/login', { username: 'admin', password: 'from-the-environment' });
      expect(ok.status).toBe(200);
    } finally {
      await server.close();
      if (saved === undefined) delete process.env.MLBATCH_ADMIN_PASSWORD;
      else process.env.MLBATCH_ADMIN_PASSWORD = saved;
    }
    const { readFileSync, readdirSync } = await import('node:fs');
    for (const f of readdirSync(dataDir).filter((f) => f.startsWith('mlbatch.db'))) {
      expect(readFileSync(`${dataDir}/${f}`).includes('from-the-environment')).toBe(false);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
});

// An address of this machine other than loopback, to knock on from outside 127.0.0.1.
const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;

describe('default bind', () => {
  it.skipIf(!external)(`listens on 127.0.0.1 only: ${external ?? '(skipped: no external IPv4 address)'} is refused`, async () => {
    const t = await startTestServer();
    try {
      const port = t.server.port;
      expect((await fetch(`http://127.0.0.1:${port}/status`)).status).toBe(401);
      const outside = await fetch(`http://${external}:${port}/status`).then(
        (r) => `answered ${r.status}`,
        (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
      );
      expect(outside).toBe('ECONNREFUSED');
    } finally {
      await t.stop();
    }
  });
});
