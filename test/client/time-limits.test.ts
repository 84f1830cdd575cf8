/** Time limits against a small real server that trickles or stalls: a stalled body, a whole-request limit, retries bounded. */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, downloadMany, MlBatchNetworkError, MlBatchUsageError, type Client } from '../../src/index.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/client/limits.js';
import { sendJson, tempDir, tinyServer } from '../helpers.js';

const POLL = JSON.stringify({
  state: 'Complete', totalItemCount: 2, completedItemCount: 2,
  batchExecutionResults: [{ success: true, outputParameters: { y: 1 } }, { success: true, outputParameters: { y: 2 } }],
});
const arrivals = new Map<string, number>();
let server: Awaited<ReturnType<typeof tinyServer>>;
const timers = new Set<NodeJS.Timeout>();

/** Writes `text` in `pieces` parts, one every `everyMs`, then ends (or, with `forever`, keeps sending spaces). */
function trickle(res: ServerResponse, text: string, pieces: number, everyMs: number, forever = false): void {
  const size = Math.ceil(text.length / pieces);
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return stop();
    if (at < text.length) {
      res.write(text.slice(at, at + size));
      at += size;
    } else if (forever) res.write(' ');
    else {
      res.end();
      stop();
    }
  }, everyMs);
  const stop = () => {
    clearInterval(timer);
    timers.delete(timer);
  };
  timers.add(timer);
}

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    arrivals.set(p, (arrivals.get(p) ?? 0) + 1);
    if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600 });
    if (p === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1', inputParameterDefinitions: [] });
    const ok = { 'content-type': 'application/json' };
    // Begins the answer, then never sends another byte.
    if (p === '/api/s/1/batch/STALL') return void res.writeHead(200, ok).write('{"state":');
    // One byte every 40 ms, never ending: never stalled, never done.
    if (p === '/api/s/1/batch/TRICKLE') return trickle(res.writeHead(200, ok), '{"state":"Complete"', 20, 40, true);
    // Slow but steady: a whole answer over about a second, a piece every 25 ms.
    if (p === '/api/s/1/batch/STEADY') return trickle(res.writeHead(200, ok), POLL, 40, 25);
    // Thinks for longer than the stall limit before answering at all.
    if (p === '/api/s/1/batch/LATE') {
      const timer = setTimeout(() => sendJson(res, 200, JSON.parse(POLL)), 700);
      return void timers.add(timer);
    }
    const octets = { 'content-type': 'application/octet-stream' };
    if (p === '/api/s/1/batch/E/0/files') return sendJson(res, 200, ['stalled.bin', 'steady.bin', 'endless.bin']);
    if (p === '/api/s/1/batch/E/0/files/stalled.bin') return void res.writeHead(200, octets).write('partial');
    if (p === '/api/s/1/batch/E/0/files/steady.bin') return trickle(res.writeHead(200, octets), 'x'.repeat(400), 40, 25);
    if (p === '/api/s/1/batch/E/0/files/endless.bin') return trickle(res.writeHead(200, octets), 'y', 1, 40, true);
    sendJson(res, 404, { message: 'nope' });
  });
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await server?.close();
});

/** A client with limits in milliseconds; GETs retried up to 4 times, quickly. */
function client(limits: { stallTimeoutMs?: number; pollTimeoutMs?: number; timeoutMs?: number; downloadTimeoutMs?: number }): Promise<Client> {
  return connect({ host: server.url, username: 'u', password: 'p', retries: 4, retryBaseMs: 20, retryMaxMs: 50, ...limits });
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const began = Date.now();
  const value = await run();
  return { value, ms: Date.now() - began };
}

