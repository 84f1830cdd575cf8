/** The Poller against canned answers from a small real HTTP server. */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, Poller, type PollSnapshot } from '../../src/index.js';
import { ITEM_CODE } from '../../src/protocol.js';
import { sendJson, tinyServer } from '../helpers.js';
import { eventually, never, TestClock } from '../test-clock.js';

type Answer = { status?: number; body?: unknown; delayMs?: number };
let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

const item = (state: string) => ({ success: state !== 'Failed', errorMessage: state === 'Failed' ? 'boom' : '', state,
  consoleOutput: '', changedFiles: [], outputParameters: { y: 1 }, outputFiles: {} });

/** Serves `answers` in order to polls (the last one repeats) and records each poll's query. */
async function cannedExecution(answers: Answer[]) {
  const queries: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await tinyServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (url.pathname === '/services/s/1') {
      return sendJson(res, 200, { name: 's', version: '1', outputParameterDefinitions: [{ name: 'y', type: 'numeric' }] });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const answer = answers[Math.min(queries.length, answers.length - 1)];
    queries.push(url.searchParams.get('showPartialResults') ?? '');
    // A slow answer is what overlapping polls would need: this delay is the thing under test.
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    inFlight--;
    sendJson(res, answer.status ?? 200, answer.body ?? { message: 'server error' });
  });
  close = server.close;
  const client = await connect({ host: server.url, username: 'u', password: 'p', retries: 0 });
  const batch = (await client.getService('s', '1')).getBatch('X', { parallelCount: 2 });
  return { batch, queries, inFlight: () => inFlight, maxInFlight: () => maxInFlight };
}

const body = (state: string, items: string[], completed: number) => ({
  state, totalItemCount: 4, completedItemCount: completed, batchExecutionResults: items.map((s) => (s === '-' ? null : item(s))),
});

