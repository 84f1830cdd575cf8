/**
 * Token lifetimes, client and embedded server on one clock the test moves: the client renews a
 * minute before the server would refuse its token, falls back to the password once the refresh
 * token has expired too, and a client with nothing to renew with gets the server's refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, MlBatchHttpError } from '../../src/index.js';
import { startServer } from '../../src/server/index.js';
import { SERVICES_DIR, tempDir } from '../helpers.js';
import { TEST_HASH_COST } from '../server/helpers.js';
import { TestClock } from '../test-clock.js';

const PASSWORD = 'test-password-1';
const clock = new TestClock();
/** The server's request log: one `METHOD path status time` line per request. */
const requests: string[] = [];
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  server = await startServer({
    port: 0, dataDir: await tempDir('mlbatch-tokens-'), servicesDir: SERVICES_DIR, adminPassword: PASSWORD, maxWorkers: 1,
    passwordHashCost: TEST_HASH_COST, tokenTtlSeconds: 600, refreshTokenTtlSeconds: 3600, now: clock.now,
    log: (line) => requests.push(line),
  });
});
afterAll(async () => server?.close());

/** How many requests the server answered with `method path status` since `from`. */
const answered = (from: number, method: string, path: string, status: number) =>
  requests.slice(from).filter((l) => l.startsWith(`${method} ${path} ${status} `)).length;
const refusals = (from: number) => requests.slice(from).filter((l) => / 401 \d+ms$/.test(l));

describe('token lifetimes', () => {
  it('renews the access token a minute before it expires, so the server never refuses a call', async () => {
    const from = requests.length;
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD, clock });
    const first = client.refreshToken;
    expect((await client.listServices()).length).toBeGreaterThan(0);
    // 9 min in: the token is used as it is.
    clock.advance(539_000);
    await client.listServices();
    expect(client.refreshToken).toBe(first);
    expect(answered(from, 'POST', '/login/refreshToken', 200)).toBe(0);
    // A minute before its end: renewed first (the server would still take the old one).
    clock.advance(1_000);
    await client.listServices();
    expect(answered(from, 'POST', '/login/refreshToken', 200)).toBe(1);
    expect(client.refreshToken).not.toBe(first);
    // Long past the first token's end, the new one's turn comes the same way.
    clock.advance(600_000);
    await client.listServices();
    expect(answered(from, 'POST', '/login/refreshToken', 200)).toBe(2);
    expect(answered(from, 'POST', '/login', 200)).toBe(1);
    expect(refusals(from)).toEqual([]);
  });

  it('logs in with the password again once the refresh token has expired too', async () => {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD, clock });
    const from = requests.length;
    clock.advance(3_600_000);
    expect((await client.listServices()).length).toBeGreaterThan(0);
    expect(answered(from, 'POST', '/login/refreshToken', 401)).toBe(1);
    expect(answered(from, 'POST', '/login', 200)).toBe(1);
    // The call itself was sent once, with the new token.
    expect(answered(from, 'GET', '/services', 200)).toBe(1);
    expect(answered(from, 'GET', '/services', 401)).toBe(0);
  });

  it('a client given only an access token gets the server\'s refusal once it has expired', async () => {
    const login = await (await fetch(`${server.url}/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    })).json() as { access_token: string; expires_on: string };
    const client = await connect({ host: server.url, token: login.access_token, clock });
    expect((await client.listServices()).length).toBeGreaterThan(0);
    clock.advance(600_000);
    const err = await client.listServices().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err).toMatchObject({ status: 401 });
  });
});
