import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJs, startBatch, startTestServer, waitForEnd, type TestServer } from './helpers.js';

describe('limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      maxWorkers: 2,
      recordTimeoutMs: 1000,
      limits: { maxBodyBytes: 4000, maxRecords: 5, maxParallelCount: 3 },
    });
    await publishJs(t, 'echo', { inputs: ['x'], outputs: ['x'], code: '' });
  });
  afterAll(() => t.stop());

  it('answers 400 naming maxBodyBytes for a body that is too large, on any route', async () => {
    const big = [{ x: 'a'.repeat(5000) }];
    const res = await t.call<{ message: string }>('POST', '/api/echo/1.0/batch', big);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/maxBodyBytes \(4000 bytes\)/);
    const pub = await t.call<{ message: string }>('POST', '/services/big/1.0', { code: 'x'.repeat(5000) });
    expect(pub.status).toBe(400);
    expect(pub.body.message).toMatch(/maxBodyBytes/);
  });

  it('answers 400 naming maxRecords above the record limit', async () => {
    const res = await t.call<{ message: string }>('POST', '/api/echo/1.0/batch', Array.from({ length: 6 }, (_, x) => ({ x })));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('6 records is above the limit maxRecords (5)');
    const id = await startBatch(t, 'echo', Array.from({ length: 5 }, (_, x) => ({ x })), 3);
    expect((await waitForEnd(t, 'echo', id)).completedItemCount).toBe(5);
  });

  it('answers 400 naming maxParallelCount above the parallelism limit', async () => {
    const res = await t.call<{ message: string }>('POST', '/api/echo/1.0/batch?parallelCount=4', [{ x: 1 }]);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('parallelCount 4 is above the limit maxParallelCount (3)');
  });

  it('fails a record that runs past recordTimeoutMs as timed out, and goes on with the next', async () => {
    await publishJs(t, 'sleepy', { inputs: ['ms'], outputs: ['ms'], code: "console.log('sleeping', ms);\nawait new Promise((r) => setTimeout(r, ms));" });
    const id = await startBatch(t, 'sleepy', [{ ms: 20_000 }, { ms: 10 }], 1);
    const end = await waitForEnd(t, 'sleepy', id);
    expect(end.batchExecutionResults[0]).toMatchObject({ success: false, errorMessage: expect.stringMatching(/timed out after 1 s/), consoleOutput: 'sleeping 20000\n' });
    expect(end.batchExecutionResults[1]).toMatchObject({ success: true, outputParameters: { ms: 10 } });
  });

  it('starts with the default parallelCount capped by the limit', async () => {
    const id = await startBatch(t, 'echo', [{ x: 1 }], 3);
    const res = await t.call<{ message: string }>('POST', '/api/echo/1.0/batch', [{ x: 1 }]);
    expect(res.status).toBe(200);
    await waitForEnd(t, 'echo', id);
  });
});
