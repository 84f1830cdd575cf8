/** Throughput and ETA from a small real server whose finished count grows at a known rate. */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, Poller, type PollSnapshot } from '../../src/index.js';
import { progressLine } from '../../src/commands/output.js';
import { sendJson, tinyServer } from '../helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An execution of `total` items finishing `perSecond` items a second from its first poll (0 = stuck at 2). */
async function execution(total: number, perSecond: number) {
  let began: number | undefined;
  const server = await tinyServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (p === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1' });
    began ??= Date.now();
    const done = perSecond === 0 ? 2 : Math.min(total, Math.floor(((Date.now() - began) / 1000) * perSecond));
    sendJson(res, 200, {
      state: done === total ? 'Complete' : 'InProgress', totalItemCount: total, completedItemCount: done, batchExecutionResults: [],
    });
  });
  closers.push(server.close);
  const client = await connect({ host: server.url, username: 'u', password: 'p' });
  return (await client.getService('s', '1')).getBatch('X');
}

describe('Poller throughput and ETA', { timeout: 60_000 }, () => {
  it('measures items per second and a consistent ETA while items finish, then 0 at the end', async () => {
    const total = 80;
    const rate = 20;
    const seen: PollSnapshot[] = [];
    const last = await new Poller(await execution(total, rate), {
      minIntervalMs: 100, maxIntervalMs: 200, onUpdate: (s) => seen.push(s),
    }).run();
    expect(last.ended).toBe(true);
    expect(last.etaMs).toBe(0);
    // Once a second of history exists, the rate is the server's, within measuring noise.
    const measured = seen.filter((s) => !s.ended && s.completedItemCount >= 25);
    expect(measured.length).toBeGreaterThan(2);
    for (const s of measured) {
      expect(s.throughput).toBeGreaterThan(rate / 2);
      expect(s.throughput).toBeLessThan(rate * 2);
      const remaining = s.totalItemCount - s.completedItemCount;
      expect(s.etaMs).toBeCloseTo((remaining / s.throughput) * 1000, 3);
      // The true time left is remaining / rate; the estimate is within a factor of two of it.
      expect(s.etaMs!).toBeGreaterThan((remaining / rate) * 500);
      expect(s.etaMs!).toBeLessThan((remaining / rate) * 2000 + 1);
      const line = progressLine(s);
      expect(line).toContain(`${s.throughput.toFixed(1)}/s`);
      expect(line).toMatch(/ ETA \d+s$/);
    }
    const etas = measured.map((s) => s.etaMs!);
    expect(etas.at(-1)!).toBeLessThan(etas[0]);
  });

  it('gives no rate and no ETA while nothing finishes', async () => {
    const seen: PollSnapshot[] = [];
    const stop = new AbortController();
    await new Poller(await execution(10, 0), {
      minIntervalMs: 20, maxIntervalMs: 40, signal: stop.signal,
      onUpdate: (s) => {
        seen.push(s);
        if (s.polls >= 5) stop.abort();
      },
    }).run();
    expect(seen.length).toBe(5);
    for (const s of seen) {
      expect(s.throughput).toBe(0);
      expect(s.etaMs).toBeUndefined();
      expect(progressLine(s)).toMatch(/^InProgress 2\/10 done( \(.*\))?$/);
    }
  });
});
