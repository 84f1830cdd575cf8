import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchWebServiceResult } from '../../src/protocol.js';
import { probePython } from '../../src/server/runtime/pool.js';
import { intervals, maxOverlap, params, startBatch, startTestServer, waitForEnd, type Timed, type TestServer } from './helpers.js';

const hasPython = await probePython('python3');

// Each record reports when it ran and in which process; even ones write a text and a binary file.
const CODE = `
import os, time
started = time.time() * 1000
time.sleep(ms / 1000)
ended = time.time() * 1000
pid = os.getpid()
if x == 3:
    raise ValueError("x must not be 3")
if x % 2 == 0:
    with open("out.txt", "w") as f:
        f.write("x is %d" % x)
    with open("raw.bin", "wb") as f:
        f.write(bytes([0, 255, 254, x]))
print("did", x)
`;


describe.skipIf(!hasPython)('a Python service in a batch', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 4 });
    const res = await t.call('POST', '/services/py-timed/1.0', {
      runtimeType: 'Python',
      code: CODE,
      inputParameterDefinitions: params('ms:integer', 'x:integer'),
      outputParameterDefinitions: params('started', 'ended', 'pid:integer'),
      outputFileNames: ['out.txt', 'raw.bin'],
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t.stop());

  it('runs every record: positional results, a failed item with its message, console output', async () => {
    const id = await startBatch(t, 'py-timed', [0, 1, 2, 3, 4].map((x) => ({ ms: 1, x })), 2);
    const end = await waitForEnd(t, 'py-timed', id);
    expect(end.state).toBe('Complete');
    expect(end.completedItemCount).toBe(5);
    const items = end.batchExecutionResults;
    expect(items.map((r) => r!.index)).toEqual([0, 1, 2, 3, 4]);
    expect(items.map((r) => r!.state)).toEqual(['Complete', 'Complete', 'Complete', 'Failed', 'Complete']);
    expect(items[3]!.errorMessage).toBe('ValueError: x must not be 3');
    expect(items[3]!.consoleOutput).toMatch(/Traceback[\s\S]*ValueError: x must not be 3/);
    expect(items[4]!.consoleOutput).toBe('did 4\n');
    expect(items.map((r) => r!.changedFiles)).toEqual([['out.txt', 'raw.bin'], [], ['out.txt', 'raw.bin'], [], ['out.txt', 'raw.bin']]);
  });

  it('serves each record\'s artifacts byte for byte, binary included', async () => {
    const id = await startBatch(t, 'py-timed', [{ ms: 1, x: 2 }, { ms: 1, x: 5 }], 2);
    await waitForEnd(t, 'py-timed', id);
    const base = `/api/py-timed/1.0/batch/${id}`;
    expect((await t.call<string[]>('GET', `${base}/0/files`)).body).toEqual(['out.txt', 'raw.bin']);
    expect((await t.call<string[]>('GET', `${base}/1/files`)).body).toEqual([]);
    expect((await t.call('GET', `${base}/0/files/out.txt`)).text).toBe('x is 2');
    const raw = await fetch(`${t.server.url}${base}/0/files/raw.bin`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(raw.status).toBe(200);
    expect([...new Uint8Array(await raw.arrayBuffer())]).toEqual([0, 255, 254, 2]);
    expect((await t.call('GET', `${base}/1/files/out.txt`)).status).toBe(404);
  });

  it('runs exactly parallelCount records at once, in long-lived workers', async () => {
    // Interpreters start slowly on a loaded machine: a first batch starts three of them.
    await waitForEnd(t, 'py-timed', await startBatch(t, 'py-timed', [1, 1, 1].map((x) => ({ ms: 1, x })), 3));
    for (const parallelCount of [1, 3]) {
      // Records long enough that a loaded machine still starts the next ones while they run.
      const id = await startBatch(t, 'py-timed', Array.from({ length: 9 }, () => ({ ms: 400, x: 1 })), parallelCount);
      const end = await waitForEnd(t, 'py-timed', id, 60_000);
      expect(end.state).toBe('Complete');
      expect(maxOverlap(intervals(end)), `parallelCount ${parallelCount}`).toBe(parallelCount);
      // Workers are reused across records, not started per record.
      const pids = new Set(end.batchExecutionResults.map((r) => (r!.outputParameters as Timed).pid));
      expect(pids.size).toBeLessThanOrEqual(4);
    }
  });

  it('a record that kills its interpreter fails alone; the batch goes on', async () => {
    const res = await t.call('POST', '/services/py-crash/1.0', {
      runtimeType: 'Python',
      code: 'import os\nif i == 1:\n    os._exit(3)\ny = i * 2',
      inputParameterDefinitions: params('i:integer'),
      outputParameterDefinitions: params('y:integer'),
    });
    expect(res.status).toBe(201);
    const id = await startBatch(t, 'py-crash', [0, 1, 2, 3].map((i) => ({ i })), 1);
    const end = await waitForEnd(t, 'py-crash', id);
    expect(end.batchExecutionResults.map((r) => r!.outputParameters.y ?? null)).toEqual([0, null, 4, 6]);
    expect(end.batchExecutionResults[1]!.errorMessage).toMatch(/worker process died while running this record \(exit code 3\)/);
  });
});

describe('Python services without an interpreter (--python pointing nowhere)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ pythonPath: '/no/such/python3' });
  });
  afterAll(() => t.stop());

  it('publishes and lists them, fails each item saying what to do, /status says so, JavaScript still runs', async () => {
    const res = await t.call('POST', '/services/py/1.0', { runtimeType: 'Python', code: 'y = 1', outputParameterDefinitions: params('y') });
    expect(res.status).toBe(201);
    expect((await t.call<{ name: string }[]>('GET', '/services')).body.map((s) => s.name)).toEqual(['py']);
    const id = await startBatch(t, 'py', [{}, {}], 2);
    const end = await waitForEnd(t, 'py', id);
    expect(end.state).toBe('Failed'); // every item failed
    for (const r of end.batchExecutionResults) {
      expect(r).toMatchObject({ success: false, errorMessage: 'Python runtime not available: install python3 or pass --python' });
    }
    const status = await t.call<{ details: { runtimes: Record<string, boolean> } }>('GET', '/status');
    expect(status.body.details.runtimes).toEqual({ JavaScript: true, Python: false, R: false });
    await t.call('POST', '/services/js/1.0', { runtimeType: 'JavaScript', code: 'const y = 2;', outputParameterDefinitions: params('y') });
    expect((await t.call<{ outputParameters: unknown }>('POST', '/api/js/1.0', {})).body.outputParameters).toEqual({ y: 2 });
  });
});
