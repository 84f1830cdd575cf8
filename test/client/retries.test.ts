/**
 * Retries against a small real HTTP server: GETs retry with bounded backoff; start and cancel
 * never do. The client's clock records the delays it waits instead of waiting them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoff, connect, MlBatchHttpError, MlBatchNetworkError, type Client } from '../../src/index.js';
import { sendJson, tinyServer } from '../helpers.js';
import { TestClock } from '../test-clock.js';

/** Arrival times per "METHOD path". */
const arrivals = new Map<string, number[]>();
/** How many more times each "METHOD path" is refused before it is answered. */
const failuresLeft = new Map<string, number>();
let renewals = 0;
let server: Awaited<ReturnType<typeof tinyServer>>;
let client: Client;
const clock = new TestClock();

const seen = (key: string) => arrivals.get(key) ?? [];

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (p === '/login/refreshToken') return sendJson(res, 200, { access_token: `t${++renewals}`, expires_in: 3600, refresh_token: 'r' });
    // A revoked token: refused (401) until the client renews it; the server did nothing.
    if (p.includes('revoked') && req.headers.authorization === 'Bearer t') {
      arrivals.set(`${req.method} ${p}`, [...seen(`${req.method} ${p}`), Date.now()]);
      return sendJson(res, 401, { message: 'token revoked' });
    }
    if (p === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1', inputParameterDefinitions: [] });
    const key = `${req.method} ${p}`;
    arrivals.set(key, [...seen(key), Date.now()]);
    const left = failuresLeft.get(key) ?? 0;
    if (left > 0) {
      failuresLeft.set(key, left - 1);
      // "reset" drops the connection mid-call: a plain network error for the client.
      if (p.includes('reset')) return void req.socket.destroy();
      return sendJson(res, 503, { message: 'busy, try later' });
    }
    if (req.method === 'DELETE') return sendJson(res, 200, {});
    if (req.method === 'POST') return sendJson(res, 200, { batchExecutionId: 'new' });
    sendJson(res, 200, { state: 'Complete', totalItemCount: 1, completedItemCount: 1, batchExecutionResults: [] });
  });
  client = await connect({ host: server.url, username: 'u', password: 'p', retries: 4, retryBaseMs: 100, retryMaxMs: 250, clock });
});
afterAll(async () => server?.close());
beforeEach(() => {
  clock.sleeps.length = 0;
});

describe('retries', () => {
  it('never retries a cancel (DELETE) answered 503: one DELETE arrives, and the error says so', async () => {
    failuresLeft.set('DELETE /api/s/1/batch/C503', 1);
    const batch = (await client.getService('s', '1')).getBatch('C503');
    const err = await batch.cancel().catch((e) => e);
    // A retry would come before the call settles, after a delay: none was even waited for.
    expect(clock.sleeps).toEqual([]);
    expect(seen('DELETE /api/s/1/batch/C503').length).toBe(1);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err).toMatchObject({ status: 503, method: 'DELETE' });
    expect(err.message).toBe('503 Service Unavailable from DELETE /api/s/1/batch/C503: the server failed; it was not retried, '
      + 'check the server before trying again (server said: busy, try later)');
  });

  it('never retries a cancel whose connection broke', async () => {
    failuresLeft.set('DELETE /api/s/1/batch/reset-cancel', 1);
    const err = await (await client.getService('s', '1')).getBatch('reset-cancel').cancel().catch((e) => e);
    expect(clock.sleeps).toEqual([]);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(/^DELETE \/api\/s\/1\/batch\/reset-cancel failed \(.+\): check that the server runs at .*; it was not retried because the server may have acted on it: check before sending it again$/);
    expect(seen('DELETE /api/s/1/batch/reset-cancel').length).toBe(1);
  });

  it('never retries a start whose connection broke', async () => {
    failuresLeft.set('POST /api/s-reset/1/batch', 1);
    const svc = client.service({ name: 's-reset', version: '1' });
    const err = await svc.batch([{ a: 1 }]).start().catch((e) => e);
    expect(clock.sleeps).toEqual([]);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(/^POST \/api\/s-reset\/1\/batch failed .*; it was not retried because the server may have acted on it/);
    expect(seen('POST /api/s-reset/1/batch').length).toBe(1);
  });

  it('sends a start refused with 401 again once, after renewing the token (the server did nothing); later calls use the new token', async () => {
    const svc = client.service({ name: 'revoked', version: '1' });
    const batch = await svc.batch([{ a: 1 }]).start();
    expect(batch.executionId).toBe('new');
    expect(seen('POST /api/revoked/1/batch').length).toBe(2);
    await svc.getBatch('revoked-too').cancel();
    expect(seen('DELETE /api/revoked/1/batch/revoked-too').length).toBe(1);
    expect(renewals).toBe(1);
  });

  it('retries a GET on dropped connections with growing, jittered delays, then succeeds', async () => {
    failuresLeft.set('GET /api/s/1/batch/reset-3', 3);
    const response = await (await client.getService('s', '1')).getBatch('reset-3').results();
    expect(response.state).toBe('Complete');
    expect(seen('GET /api/s/1/batch/reset-3').length).toBe(4);
    // The delay before retry n is min(250, 100 * 2^n), its second half random (the jitter).
    expect(clock.sleeps).toHaveLength(3);
    [100, 200, 250].forEach((ceiling, n) => {
      expect(clock.sleeps[n]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(clock.sleeps[n]).toBeLessThanOrEqual(ceiling);
    });
  });

  it('gives up on a GET after the configured retries (1 + 4 calls), naming the call', async () => {
    failuresLeft.set('GET /api/s/1/batch/reset-9', 9);
    const err = await (await client.getService('s', '1')).getBatch('reset-9').results().catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(/^GET \/api\/s\/1\/batch\/reset-9 failed/);
    expect(seen('GET /api/s/1/batch/reset-9').length).toBe(5);
    expect(clock.sleeps).toHaveLength(4);
  });

  it('retries a GET answered 503, and a client with retries 0 does not', async () => {
    failuresLeft.set('GET /api/s/1/batch/busy', 2);
    expect((await (await client.getService('s', '1')).getBatch('busy').results()).state).toBe('Complete');
    expect(seen('GET /api/s/1/batch/busy').length).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    const once = await connect({ host: server.url, username: 'u', password: 'p', retries: 0 });
    failuresLeft.set('GET /api/s/1/batch/busy-once', 2);
    const err = await (await once.getService('s', '1')).getBatch('busy-once').results().catch((e) => e);
    expect(err).toMatchObject({ status: 503 });
    expect(seen('GET /api/s/1/batch/busy-once').length).toBe(1);
  });

  it('bounds each delay by the ceiling and spreads them (jitter)', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(5000, 200 * 2 ** attempt);
      const d = backoff(attempt, 200, 5000);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
    expect(new Set(Array.from({ length: 20 }, () => backoff(3, 200, 5000))).size).toBeGreaterThan(1);
  });
});
