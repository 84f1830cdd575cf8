import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServiceResult } from '../../src/protocol.js';
import { params, startBatch, startTestServer, waitForEnd, type TestServer } from './helpers.js';

// pandas is often installed for one interpreter only (Debian's python3-pandas is for /usr/bin/python3).
const pandasPython = [process.env.MLBATCH_TEST_PANDAS_PYTHON, 'python3', '/usr/bin/python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import pandas, numpy'], { stdio: 'ignore', timeout: 30_000 }).status === 0,
);
const title = pandasPython
  ? `pandas and numpy values through ${pandasPython}`
  : 'pandas and numpy values (skipped: no python3 here imports pandas; apt-get install python3-pandas)';

describe.skipIf(!pandasPython)(title, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 2, pythonPath: pandasPython });
    const res = await t.call('POST', '/services/frames/1.0', {
      runtimeType: 'Python',
      code: [
        'import numpy as np',
        'kinds = [type(v).__name__ for v in (cars, weights, grid)]',
        'cars["ratio"] = cars["hp"] / cars["wt"]',
        'out = cars',
        'heaviest = cars.sort_values("wt", ascending=False)["name"].head(2)',
        'mean_hp = cars["hp"].mean()',
        'doubled = weights * 2',
        'trace = np.trace(grid)',
        'stamp = __import__("pandas").Timestamp("2024-02-29T12:00:00")',
      ].join('\n'),
      inputParameterDefinitions: params('cars:data.frame', 'weights:vector', 'grid:matrix'),
      outputParameterDefinitions: params('kinds:vector', 'out:data.frame', 'heaviest:vector', 'mean_hp', 'doubled:vector', 'trace', 'stamp:character'),
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t.stop());

  it('binds data.frame as a DataFrame, vector and matrix as numpy arrays, and encodes them back', async () => {
    const cars = { name: ['Mazda RX4', 'Valiant', 'Fiat 128'], hp: [110, 105, 66], wt: [2.62, 3.46, 2.2] };
    const res = await t.call<WebServiceResult>('POST', '/api/frames/1.0', {
      cars,
      weights: [1.5, 2],
      grid: [[1, 2], [3, 4]],
    });
    expect(res.body.errorMessage).toBe('');
    const o = res.body.outputParameters;
    expect(o.kinds).toEqual(['DataFrame', 'ndarray', 'ndarray']);
    expect(o.out).toEqual({ ...cars, ratio: cars.hp.map((h, i) => h / cars.wt[i]) });
    expect(o.heaviest).toEqual(['Valiant', 'Mazda RX4']);
    expect(o.mean_hp).toBeCloseTo(281 / 3, 10);
    expect(o.doubled).toEqual([3, 4]);
    expect(o.trace).toBe(5);
    expect(o.stamp).toBe('2024-02-29T12:00:00');
  });

  it('does the same for every record of a batch', async () => {
    const records = [1, 2, 3].map((k) => ({ cars: { name: ['a', 'b'], hp: [k, 2 * k], wt: [1, 4] }, weights: [k], grid: [[k]] }));
    const id = await startBatch(t, 'frames', records, 2);
    const end = await waitForEnd(t, 'frames', id);
    expect(end.state).toBe('Complete');
    expect(end.batchExecutionResults.map((r) => r!.outputParameters.mean_hp)).toEqual([1.5, 3, 4.5]);
    expect(end.batchExecutionResults.map((r) => r!.outputParameters.heaviest)).toEqual([['b', 'a'], ['b', 'a'], ['b', 'a']]);
  });
});
