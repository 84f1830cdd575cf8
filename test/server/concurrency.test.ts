import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchWebServiceResult } from '../../src/protocol.js';
import {
  intervals,
  maxOverlap,
  publishJs,
  startBatch,
  startTestServer,
  tempDir,
  waitForEnd,
  type Timed,
  type TestServer,
} from './helpers.js';
import { eventually } from '../test-clock.js';

/** Each record reports when it ran (high resolution) and in which process. */
const TIMED = `
  const started = performance.timeOrigin + performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const ended = performance.timeOrigin + performance.now();
  const pid = process.pid;`;


describe('scheduling', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 6 });
    await publishJs(t, 'timed', { inputs: ['ms'], outputs: ['started', 'ended', 'pid'], code: TIMED });
    await publishJs(t, 'timed2', { inputs: ['ms'], outputs: ['started', 'ended', 'pid'], code: TIMED });
  });
  afterAll(() => t.stop());

  it('runs exactly parallelCount records of an execution at once', async () => {
    // Workers start slowly on a loaded machine: a first batch starts three, so the measured ones
    // are not paced by process start-up.
    await waitForEnd(t, 'timed', await startBatch(t, 'timed', [{ ms: 1 }, { ms: 1 }, { ms: 1 }], 3));
    for (const parallelCount of [1, 3]) {
      const id = await startBatch(t, 'timed', Array.from({ length: 15 }, () => ({ ms: 120 })), parallelCount);
      const end = await waitForEnd(t, 'timed', id);
      expect(end.state).toBe('Complete');
      expect(maxOverlap(intervals(end)), `parallelCount ${parallelCount}`).toBe(parallelCount);
    }
  });

  it('shares the worker cap between concurrent executions and never exceeds it', async () => {
    // Two executions that could each use all 6 slots: round-robin gives each about half.
    const a = await startBatch(t, 'timed', Array.from({ length: 24 }, () => ({ ms: 150 })), 6);
    const b = await startBatch(t, 'timed2', Array.from({ length: 24 }, () => ({ ms: 150 })), 6);
    const [ra, rb] = [await waitForEnd(t, 'timed', a), await waitForEnd(t, 'timed2', b)];
    const ia = intervals(ra);
    const ib = intervals(rb);
    expect(ia).toHaveLength(24);
    expect(maxOverlap([...ia, ...ib])).toBeLessThanOrEqual(6);
    // While both were running, neither starved: the first half of b's records started before a ended.
    const aEnd = Math.max(...ia.map((i) => i.end));
    const bStartedBeforeAEnd = ib.filter((i) => i.start < aEnd).length;
    expect(bStartedBeforeAEnd).toBeGreaterThanOrEqual(12);
  });

  it('cancel: nothing starts after it, results so far stay, state becomes Canceled', async () => {
    const id = await startBatch(t, 'timed', Array.from({ length: 40 }, () => ({ ms: 200 })), 2);
    let seen: BatchWebServiceResult;
    do {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await t.call<BatchWebServiceResult>('GET', `/api/timed/1.0/batch/${id}`)).body;
    } while (seen.completedItemCount < 3);
    const cancel = await t.call('DELETE', `/api/timed/1.0/batch/${id}`);
    expect(cancel.status).toBe(200);
    // The answer waits for the running records (200 ms) to finish: by then the state is final.
    const cancelAt = performance.timeOrigin + performance.now();
    const end = (await t.call<BatchWebServiceResult>('GET', `/api/timed/1.0/batch/${id}`)).body;
    expect(end.state).toBe('Canceled');
    expect(end.completedItemCount).toBeGreaterThanOrEqual(3);
    expect(end.completedItemCount).toBeLessThan(40);
    const done = end.batchExecutionResults.filter((r) => r !== null);
    expect(done).toHaveLength(end.completedItemCount);
    for (const r of done) expect((r!.outputParameters as Timed).started).toBeLessThan(cancelAt);
    // Results seen before the cancel are still there (a running record is reported as Running: not a result yet).
    for (const r of seen.batchExecutionResults.filter((x) => x && x.state !== 'Running')) {
      expect(end.batchExecutionResults[r!.index!]).toEqual(r);
    }
    // Nothing more happens: the execution is no longer live (no slot can go to it) and no record
    // runs anywhere; and cancelling again is not an error.
    await eventually(async () => {
      const { details } = (await t.call<{ details: { busyWorkers: number; liveExecutions: number } }>('GET', '/status')).body;
      expect(details.liveExecutions).toBe(0);
      return details.busyWorkers === 0;
    }, 'the last slot to be released');
    const later = (await t.call<BatchWebServiceResult>('GET', `/api/timed/1.0/batch/${id}`)).body;
    expect(later.completedItemCount).toBe(end.completedItemCount);
    expect((await t.call('DELETE', `/api/timed/1.0/batch/${id}`)).status).toBe(200);
    expect((await t.call<BatchWebServiceResult>('GET', `/api/timed/1.0/batch/${id}`)).body.state).toBe('Canceled');
  });
});

describe('graceful restart', () => {
  it('a cancel made before close() holds after a restart: no record starts again, results kept', async () => {
    const dataDir = tempDir();
    const gate = path.join(dataDir, 'gate');
    let t = await startTestServer({ dataDir, maxWorkers: 2 });
    // Record 1 waits for the gate: it is still running when the server closes.
    await publishJs(t, 'gated', {
      inputs: ['i', 'gate:character'],
      outputs: ['i'],
      code: `while (gate && !require('node:fs').existsSync(gate)) await new Promise((r) => setTimeout(r, 20));`,
    });
    const done = await startBatch(t, 'gated', [{ i: 0 }, { i: 1 }, { i: 2 }], 2);
    await waitForEnd(t, 'gated', done);
    const doneText = (await t.call('GET', `/api/gated/1.0/batch/${done}`)).text;
    const id = await startBatch(t, 'gated', [{ i: 0 }, { i: 1, gate }, { i: 2 }, { i: 3 }], 1);
    let seen: BatchWebServiceResult;
    do {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await t.call<BatchWebServiceResult>('GET', `/api/gated/1.0/batch/${id}`)).body;
    } while (seen.completedItemCount < 1);
    // The cancel answers after a few seconds with record 1 still running.
    expect((await t.call('DELETE', `/api/gated/1.0/batch/${id}`)).status).toBe(200);
    expect((await t.call<BatchWebServiceResult>('GET', `/api/gated/1.0/batch/${id}`)).body.state).toBe('InProgress');
    await t.server.close();

    writeFileSync(gate, '');
    t = await startTestServer({ dataDir, maxWorkers: 2 });
    const end = await waitForEnd(t, 'gated', id);
    expect(end.state).toBe('Canceled');
    expect(end.completedItemCount).toBe(1);
    expect(end.batchExecutionResults).toEqual([seen.batchExecutionResults[0], null, null, null]);
    // An ended execution reads back from the database exactly as it was answered before.
    expect((await t.call('GET', `/api/gated/1.0/batch/${done}`)).text).toBe(doneText);
    await t.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 40_000);
});
