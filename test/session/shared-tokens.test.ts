/**
 * Clients sharing one saved login (the real file and lock) against the embedded server, client
 * and server on one clock the test moves: the saved access token is used while it is valid, one
 * client's renewal serves the others, a refresh refused because someone rotated the token
 * without the lock reads the file once more, and a login that is gone says so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, MlBatchLoginGoneError, type Client, type TokenStore } from '../../src/index.js';
import { loginFields, openSharedLogin } from '../../src/session/shared-login.js';
import { PASSWORD, serverOnClock, tempDir } from '../helpers.js';
import { TestClock } from '../test-clock.js';

const clock = new TestClock();
const server = serverOnClock(clock, 'mlbatch-shared-');
const { requests, answered, refusals } = server;

/** What `mlbatch login` does: a password login, its tokens saved to a fresh file. */
async function loggedIn() {
  const path = join(await tempDir('mlbatch-login-'), 'login.json');
  const first = await connect({ host: server.url, username: 'admin', password: PASSWORD, clock });
  await openSharedLogin(path).save({ host: server.url, username: 'admin', ...loginFields(first.tokenSet!), savedAt: 'now' });
  return path;
}

/** A client on the saved login at `path`, as `resolveConnection` makes one. */
const onLogin = (path: string, store: TokenStore = openSharedLogin(path).tokenStore(server.url)): Promise<Client> =>
  connect({ host: server.url, tokenStore: store, clock });

describe('clients sharing a saved login', () => {
  it('use the saved access token while it is valid, and one renewal serves them all', async () => {
    const path = await loggedIn();
    const from = requests.length;
    const clients = await Promise.all(Array.from({ length: 6 }, () => onLogin(path)));
    await Promise.all(clients.map((c) => c.listServices()));
    expect(answered(from, 'POST', '/login/refreshToken', 200)).toBe(0);
    expect(answered(from, 'POST', '/login', 200)).toBe(0);
    // 9.5 minutes in, the token is due: of six clients renewing at once, one refreshes.
    clock.advance(570_000);
    await Promise.all(clients.map((c) => c.listServices()));
    expect(answered(from, 'POST', '/login/refreshToken', 200)).toBe(1);
    const access = new Set(clients.map((c) => c.tokenSet?.accessToken));
    expect(access.size).toBe(1);
    const saved = await openSharedLogin(path).read();
    expect(saved?.accessToken).toBe([...access][0]);
    expect(saved?.refreshToken).toBe(clients[0].refreshToken);
    // A client that starts now takes that token too.
    await (await onLogin(path)).listServices();
    // Many lifetimes later, still one refresh per lifetime, whoever does it.
    for (let i = 0; i < 5; i++) {
      clock.advance(600_000);
      await Promise.all(clients.map((c) => c.listServices()));
    }
    expect(answered(from, 'POST', '/login/refreshToken', 200)).toBe(6);
    expect(refusals(from)).toEqual([]);
  });

  it('reads the file once more when a refresh is refused, and takes a pair someone saved without the lock', async () => {
    const path = await loggedIn();
    const client = await onLogin(path, withRotation(path));
    clock.advance(570_000);
    expect((await client.listServices()).length).toBeGreaterThan(0);
    expect(answered(rotationFrom, 'POST', '/login/refreshToken', 401)).toBe(1);
    // One refresh by the other party, one by the client with the token the other party saved.
    expect(answered(rotationFrom, 'POST', '/login/refreshToken', 200)).toBe(2);
    expect((await openSharedLogin(path).read())?.refreshToken).toBe(client.refreshToken);
  });

  it('says the saved login is gone, and what to run, when the server no longer takes it', async () => {
    const path = await loggedIn();
    const client = await onLogin(path);
    await client.listServices();
    const saved = (await openSharedLogin(path).read())!;
    // Revoked elsewhere (an admin, a password reset): its access token goes with it.
    const revoked = await fetch(`${server.url}/login/refreshToken?refreshToken=${encodeURIComponent(saved.refreshToken)}`, {
      method: 'DELETE', headers: { authorization: `Bearer ${saved.accessToken}` },
    });
    expect(revoked.status).toBe(200);
    const from = requests.length;
    const err = await client.listServices().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlBatchLoginGoneError);
    expect(err).toMatchObject({ status: 401 });
    expect((err as Error).message).toBe(`the saved login for ${server.url} is gone: the server refused its refresh token `
      + `(expired or revoked), and no newer one was saved; run \`mlbatch login --host ${server.url}\``);
    // The call, then one refresh: the file held nothing newer to try.
    expect(refusals(from).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['GET /services', 'POST /login/refreshToken']);
    // A client that starts on it later is told the same at once.
    clock.advance(600_000);
    await expect(onLogin(path)).rejects.toBeInstanceOf(MlBatchLoginGoneError);
  });
});

let rotationFrom = 0;

/**
 * The saved login's store, with another party that refreshes the saved token just before this
 * client does and saves its new pair only once this client's refresh has been refused (as a
 * process that takes no lock would).
 */
function withRotation(path: string): TokenStore {
  const real = openSharedLogin(path).tokenStore(server.url);
  let rotated: string | undefined;
  return {
    host: real.host,
    loginAgain: real.loginAgain,
    load: () => real.load(),
    renew: async (renew) => {
      if (rotated !== undefined) return real.renew(renew);
      const saved = (await real.load())!;
      rotationFrom = requests.length;
      const answer = await (await fetch(`${server.url}/login/refreshToken`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: saved.refreshToken }),
      })).json() as { access_token: string; refresh_token: string; expires_on: string };
      rotated = answer.refresh_token;
      try {
        return await real.renew(renew);
      } finally {
        const login = (await openSharedLogin(path).read())!;
        // The other party's access token is not handed over: the client must refresh with its refresh token.
        await openSharedLogin(path).save({ ...login, refreshToken: rotated, accessToken: undefined, expiresAt: undefined });
      }
    },
  };
}