describe('a stalled or trickling body', { timeout: 30_000 }, () => {
  it('ends a body that stops arriving after the stall limit, retried once and not four times', async () => {
    const c = await client({ stallTimeoutMs: 200, pollTimeoutMs: 20_000 });
    const batch = (await c.getService('s', '1')).getBatch('STALL');
    const { value: err, ms } = await timed(() => batch.poll().catch((e) => e));
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.timedOut).toBe(true);
    expect(err.message).toMatch(/^GET \/api\/s\/1\/batch\/STALL failed \(no data from the server for 0\.2 s; 2 attempts\): /);
    expect(arrivals.get('/api/s/1/batch/STALL')).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(5_000);
  });

  it('ends a body that trickles forever at the whole-request limit, which also bounds the retries', async () => {
    // A byte every 25 ms leaves a 500 ms stall limit a wide margin, even on a loaded machine.
    const c = await client({ stallTimeoutMs: 500, pollTimeoutMs: 1200 });
    const batch = (await c.getService('s', '1')).getBatch('TRICKLE');
    const { value: err, ms } = await timed(() => batch.poll().catch((e) => e));
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(/^GET \/api\/s\/1\/batch\/TRICKLE failed \(the request took longer than 1\.2 s\): /);
    expect(arrivals.get('/api/s/1/batch/TRICKLE')).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(1200);
    expect(ms).toBeLessThan(5_000);
  });

  it('does not cut a slow but steady body, nor an answer slow to begin, at the stall limit', async () => {
    const c = await client({ stallTimeoutMs: 400, pollTimeoutMs: 20_000 });
    const svc = await c.getService('s', '1');
    const { value: poll, ms } = await timed(() => svc.getBatch('STEADY').poll());
    expect([poll.state, poll.completedItemCount]).toEqual(['Complete', 2]);
    expect(ms).toBeGreaterThan(600); // well past the stall limit, in pieces
    expect(arrivals.get('/api/s/1/batch/STEADY')).toBe(1);
    // The stall limit is for bodies: a server may think as long as the whole limit before it answers.
    expect((await svc.getBatch('LATE').poll()).state).toBe('Complete');
  });

  it('gives downloads their longer whole-file limit but the same stall limit', async () => {
    // Ordinary calls get 600 ms in all; a file gets 3 s, yet a stalled one still ends at 400 ms.
    const c = await client({ stallTimeoutMs: 400, timeoutMs: 600, downloadTimeoutMs: 3_000 });
    const batch = (await c.getService('s', '1')).getBatch('E');
    const steady = await timed(() => batch.artifact(0, 'steady.bin'));
    expect(steady.value.toString()).toBe('x'.repeat(400));
    expect(steady.ms).toBeGreaterThan(600);
    const dest = await tempDir();
    const { value: result, ms } = await timed(() => downloadMany(batch, { indices: [0], destination: dest }));
    const errors = Object.fromEntries(result.files.map((f) => [f.fileName, f.error ?? f.outcome]));
    expect(errors).toEqual({
      'steady.bin': 'written',
      'stalled.bin': expect.stringMatching(/^GET \/api\/s\/1\/batch\/E\/0\/files\/stalled\.bin failed \(no data from the server for 0\.4 s; 2 attempts\)/),
      'endless.bin': expect.stringMatching(/^GET \/api\/s\/1\/batch\/E\/0\/files\/endless\.bin failed \(the request took longer than 3 s\)/),
    });
    expect(ms).toBeLessThan(10_000);
  });
});

describe('time limits from options and the environment', () => {
  it('takes options first, then MLBATCH_TIMEOUT and MLBATCH_STALL_TIMEOUT in seconds, then the defaults', () => {
    expect(resolveLimits({}, {})).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS.stallTimeoutMs).toBe(30_000);
    const env = { MLBATCH_TIMEOUT: '2.5', MLBATCH_STALL_TIMEOUT: '0.2' };
    expect(resolveLimits({}, env)).toEqual({
      timeoutMs: 2500, pollTimeoutMs: 2500, startTimeoutMs: 2500, downloadTimeoutMs: 2500, stallTimeoutMs: 200,
    });
    expect(resolveLimits({ pollTimeoutMs: 9000 }, env).pollTimeoutMs).toBe(9000);
  });

  it('refuses a limit that is not a positive number, naming the variable or option', () => {
    expect(() => resolveLimits({}, { MLBATCH_STALL_TIMEOUT: '30s' })).toThrow(
      new MlBatchUsageError('MLBATCH_STALL_TIMEOUT must be a number of seconds above 0 (e.g. 30 or 0.5), not "30s"'));
    expect(() => resolveLimits({}, { MLBATCH_TIMEOUT: '0' })).toThrow(/^MLBATCH_TIMEOUT must be a number of seconds above 0/);
    expect(() => resolveLimits({ stallTimeoutMs: -1 }, {})).toThrow('stallTimeoutMs must be above 0 ms, not -1');
  });
});
