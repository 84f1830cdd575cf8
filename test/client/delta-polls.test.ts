/**
 * Delta polls against the embedded server: what a delta answer holds, that the per-index state
 * built from deltas equals a full poll's at random moments, a restart and a refused cursor, and
 * that the official Python client's requests get the answers it reads, unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, Poller, type PollSnapshot } from '../../src/index.js';
import type { Batch } from '../../src/client/batch.js';
import { PollState } from '../../src/watch/poll-state.js';
import { ITEM_CODE, type BatchWebServiceResult, type PollExtension } from '../../src/protocol.js';
import { ChangeLog } from '../../src/server/change-log.js';
import { startServer } from '../../src/server/index.js';
import { SERVICES_DIR, tempDir } from '../helpers.js';
import { TEST_HASH_COST } from '../server/helpers.js';

const PASSWORD = 'test-password-1';
type Answer = BatchWebServiceResult & PollExtension;

let dataDir: string;
let server: Awaited<ReturnType<typeof startServer>>;
let token: string;

async function call<T = Answer>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = /json/.test(res.headers.get('content-type') ?? '');
  return { status: res.status, body: (json && text ? JSON.parse(text) : undefined) as T, text };
}

async function start(count: number, parallelCount: number): Promise<string> {
  const records = Array.from({ length: count }, (_, i) => ({ id: i + 1, value: (i % 7) / 3 }));
  const res = await call<{ BatchExecutionId: string }>('POST', `/api/slow-scorer/1.0/batch?parallelCount=${parallelCount}`, records);
  expect(res.status).toBe(200);
  return res.body.BatchExecutionId;
}

/** Checks a snapshot never shows a state the server's own counts contradict. */
function consistent(s: PollSnapshot): void {
  if (s.lastError || s.polls === 0 || s.lastPollKind !== 'full') return;
  const [pending, running, complete, failed, canceled] = s.counts;
  expect(pending + running + complete + failed + canceled).toBe(s.totalItemCount);
  expect(complete + failed).toBe(s.completedItemCount);
}

