import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebService } from '../../src/protocol.js';
import { probePython } from '../../src/server/runtime/pool.js';
import { startBatch, startTestServer, waitForEnd, type TestServer } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Rows of a simple CSV shipped in examples/records (no quoted fields). */
function csv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path.join(ROOT, 'examples/records', file), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

describe('the example services, published with --services', () => {
  let t: TestServer;
  const mtcars = csv('mtcars.csv');
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 6, servicesDir: path.join(ROOT, 'examples/services') });
  });
  afterAll(() => t.stop());

  it('are all published', async () => {
    const names = (await t.call<WebService[]>('GET', '/services')).body.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['transmission', 'slow-scorer', 'flaky', 'chart']));
  });

  it('transmission: scores every mtcars row, mostly agreeing with the real gearbox, with answer.csv', async () => {
    const records = mtcars.map((r) => ({ hp: Number(r.hp), wt: Number(r.wt) }));
    const id = await startBatch(t, 'transmission', records, 4);
    const end = await waitForEnd(t, 'transmission', id);
    expect(end.state).toBe('Complete');
    expect(end.completedItemCount).toBe(32);
    const p = end.batchExecutionResults.map((r) => r!.outputParameters.probability as number);
    for (const x of p) expect(x > 0 && x < 1).toBe(true);
    const agree = p.filter((x, i) => (x > 0.5 ? 1 : 0) === Number(mtcars[i].am)).length;
    expect(agree).toBeGreaterThanOrEqual(26);
    const file = await t.call('GET', `/api/transmission/1.0/batch/${id}/0/files/answer.csv`);
    expect(file.headers.get('content-type')).toMatch(/text\/csv/);
    expect(file.text).toBe(`hp,wt,probability\n110,2.62,${p[0]}\n`);
  });

  it('transmission-python: published from init.py and code.py; agrees with the JavaScript scorer within 1e-6', async () => {
    const svc = (await t.call<WebService>('GET', '/services/transmission-python/1.0')).body;
    expect(svc.runtimeType).toBe('Python');
    expect(svc.initCode).toMatch(/def manual_probability/);
    if (!(await probePython('python3'))) return; // published and listed is all a machine without python3 can show
    // The CSV rows as they are: every value text, every column, as a client reading the file may send them.
    const [py, js] = await Promise.all(
      ['transmission-python', 'transmission'].map(async (name) => {
        const end = await waitForEnd(t, name, await startBatch(t, name, mtcars, 4), 60_000);
        expect(end.state, name).toBe('Complete');
        return end.batchExecutionResults.map((r) => r!.outputParameters.probability as number);
      }),
    );
    expect(py).toHaveLength(32);
    py.forEach((p, i) => expect(Math.abs(p - js[i]), mtcars[i].model).toBeLessThan(1e-6));
  });

  it('slow-scorer: a random 10-200 ms per record, a fixed few fail on purpose, score.txt for each', async () => {
    const records = csv('scores-sample.csv').slice(0, 60).map((r) => ({ id: Number(r.id), value: Number(r.value) }));
    const id = await startBatch(t, 'slow-scorer', records, 10);
    const end = await waitForEnd(t, 'slow-scorer', id);
    expect(end.state).toBe('Complete');
    const failed = end.batchExecutionResults.filter((r) => !r!.success);
    for (const r of failed) expect(r!.errorMessage).toMatch(/rejected/);
    for (const r of end.batchExecutionResults.filter((x) => x!.success)) {
      const ms = r!.outputParameters.elapsedMs as number;
      expect(ms >= 10 && ms <= 200).toBe(true);
      expect(r!.changedFiles).toEqual(['score.txt']);
    }
    const again = await waitForEnd(t, 'slow-scorer', await startBatch(t, 'slow-scorer', records, 10));
    expect(again.batchExecutionResults.map((r) => r!.success)).toEqual(end.batchExecutionResults.map((r) => r!.success));
  });

  it('flaky: negative values fail with a clear message, the rest succeed', async () => {
    const records = [{ id: 1, value: 4 }, { id: 2, value: -1 }, { id: 3, value: 2.25 }];
    const id = await startBatch(t, 'flaky', records, 2);
    const end = await waitForEnd(t, 'flaky', id);
    expect(end.batchExecutionResults.map((r) => r!.outputParameters.root ?? null)).toEqual([2, null, 1.5]);
    expect(end.batchExecutionResults[1]).toMatchObject({
      success: false,
      state: 'Failed',
      errorMessage: expect.stringMatching(/must not be negative.*-1/),
    });
  });

  it('chart: a PNG (binary), an SVG and a summary per record, served byte for byte', async () => {
    const records = mtcars.slice(0, 3).map((r) => ({
      model: r.model, mpg: Number(r.mpg), hp: Number(r.hp), wt: Number(r.wt), qsec: Number(r.qsec),
    }));
    const id = await startBatch(t, 'chart', records, 3);
    const end = await waitForEnd(t, 'chart', id);
    expect(end.state).toBe('Complete');
    const files = await t.call<string[]>('GET', `/api/chart/1.0/batch/${id}/1/files`);
    expect([...files.body].sort()).toEqual(['chart.png', 'chart.svg', 'summary.json']);
    const png = await fetch(`${t.server.url}/api/chart/1.0/batch/${id}/1/files/chart.png`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBe(end.batchExecutionResults[1]!.outputParameters.pngBytes);
    const svg = await t.call('GET', `/api/chart/1.0/batch/${id}/1/files/chart.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.text).toContain('<svg');
    const summary = await t.call<{ model: string }>('GET', `/api/chart/1.0/batch/${id}/1/files/summary.json`);
    expect(summary.body.model).toBe(mtcars[1].model);
  });
});
