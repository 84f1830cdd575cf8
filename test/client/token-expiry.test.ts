/**
 * Token lifetimes, client and embedded server on one clock the test moves: the client renews a
 * minute before the server would refuse its token, falls back to the password once the refresh
 * token has expired too, and a client with nothing to renew with gets the server's refusal.
 */
import { describe, expect, it } from 'vitest';
import { connect, MlBatchHttpError } from '../../src/index.js';
import { PASSWORD, serverOnClock } from '../helpers.js';
import { TestClock } from '../test-clock.js';

const clock = new TestClock();
const server = serverOnClock(clock, 'mlbatch-tokens-');
const { requests, answered, refusals } = server;

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
