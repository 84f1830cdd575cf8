import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BatchWebServiceResult } from '../../src/protocol.js';
import { publishJs, startBatch, startTestServer, waitForEnd, type TestServer } from './helpers.js';

describe('batch executions', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 4 });
    // Record `gate` waits for a file to appear, so a test can hold it unfinished.
    await publishJs(t, 'square', {
      inputs: ['x', 'gate:character'],
      outputs: ['y'],
      files: ['out.txt', 'other.bin'],
      code: `
        if (x < 0) throw new Error('x must not be negative, got ' + x);
        while (gate && !require('node:fs').existsSync(gate)) await new Promise((r) => setTimeout(r, 20));
        const y = x * x;
        if (x % 2 === 0) require('node:fs').writeFileSync('out.txt', 'square ' + y);
        console.log('did ' + x);`,
    });
  });
  afterAll(() => t.stop());

  it('runs a batch: both id spellings, positional results with index, state and times', async () => {
    const start = await t.call<Record<string, string>>('POST', '/api/square/1.0/batch?parallelCount=2', [
      { x: 0 }, { x: 1 }, { x: 2 }, { x: -3 }, { x: 4 },
    ]);
    expect(start.status).toBe(200);
    expect(start.body.name).toBe('square');
    expect(start.body.version).toBe('1.0');
    expect(start.body.batchExecutionId).toMatch(/\S{8,}/);
    expect(start.body.BatchExecutionId).toBe(start.body.batchExecutionId);
    const id = start.body.batchExecutionId;

    const end = await waitForEnd(t, 'square', id);
    expect(end.state).toBe('Complete');
    expect(end.totalItemCount).toBe(5);
    expect(end.completedItemCount).toBe(5);
    const items = end.batchExecutionResults;
    expect(items.map((r) => r!.index)).toEqual([0, 1, 2, 3, 4]);
    expect(items.map((r) => r!.outputParameters.y ?? null)).toEqual([0, 1, 4, null, 16]);
    expect(items.map((r) => r!.state)).toEqual(['Complete', 'Complete', 'Complete', 'Failed', 'Complete']);
    expect(items[3]).toMatchObject({ success: false, errorMessage: expect.stringMatching(/x must not be negative, got -3/) });
    expect(items[2]!.consoleOutput).toBe('did 2\n');
    for (const r of items) {
      expect(Date.parse(r!.endTime!)).toBeGreaterThanOrEqual(Date.parse(r!.startTime!));
    }
    expect(items[2]!.changedFiles).toEqual(['out.txt']);
    expect(items[1]!.changedFiles).toEqual([]);

    const list = await t.call<string[]>('GET', '/api/square/1.0/batch');
    expect(list.body).toContain(id);
  });

  it('serves a record\'s artifacts, and only those', async () => {
    const id = await startBatch(t, 'square', [{ x: 2 }, { x: 3 }], 2);
    await waitForEnd(t, 'square', id);
    const files = await t.call<string[]>('GET', `/api/square/1.0/batch/${id}/0/files`);
    expect(files.body).toEqual(['out.txt']);
    expect((await t.call<string[]>('GET', `/api/square/1.0/batch/${id}/1/files`)).body).toEqual([]);
    const file = await t.call('GET', `/api/square/1.0/batch/${id}/0/files/out.txt`);
    expect(file.status).toBe(200);
    expect(file.text).toBe('square 4');
    expect(file.headers.get('content-type')).toMatch(/text\/plain/);

    const missing = await t.call<{ message: string }>('GET', `/api/square/1.0/batch/${id}/1/files/out.txt`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/no file 'out.txt'/);
    // Declared but never written.
    expect((await t.call('GET', `/api/square/1.0/batch/${id}/0/files/other.bin`)).status).toBe(404);
    expect((await t.call('GET', `/api/square/1.0/batch/${id}/2/files`)).status).toBe(404);
    expect((await t.call('GET', `/api/square/1.0/batch/${id}/x/files`)).status).toBe(400);
  });

  it('a record that kills its worker fails alone; the next records run on a new worker', async () => {
    await publishJs(t, 'crashy', { inputs: ['i'], outputs: ['i'], code: 'if (i === 1) process.exit(3);' });
    const id = await startBatch(t, 'crashy', [{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }], 1);
    const end = await waitForEnd(t, 'crashy', id);
    expect(end.state).toBe('Complete');
    expect(end.batchExecutionResults.map((r) => r!.success)).toEqual([true, false, true, true]);
    expect(end.batchExecutionResults[1]!.errorMessage).toMatch(/worker process died/);
  });

  it('a worker that goes away before it is given its record is replaced: the record runs; one that never starts fails after three tries', async () => {
    // initCode ends the process the first time only (a marker file remembers), as a Ctrl-C reaching a starting worker would.
    const marker = path.join(t.dataDir, 'started-once');
    const initCode = `if (!require('node:fs').existsSync(${JSON.stringify(marker)})) { require('node:fs').writeFileSync(${JSON.stringify(marker)}, ''); process.kill(process.pid, 'SIGKILL'); }`;
    await publishJs(t, 'starts-second', { initCode, inputs: ['i'], outputs: ['i'], code: '' });
    const ok = await waitForEnd(t, 'starts-second', await startBatch(t, 'starts-second', [{ i: 7 }], 1));
    expect(ok.batchExecutionResults.map((r) => [r!.success, r!.errorMessage, r!.outputParameters])).toEqual([[true, '', { i: 7 }]]);
    const tries = path.join(t.dataDir, 'tries');
    await publishJs(t, 'never-starts', { initCode: `require('node:fs').appendFileSync(${JSON.stringify(tries)}, 'x'); process.exit(4);`, inputs: ['i'], outputs: ['i'], code: '' });
    const bad = await waitForEnd(t, 'never-starts', await startBatch(t, 'never-starts', [{ i: 1 }], 1));
    expect(bad.batchExecutionResults[0]!.errorMessage).toBe('worker process died during initCode (exit code 4)');
    expect(readFileSync(tries, 'utf8')).toBe('xxx');
  });

  it('keeps a directory only for records that left artifacts', async () => {
    const id = await startBatch(t, 'square', [{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }], 2);
    await waitForEnd(t, 'square', id);
    const dir = path.join(t.dataDir, 'executions', id);
    // Spare run directories go just after the end.
    await vi.waitFor(() => expect(readdirSync(dir).sort()).toEqual(['1', '3']));
    expect(readdirSync(path.join(dir, '1'))).toEqual(['out.txt']);
    const none = await startBatch(t, 'square', [{ x: 1 }, { x: 3 }], 2);
    await waitForEnd(t, 'square', none);
    await vi.waitFor(() => expect(existsSync(path.join(t.dataDir, 'executions', none))).toBe(false));
  });

  it('keeps artifact names inside the record directory', async () => {
    const id = await startBatch(t, 'square', [{ x: 2 }], 1);
    await waitForEnd(t, 'square', id);
    const base = `/api/square/1.0/batch/${id}/0/files/`;
    const attempts = [
      '..%2F..%2F..%2Fmlbatch.db',
      '..%2F1%2Fout.txt',
      '%2E%2E%2F%2E%2E%2Fmlbatch.db',
      '..%5C..%5Cmlbatch.db',
      '%2Fetc%2Fpasswd',
      '..',
      '%2E%2E',
      'out.txt%00.png',
      'C%3A%5Cwindows',
    ];
    for (const a of attempts) {
      const res = await t.call<{ message: string }>('GET', base + a);
      expect([400, 404], a).toContain(res.status);
      expect(res.text).not.toContain('SQLite');
      expect(typeof res.body.message).toBe('string');
    }
    // A symbolic link named like an artifact is not served, wherever it points.
    await publishJs(t, 'linker', {
      inputs: ['target:character'],
      files: ['out.txt'],
      code: `require('node:fs').symlinkSync(target, 'out.txt');`,
    });
    const linked = await startBatch(t, 'linker', [{ target: path.join(t.dataDir, 'mlbatch.db') }], 1);
    const linkedEnd = await waitForEnd(t, 'linker', linked);
    expect(linkedEnd.batchExecutionResults[0]!.changedFiles).toEqual([]);
    const viaLink = await t.call<{ message: string }>('GET', `/api/linker/1.0/batch/${linked}/0/files/out.txt`);
    expect(viaLink.status).toBe(404);
    expect(viaLink.text).not.toContain('SQLite');
    const once = await t.call<{ changedFiles: string[]; outputFiles: object }>('POST', '/api/linker/1.0', {
      target: path.join(t.dataDir, 'mlbatch.db'),
    });
    expect(once.body.changedFiles).toEqual([]);
    expect(once.body.outputFiles).toEqual({});
    // Unencoded dot segments never reach a file either (they do not even match the route).
    const raw = await fetch(`${t.server.url}${base}../../../../mlbatch.db`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect([400, 404]).toContain(raw.status);
  });

  it('shows a running item as Running with its start time, and an empty list without partial results until it ends', async () => {
    const gate = `${t.dataDir}/gate-${Date.now()}`;
    const id = await startBatch(t, 'square', [{ x: 1 }, { x: 2, gate }, { x: 3 }], 3);
    const deadline = Date.now() + 30_000;
    let partial: BatchWebServiceResult;
    do {
      await new Promise((r) => setTimeout(r, 100));
      partial = (await t.call<BatchWebServiceResult>('GET', `/api/square/1.0/batch/${id}?showPartialResults=true`)).body;
    } while (partial.completedItemCount < 2 && Date.now() < deadline);
    expect(partial.state).toBe('InProgress');
    expect(partial.completedItemCount).toBe(2);
    expect(partial.batchExecutionResults).toHaveLength(3);
    // Where a real server sends null, a running record says so: a result's keys, no outcome yet.
    expect(partial.batchExecutionResults[1]).toMatchObject({
      index: 1, state: 'Running', success: false, errorMessage: '', outputParameters: {}, changedFiles: [],
    });
    expect(Date.parse(partial.batchExecutionResults[1]!.startTime!)).toBeGreaterThan(Date.now() - 60_000);
    expect(partial.batchExecutionResults[0]!.index).toBe(0);
    expect(partial.batchExecutionResults[2]!.index).toBe(2);

    for (const q of ['showPartialResults=false', 'showPartialResult=false', 'showPartialResult=False']) {
      const none = await t.call<BatchWebServiceResult>('GET', `/api/square/1.0/batch/${id}?${q}`);
      expect(none.body.batchExecutionResults, q).toEqual([]);
      expect(none.body.completedItemCount).toBe(2);
    }
    expect((await t.call('GET', `/api/square/1.0/batch/${id}?showPartialResults=maybe`)).status).toBe(400);
    const twice = await t.call('GET', `/api/square/1.0/batch/${id}?showPartialResults=true&showPartialResults=false`);
    expect(twice.status).toBe(400);

    const { writeFileSync } = await import('node:fs');
    writeFileSync(gate, '');
    await waitForEnd(t, 'square', id);
    const full = await t.call<BatchWebServiceResult>('GET', `/api/square/1.0/batch/${id}?showPartialResult=false`);
    expect(full.body.batchExecutionResults.map((r) => r!.outputParameters.y)).toEqual([1, 4, 9]);
  });

  it('answers 404 for unknown executions and services, 400 for bad batch bodies', async () => {
    const unknown = await t.call<{ message: string }>('GET', '/api/square/1.0/batch/no-such-id');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/unknown execution 'no-such-id'/);
    expect((await t.call('DELETE', '/api/square/1.0/batch/no-such-id')).status).toBe(404);
    expect((await t.call('POST', '/api/nope/1.0/batch', [{}])).status).toBe(404);
    // An execution belongs to its service version.
    await publishJs(t, 'other', { code: '' });
    const id = await startBatch(t, 'square', [{ x: 1 }], 1);
    expect((await t.call('GET', `/api/other/1.0/batch/${id}`)).status).toBe(404);

    const cases: [unknown, RegExp][] = [
      [{ x: 1 }, /JSON array of records/],
      [[], /at least one record/],
      [[{ x: 1 }, 5], /record 1 must be a JSON object/],
      [[{ x: 1 }, null], /record 1/],
    ];
    for (const [body, message] of cases) {
      const res = await t.call<{ message: string }>('POST', '/api/square/1.0/batch', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    for (const pc of ['0', '-1', 'abc', '2.5']) {
      const res = await t.call<{ message: string }>('POST', `/api/square/1.0/batch?parallelCount=${pc}`, [{ x: 1 }]);
      expect(res.status, pc).toBe(400);
      expect(res.body.message).toMatch(/parallelCount/);
    }
  });
});
