/**
 * One saved login, many mlbatch processes at once (the built CLI against the embedded server,
 * which rotates refresh tokens as ML Server does): none is refused, a due token is refreshed once
 * for all of them, diff's two clients share it, and a login that is gone says what to run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client.js';
import { startServer } from '../../src/server/index.js';
import type { SavedLogin } from '../../src/session/shared-login.js';
import { Poller } from '../../src/watch/poller.js';
import { PASSWORD, SERVICES_DIR, tempDir } from '../helpers.js';
import { TEST_HASH_COST } from '../server/helpers.js';
import { cli, type CliResult } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof startServer>>;
/** The server's request log: one `METHOD path status time` line per request. */
const requests: string[] = [];

beforeAll(async () => {
  server = await startServer({
    port: 0, dataDir: await tempDir('mlbatch-data-'), servicesDir: SERVICES_DIR, adminPassword: PASSWORD,
    maxWorkers: 4, passwordHashCost: TEST_HASH_COST, log: (line) => requests.push(line),
  });
});
afterAll(async () => server?.close());

const count = (from: number, what: string) => requests.slice(from).filter((l) => l.startsWith(`${what} `)).length;

/** `mlbatch login` into config and state dirs of its own, as context `t`; returns the environment that uses it (no password in it) and the login file. */
async function login() {
  const home = await tempDir();
  const env = { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') };
  const r = await cli(['login', '--context', 't', '--host', server.url, '--password-stdin'], env, `${PASSWORD}\n`);
  expect(r.code, r.stderr).toBe(0);
  return { env, file: join(env.XDG_STATE_HOME, 'mlbatch', 'logins', 't.json') };
}

const readSaved = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as SavedLogin;

/** The saved login as an hour later: its access token expired (the server would still take it, but no process uses it). */
async function expire(file: string): Promise<void> {
  const saved = await readSaved(file);
  await writeFile(file, JSON.stringify({ ...saved, expiresAt: new Date(Date.now() - 1000).toISOString() }), { mode: 0o600 });
}

const brief = (r: CliResult) => `exit ${r.code}: ${r.stderr}`;

describe('a saved login shared by processes that start together', { timeout: 120_000 }, () => {
  it('mlbatch login keeps the access token and its expiry beside the refresh token', async () => {
    const { file } = await login();
    const saved = await readSaved(file);
    expect(saved).toMatchObject({ host: server.url, username: 'admin', expiresIn: 3600 });
    expect(saved.accessToken).toEqual(expect.any(String));
    expect(saved.refreshToken).toEqual(expect.any(String));
    expect(Date.parse(saved.expiresAt!) - Date.now()).toBeGreaterThan(3500_000);
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
  });

  it('5 rounds of 6 `services --json` at once all exit 0, with one refresh per round whose token was due', async () => {
    const { env, file } = await login();
    const from = requests.length;
    for (let round = 0; round < 5; round++) {
      const before = requests.length;
      // Round 0: a login saved as it was before access tokens were kept (every process must refresh);
      // rounds 1, 3: the hour is up; rounds 2, 4: the token is still good.
      if (round === 0) {
        const { accessToken: _a, expiresAt: _e, expiresIn: _i, ...old } = await readSaved(file);
        await writeFile(file, JSON.stringify(old), { mode: 0o600 });
      } else if (round % 2 === 1) {
        await expire(file);
      }
      const runs = await Promise.all(Array.from({ length: 6 }, () => cli(['services', '--json'], env)));
      expect(runs.map(brief)).toEqual(Array(6).fill('exit 0: '));
      for (const r of runs) expect(JSON.parse(r.stdout).map((s: { name: string }) => s.name)).toContain('flaky');
      expect(count(before, 'POST /login/refreshToken 200'), `refreshes in round ${round}`).toBe(round % 2 === 0 && round > 0 ? 0 : 1);
    }
    expect(requests.slice(from).filter((l) => / 401 \d+ms$/.test(l))).toEqual([]);
    expect(count(from, 'POST /login')).toBe(0);
  });

  it('diff opens two clients on it and exits 0 or 1, never 4', async () => {
    const run = async (version: string) => {
      const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
      const records = [4, -1, 1, 2.25].map((value, id) => ({ id, value }));
      const batch = await (await client.getService('flaky', version)).batch(records, { parallelCount: 2 }).start();
      await new Poller(batch, { minIntervalMs: 20, results: 'counts' }).run();
      return batch.requireId();
    };
    const [a, b] = await Promise.all([run('1.0'), run('2.0')]);
    const { env, file } = await login();
    for (const due of [false, true, true]) {
      if (due) await expire(file);
      const same = await cli(['diff', 'flaky', '1.0', a, 'flaky', '1.0', a], env);
      expect(brief(same)).toBe('exit 0: ');
      const different = await cli(['diff', 'flaky', '1.0', a, 'flaky', '2.0', b], env);
      expect(brief(different)).toBe('exit 1: ');
    }
  });

  it('a login the server no longer takes says so and what to run (exit 4), at once and without retries', async () => {
    const { env, file } = await login();
    const saved = await readSaved(file);
    const revoked = await fetch(`${server.url}/login/refreshToken?refreshToken=${encodeURIComponent(saved.refreshToken)}`, {
      method: 'DELETE', headers: { authorization: `Bearer ${saved.accessToken}` },
    });
    expect(revoked.status).toBe(200);
    const gone = `mlbatch: the saved login for ${server.url} is gone: the server refused its refresh token (expired or revoked), `
      + `and no newer one was saved; run \`mlbatch login --context t\`\n`;
    // Its access token looks good but is refused; then its access token is due.
    for (const due of [false, true]) {
      if (due) await expire(file);
      const from = requests.length;
      const r = await cli(['services'], env);
      expect(r.code).toBe(4);
      expect(r.stderr).toBe(gone);
      expect(count(from, 'POST /login/refreshToken 401')).toBe(1);
    }
    // A status --wait, the same.
    const status = await cli(['status', 'flaky', '1.0', 'some-id', '--wait'], env);
    expect(status.code).toBe(4);
    expect(status.stderr).toBe(gone);
  });
});