describe('Poller', () => {
  it('never overlaps, keeps the last good data through an error, and stops at the end', async () => {
    const { batch, maxInFlight } = await cannedExecution([
      { body: body('InProgress', ['Complete', 'Running', 'Running', '-'], 1), delayMs: 150 },
      { status: 500 },
      { body: body('InProgress', ['Complete', 'Running', 'Running', '-'], 1), delayMs: 150 },
      { body: body('Complete', ['Complete', 'Failed', 'Complete', 'Complete'], 4) },
    ]);
    const seen: PollSnapshot[] = [];
    const last = await new Poller(batch, { minIntervalMs: 5, onUpdate: (s) => seen.push(s) }).run();
    expect(maxInFlight()).toBe(1);
    expect(seen.length).toBe(4);
    const [first, failed, same, done] = seen;
    expect(first.counts).toEqual([1, 2, 1, 0, 0]);
    expect(failed.lastError?.message).toMatch(/^500 Internal Server Error from GET \/api\/s\/1\/batch\/X/);
    expect(failed.consecutiveErrors).toBe(1);
    // Stale data stays, marked by the time of the last good poll.
    expect(failed.version).toBe(first.version);
    expect(failed.lastGoodPollAt).toBe(first.lastGoodPollAt);
    expect(same.lastError).toBeUndefined();
    expect(same.version).toBe(first.version);
    expect(done.version).toBeGreaterThan(first.version);
    expect(last).toBe(done);
    expect(last.ended).toBe(true);
    expect(Array.from(last.items)).toEqual([ITEM_CODE.Complete, ITEM_CODE.Failed, ITEM_CODE.Complete, ITEM_CODE.Complete]);
    expect(last.counts).toEqual([0, 0, 3, 1, 0]);
    expect(last.result(1)?.error).toBe('boom');
    expect(last.result(0)?.output('y')).toBe(1);
  });

  it('backs off with growing delays while polls fail, and returns to its quick interval after', async () => {
    const failing = { status: 503 };
    const { batch } = await cannedExecution([
      { body: body('InProgress', ['Running', '-', '-', '-'], 0) }, failing, failing, failing, failing,
      { body: body('InProgress', ['Complete', 'Running', '-', '-'], 1) },
      { body: body('Complete', ['Complete', 'Complete', 'Complete', 'Complete'], 4) },
    ]);
    const seen: PollSnapshot[] = [];
    const clock = new TestClock();
    await new Poller(batch, { minIntervalMs: 20, maxErrorIntervalMs: 10_000, clock, onUpdate: (s) => seen.push(s) }).run();
    expect(seen.map((s) => s.consecutiveErrors)).toEqual([0, 1, 2, 3, 4, 0, 0]);
    // After error n the wait is 40 * 2^n ms, its second half random (the jitter).
    const [quick, ...afterErrors] = clock.sleeps;
    expect(quick).toBe(20);
    [80, 160, 320, 640].forEach((ceiling, n) => {
      expect(afterErrors[n]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(afterErrors[n]).toBeLessThanOrEqual(ceiling);
    });
    // A good poll after the errors, with news: back to the quick interval.
    expect(afterErrors[4]).toBe(20);
    expect(clock.sleeps).toHaveLength(6);
    expect(seen.at(-1)?.lastError).toBeUndefined();
    // The snapshots tell the time by the same clock: the last good poll came after every wait.
    expect(seen.at(-1)!.lastGoodPollAt! - seen[0].lastGoodPollAt!).toBeCloseTo(clock.sleeps.reduce((a, b) => a + b, 0), 3);
  });

  it('asks for counts only while they do not move, and for results while they do', async () => {
    const still = body('InProgress', ['Complete', 'Running', 'Running', '-'], 1);
    const moved = body('InProgress', ['Complete', 'Complete', 'Complete', 'Running'], 3);
    const counts = (completed: number, state = 'InProgress') => ({ body: { ...body(state, [], completed), batchExecutionResults: [] } });
    const { batch, queries } = await cannedExecution([
      { body: still }, counts(1), counts(1), counts(3),
      // The count moved: results, and results again until a full poll shows it standing still.
      { body: moved }, { body: moved },
      counts(4, 'Complete'),
      { body: body('Complete', ['Complete', 'Complete', 'Complete', 'Complete'], 4) },
    ]);
    const last = await new Poller(batch, { minIntervalMs: 5, maxIntervalMs: 20, fullEveryMs: 60_000 }).run();
    expect(queries).toEqual(['true', 'false', 'false', 'false', 'true', 'true', 'false', 'true']);
    expect(last.counts).toEqual([0, 0, 4, 0, 0]);
  });

  it('shows the first parallelCount unfinished items as running when the server sends them as null', async () => {
    const { batch } = await cannedExecution([{ body: body('InProgress', ['Complete', '-', '-', '-'], 1) }]);
    const snapshot = await new Poller(batch, { minIntervalMs: 5 }).pollOnce();
    expect(Array.from(snapshot.items)).toEqual([ITEM_CODE.Complete, ITEM_CODE.Running, ITEM_CODE.Running, ITEM_CODE.Pending]);
    expect(snapshot.counts[ITEM_CODE.Running]).toBe(2);
  });

  it('never infers more running items than the server says are unfinished', async () => {
    const { batch } = await cannedExecution([{ body: { ...body('InProgress', [], 3), batchExecutionResults: undefined } }]);
    const snapshot = await new Poller(batch).pollOnce();
    expect(snapshot.completedItemCount).toBe(3);
    expect(snapshot.counts[ITEM_CODE.Running]).toBe(1);
  });

  it('stops when its signal aborts, without another request', async () => {
    const { batch, queries, inFlight } = await cannedExecution([{ body: body('InProgress', ['Running', '-', '-', '-'], 0) }]);
    const controller = new AbortController();
    const clock = new TestClock();
    const last = await new Poller(batch, {
      minIntervalMs: 5, signal: controller.signal, clock,
      onUpdate: (s) => {
        if (s.polls === 2) controller.abort();
      },
    }).run();
    expect(last.polls).toBe(2);
    // Polls come only from run(), which has returned: none is on its way, none waited for.
    expect(queries.length).toBe(2);
    expect(inFlight()).toBe(0);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('stops at once when its signal aborts during a wait, however long the wait', async () => {
    const { batch, queries } = await cannedExecution([{ body: body('InProgress', ['Running', '-', '-', '-'], 0) }]);
    const controller = new AbortController();
    const clock = new TestClock(undefined, never);
    const running = new Poller(batch, { minIntervalMs: 60_000, signal: controller.signal, clock }).run();
    await eventually(() => clock.sleeps.length === 1, 'the wait after the first poll');
    controller.abort();
    const last = await running;
    expect(last.polls).toBe(1);
    expect(queries.length).toBe(1);
  });

  it('polls again at once when asked (pollNow), even with a long interval', async () => {
    const { batch, queries } = await cannedExecution([
      { body: body('InProgress', ['Running', '-', '-', '-'], 0) },
      { body: body('Canceled', ['Complete', 'Canceled', 'Canceled', 'Canceled'], 1) },
    ]);
    // Waits that never end by themselves: only pollNow() can bring the next poll.
    const clock = new TestClock(undefined, never);
    const poller = new Poller(batch, { minIntervalMs: 60_000, maxIntervalMs: 60_000, clock, onUpdate: (s) => s.polls === 1 && poller.pollNow() });
    const last = await poller.run();
    // Asked before the wait began: the wait is skipped altogether.
    expect(clock.sleeps).toEqual([]);
    expect(queries.length).toBe(2);
    expect(last.state).toBe('Canceled');
    expect(last.counts).toEqual([0, 0, 1, 0, 3]);
  });

  it('cuts a wait already begun short when asked (pollNow)', async () => {
    const { batch, queries } = await cannedExecution([
      { body: body('InProgress', ['Running', '-', '-', '-'], 0) },
      { body: body('Canceled', ['Complete', 'Canceled', 'Canceled', 'Canceled'], 1) },
    ]);
    const clock = new TestClock(undefined, never);
    const poller = new Poller(batch, { minIntervalMs: 60_000, clock });
    const running = poller.run();
    await eventually(() => clock.sleeps.length === 1, 'the wait after the first poll');
    expect(queries.length).toBe(1);
    poller.pollNow();
    const last = await running;
    expect(queries.length).toBe(2);
    expect(last.state).toBe('Canceled');
  });
});