beforeAll(async () => {
  dataDir = await tempDir('mlbatch-delta-');
  server = await startServer({ port: 0, dataDir, servicesDir: SERVICES_DIR, adminPassword: PASSWORD, maxWorkers: 8, passwordHashCost: TEST_HASH_COST, log: () => {} });
  const login = await fetch(`${server.url}/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  token = ((await login.json()) as { access_token: string }).access_token;
});
afterAll(async () => server?.close());

describe('delta polls', { timeout: 60_000 }, () => {
  it('keeps the official Python client\'s requests and the keys it reads as they were', async () => {
    // Batch.start(): POST .../batch?parallelCount=N with the records; it reads BatchExecutionId.
    const started = await call<Record<string, unknown>>('POST', '/api/slow-scorer/1.0/batch?parallelCount=2', [{ id: 1, value: 1 }, { id: 2, value: 2 }]);
    expect(started.status).toBe(200);
    expect(typeof started.body.BatchExecutionId).toBe('string');
    const id = started.body.BatchExecutionId as string;
    // Batch.results(show_partial_results): GET .../batch/{id}?showPartialResult=true|false.
    let answer: Answer;
    do answer = (await call(`GET`, `/api/slow-scorer/1.0/batch/${id}?showPartialResult=true`)).body;
    while (answer.state !== 'Complete');
    expect(typeof answer.state).toBe('string');
    expect(answer.totalItemCount).toBe(2);
    expect(answer.completedItemCount).toBe(2);
    expect(answer.batchExecutionResults).toHaveLength(2);
    for (const item of answer.batchExecutionResults) {
      expect(Object.keys(item!)).toEqual(expect.arrayContaining(['success', 'errorMessage', 'consoleOutput', 'changedFiles', 'outputParameters', 'outputFiles']));
      expect(typeof item!.outputParameters.score).toBe('number');
      expect(Array.isArray(item!.changedFiles)).toBe(true);
    }
    // Without the opt-in parameter, no answer is a delta.
    expect(answer.delta).toBeUndefined();
    expect(answer.changedItems).toBeUndefined();
    // list_artifacts(i), artifact(i, name), cancel().
    expect((await call<string[]>('GET', `/api/slow-scorer/1.0/batch/${id}/0/files`)).body).toEqual(['score.txt']);
    expect((await call('GET', `/api/slow-scorer/1.0/batch/${id}/0/files/score.txt`)).text).toMatch(/^id 1, value 1/);
    expect((await call('DELETE', `/api/slow-scorer/1.0/batch/${id}`)).status).toBe(200);
  });

  it('answers a cursor with only what changed, and refuses one it cannot serve with a full answer saying why', async () => {
    const id = await start(60, 4);
    const path = `/api/slow-scorer/1.0/batch/${id}`;
    const first = (await call(`GET`, `${path}?showPartialResults=true`)).body;
    expect(first.parallelCount).toBe(4);
    expect(first.cursor).toMatch(/^[0-9a-z]+\.\d+$/);
    expect(first.runningItemCount).toBeLessThanOrEqual(4);
    // Counts only: no items, so no cursor to be current with.
    const counts = (await call(`GET`, `${path}?showPartialResult=false&changedSince=${first.cursor}`)).body;
    expect(counts.batchExecutionResults).toEqual([]);
    expect(counts.cursor).toBeUndefined();
    expect(counts.delta).toBeUndefined();
    expect(counts.parallelCount).toBe(4);
    // Wait for a record to finish after the first answer: then there is a change to be sent.
    while ((await call(`GET`, `${path}?showPartialResults=false`)).body.completedItemCount <= first.completedItemCount) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const delta = (await call(`GET`, `${path}?showPartialResults=true&changedSince=${first.cursor}`)).body;
    expect(delta.delta).toBe(true);
    expect(delta.batchExecutionResults).toBeUndefined();
    expect(delta.changedItems!.length).toBeGreaterThan(0);
    expect(delta.changedItems!.length).toBeLessThan(60);
    for (const item of delta.changedItems!) expect(['Running', 'Complete', 'Failed']).toContain(item.state);
    expect(delta.cursor).not.toBe(first.cursor);
    // A cursor of another run of the server (or no cursor at all): a full answer, saying so.
    for (const bad of ['0000.5', 'garbage', `${first.cursor!.split('.')[0]}.99999999`]) {
      const full = (await call(`GET`, `${path}?showPartialResults=true&changedSince=${bad}`)).body;
      expect(full.delta, bad).toBeUndefined();
      expect(full.cursorRefused, bad).toBe('unknown');
      expect(full.batchExecutionResults).toHaveLength(60);
    }
    await call('DELETE', path);
  });

  it('forgets changes past its bound, so a cursor older than that is refused as expired', () => {
    const log = new ChangeLog(1000, 64);
    for (let i = 0; i < 100; i++) log.add(i % 10);
    expect(log.covers(100 - 64)).toBe(true);
    expect(log.covers(100 - 65)).toBe(false);
    expect(log.covers(101)).toBe(false);
    // Distinct indices, each once, in the order they last changed.
    expect(log.since(90)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.since(97)).toEqual([7, 8, 9]);
    expect(log.since(100)).toEqual([]);
  });

  it('builds from deltas, at random moments of a running execution, the per-index state a full poll gives', async () => {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
    const batch = (await client.getService('slow-scorer', '1.0')).getBatch(await start(120, 8));
    const fromDeltas = new PollState(null);
    const first = await batch.poll({ showPartialResults: true });
    fromDeltas.apply(first, true);
    let cursor = first.ext!.cursor!;
    let compared = 0;
    let withRunning = 0;
    for (;;) {
      // Random moments of a real run are what is compared: this sleep is the thing under test.
      await new Promise((r) => setTimeout(r, Math.random() * 120));
      const delta = await batch.poll({ showPartialResults: true, changedSince: cursor });
      expect(delta.ext?.delta).toBe(true);
      expect(fromDeltas.applyDelta(delta)).not.toBeUndefined();
      cursor = delta.ext!.cursor!;
      const full = await batch.poll({ showPartialResults: true });
      // Compared only when nothing changed between the two answers (the same cursor).
      if (full.ext!.cursor === cursor || full.state === 'Complete') {
        if (full.ext!.cursor !== cursor) continue;
        const fromFull = new PollState(null);
        fromFull.apply(full, true);
        expect(Array.from(fromDeltas.items)).toEqual(Array.from(fromFull.items));
        expect(fromDeltas.itemCounts).toEqual(fromFull.itemCounts);
        for (let i = 0; i < 120; i += 7) expect(fromDeltas.result(i)?.raw ?? null).toEqual(fromFull.result(i)?.raw ?? null);
        compared++;
        if (fromFull.itemCounts[ITEM_CODE.Running] > 0) withRunning++;
      }
      if (delta.state === 'Complete') break;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    expect(withRunning).toBeGreaterThanOrEqual(1);
    expect(fromDeltas.runningSource).toBe('reported');
    expect(fromDeltas.parallelCount).toBe(8);
  });

  it('a Poller pulls a fraction of full polls\' bytes, and after a server restart mid-watch falls back to one full poll and ends right', async () => {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD, retryBaseMs: 20 });
    const id = await start(240, 12);
    const batch: Batch = (await client.getService('slow-scorer', '1.0')).getBatch(id);
    const seen: PollSnapshot[] = [];
    const asked: { since?: string; delta?: boolean; refused?: string }[] = [];
    const poll = batch.poll.bind(batch);
    batch.poll = async (options) => {
      const answer = await poll(options);
      asked.push({ since: options?.changedSince, delta: answer.ext?.delta, refused: answer.ext?.cursorRefused });
      return answer;
    };
    let restarted = false;
    const port = server.port;
    const poller = new Poller(batch, {
      minIntervalMs: 50, maxIntervalMs: 100, maxErrorIntervalMs: 200,
      onUpdate: (s) => {
        consistent(s);
        seen.push(s);
        if (!restarted && s.completedItemCount >= 60) {
          restarted = true;
          void (async () => {
            await server.close();
            server = await startServer({ port, dataDir, servicesDir: SERVICES_DIR, adminPassword: PASSWORD, maxWorkers: 8, passwordHashCost: TEST_HASH_COST, log: () => {} });
          })();
        }
      },
    });
    const last = await poller.run();
    expect(restarted).toBe(true);
    expect(last.ended).toBe(true);
    // The new run of the server refused the old cursor with a full answer; deltas went on from its cursor.
    const refusal = asked.findIndex((a) => a.refused === 'unknown');
    expect(refusal).toBeGreaterThan(0);
    expect(asked[refusal].since).toBeDefined();
    expect(asked.slice(refusal + 1).some((a) => a.delta)).toBe(true);
    expect(asked.filter((a) => a.since === undefined)).toHaveLength(1);
    // Right at the end: the same per-index state as one full poll of the finished execution.
    const full = await new Poller(batch).pollOnce();
    expect(Array.from(last.items)).toEqual(Array.from(full.items));
    expect(last.counts).toEqual(full.counts);
    expect(last.counts[ITEM_CODE.Running] + last.counts[ITEM_CODE.Pending]).toBe(0);
    // Every poll a full one would have pulled at least a tenth of the final answer each time.
    const fullBytes = full.bytesReceived;
    const polls = seen.filter((s) => !s.lastError).length;
    expect(polls).toBeGreaterThan(10);
    expect(last.bytesReceived).toBeLessThan(fullBytes * 4);
    expect(last.bytesReceived).toBeLessThan((polls * fullBytes) / 5);
    expect(last.runningSource).toBe('reported');
    expect(last.parallelCount).toBe(12);
  });
});
