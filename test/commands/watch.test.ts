/** `--wait` (status/run) gives up on a server that keeps failing, with the exit code a script needs. */
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/index.js';
import { EXIT, ExitError, exitCodeOf } from '../../src/session/exit.js';
import { ProgressWriter } from '../../src/commands/output.js';
import { watchExecution } from '../../src/commands/watch.js';
import { sendJson, tinyServer } from '../helpers.js';

type Mode = 'ok' | 'down' | '500' | '404' | '401';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An execution whose n-th poll (from 1) is answered by `mode(n)`; `polls` counts polls that arrived. */
async function execution(mode: (n: number) => Mode) {
  let polls = 0;
  const server = await tinyServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p.startsWith('/login')) return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (p === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1' });
    const m = mode(++polls);
    if (m === 'down') return void req.socket.destroy();
    if (m === '500') return sendJson(res, 500, { message: 'database is locked' });
    if (m === '404') return sendJson(res, 404, { message: 'unknown execution' });
    if (m === '401') return sendJson(res, 401, { message: 'token revoked' });
    sendJson(res, 200, { state: 'InProgress', totalItemCount: 3, completedItemCount: 1, batchExecutionResults: [] });
  });
  closers.push(server.close);
  const client = await connect({ host: server.url, username: 'u', password: 'p', retries: 0 });
  const batch = (await client.getService('s', '1')).getBatch('X');
  return { batch, polls: () => polls };
}

/** Progress as a pipe sees it (no TTY). */
function collector() {
  const out: string[] = [];
  const stream = { write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { out, progress: new ProgressWriter(stream, false) };
}

async function giveUp(mode: (n: number) => Mode) {
  const { batch, polls } = await execution(mode);
  const { out, progress } = collector();
  const err = await watchExecution(batch, {
    progress, maxConsecutiveErrors: 3, poller: { minIntervalMs: 5, maxIntervalMs: 10, maxErrorIntervalMs: 20 },
  }).then(() => new Error('expected watchExecution to give up'), (e: unknown) => e);
  expect(err).toBeInstanceOf(ExitError);
  return { err: err as ExitError, polls: polls(), out };
}

describe('watchExecution gives up', { timeout: 60_000 }, () => {
  it('exits 4 after the configured failed polls in a row once the server stops answering', async () => {
    const { err, polls, out } = await giveUp((n) => (n === 1 ? 'ok' : 'down'));
    expect(err.exitCode).toBe(EXIT.connection);
    expect(exitCodeOf(err)).toBe(4);
    expect(err.message).toMatch(/^gave up after 3 failed polls in a row \(no good poll for \d+ s\): GET \/api\/s\/1\/batch\/X failed \(.+\): check that the server runs at/);
    expect(polls).toBe(4);
    // Without a TTY: whole lines, no carriage-return redraws; the failure shows with the last good data.
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(out[0]).toMatch(/^InProgress 1\/3 done.*\n$/);
    expect(out.at(-1)).toMatch(/^InProgress 1\/3 done.* - poll failed \(GET .*\); last good poll \d+s ago\n$/);
  });

  it('exits 1 when the server keeps failing with 500', async () => {
    const { err, polls } = await giveUp(() => '500');
    expect(err.exitCode).toBe(EXIT.failed);
    expect(err.message).toMatch(/^gave up after 3 failed polls in a row \(no good poll for \d+ s\): 500 Internal Server Error from GET \/api\/s\/1\/batch\/X: .*database is locked/);
    expect(polls).toBe(3);
  });

  it('gives up once no poll has been good for the quiet limit, however few polls failed', async () => {
    const { batch, polls } = await execution((n) => (n === 1 ? 'ok' : 'down'));
    const { progress } = collector();
    const err = await watchExecution(batch, {
      progress, maxConsecutiveErrors: 1000, maxQuietMs: 150, poller: { minIntervalMs: 5, maxIntervalMs: 10, maxErrorIntervalMs: 20 },
    }).then(() => new Error('expected watchExecution to give up'), (e: unknown) => e);
    expect(err).toBeInstanceOf(ExitError);
    expect((err as ExitError).exitCode).toBe(EXIT.connection);
    expect((err as ExitError).message).toMatch(/^gave up after \d+ failed polls in a row \(no good poll for \d+ s\): GET /);
    expect(polls()).toBeLessThan(1000);
  });

  it('keeps waiting through fewer failures than the limit', async () => {
    const { batch, polls } = await execution((n) => (n <= 2 ? 'down' : n === 3 ? 'ok' : n <= 5 ? '500' : 'ok'));
    // Never ends by itself: stop it after it has come through both outages.
    const { progress } = collector();
    const stop = new AbortController();
    const watched = watchExecution(batch, { progress, signal: stop.signal, maxConsecutiveErrors: 3, poller: { minIntervalMs: 5, maxIntervalMs: 10, maxErrorIntervalMs: 20 } });
    const deadline = Date.now() + 30_000;
    while (polls() < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    const { snapshot, interrupted } = await watched;
    expect(interrupted).toBe(true);
    expect(snapshot.lastError).toBeUndefined();
    expect(polls()).toBeGreaterThanOrEqual(7);
  });

  it('stops at once on an answer waiting cannot change: 404 exits 2 (bad input), a refused token 4', async () => {
    const missing = await giveUp(() => '404');
    expect(missing.polls).toBe(1);
    expect(missing.err.exitCode).toBe(EXIT.usage);
    expect(missing.err.message).toBe('404 Not Found from GET /api/s/1/batch/X: no such execution, index or file on this service (server said: unknown execution)');
    const refused = await giveUp(() => '401');
    expect(refused.err.exitCode).toBe(EXIT.connection);
    expect(refused.err.message).toMatch(/^401 Unauthorized from GET \/api\/s\/1\/batch\/X/);
  });
});

describe('watchExecution warns of a stall', { timeout: 30_000 }, () => {
  it('prints one warning line once no record has finished for 30 s while records run (an injected clock)', async () => {
    let polls = 0;
    const running = { state: 'Running', success: true, errorMessage: '' };
    const done = { state: 'Complete', success: true, errorMessage: '', startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-01T00:00:01Z' };
    const server = await tinyServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname;
      if (p.startsWith('/login')) return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
      if (p === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1' });
      // Eight polls with one record done and two stuck, then the end.
      const end = ++polls > 8;
      sendJson(res, 200, end
        ? { state: 'Complete', totalItemCount: 3, completedItemCount: 3, batchExecutionResults: [done, done, done] }
        : { state: 'InProgress', totalItemCount: 3, completedItemCount: 1, batchExecutionResults: [done, running, running] });
    });
    closers.push(server.close);
    const client = await connect({ host: server.url, username: 'u', password: 'p', retries: 0 });
    const batch = (await client.getService('s', '1')).getBatch('X');
    const { out, progress } = collector();
    let clock = 0;
    // Each poll is 10 s later: the fourth is 30 s after the first.
    const { snapshot } = await watchExecution(batch, { progress, now: () => (clock += 10_000), poller: { minIntervalMs: 5, maxIntervalMs: 10 } });
    expect(snapshot.state).toBe('Complete');
    const warnings = out.filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual(['warning: no record of execution X has finished for 30s while 2 are running: it may have stalled (still watching)\n']);
  });
});
