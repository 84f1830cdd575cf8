/** `mlbatch diff`, built, against the embedded server: flaky 1.0 and 2.0 differ on known records. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client.js';
import { Poller } from '../../src/watch/poller.js';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
import { toleranceArgument } from '../../src/commands/diff.js';
import { controllerOn, until } from '../controller/helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let env: Record<string, string>;
const ids: Record<string, string> = {};

// 2.0 clamps values to [0, 2]: indices 1 (-1) and 6 (-4) fail in 1.0 only; 0 (4), 3 (2.25) and 5 (9) differ.
const VALUES = [4, -1, 1, 2.25, 0.5, 9, -4, 2];
const records = VALUES.map((value, i) => ({ id: i, value }));

async function run(version: string, recs: typeof records) {
  const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
  const batch = await (await client.getService('flaky', version)).batch(recs, { parallelCount: 4 }).start();
  await new Poller(batch, { minIntervalMs: 20, results: 'counts' }).run();
  return batch.requireId();
}

beforeAll(async () => {
  server = await embeddedServer();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(await tempDir(), 'config') };
  [ids.v1, ids.v2, ids.short] = await Promise.all([run('1.0', records), run('2.0', records), run('1.0', records.slice(0, 5))]);
});
afterAll(async () => server?.close());

describe('mlbatch diff', { timeout: 60_000 }, () => {
  it('of an execution with itself: equal, exit 0; with 2.0: exactly the known indices, exit 1', async () => {
    const same = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '1.0', ids.v1, '--json'], env);
    expect(same.code).toBe(0);
    const s = JSON.parse(same.stdout);
    expect(s).toMatchObject({ equal: true, compared: 8, counts: { equal: 6, different: 0, failedInOne: 0, failedInBoth: 2 } });
    expect(s.outputs).toEqual([{ name: 'root', different: 0, missingInA: 0, missingInB: 0, maxDelta: null, largest: [] }]);
    expect(s.indices.failedInBoth).toEqual([1, 6]);

    const r = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '2.0', ids.v2, '--json'], env);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    // No context here: each side names its server.
    expect(d.a).toEqual({ service: 'flaky', version: '1.0', executionId: ids.v1, state: 'Complete', size: 8, context: null, host: server.url });
    expect(d.counts).toEqual({ equal: 3, different: 3, failedInOne: 2, failedInA: 2, failedInB: 0, failedInBoth: 0, unfinished: 0, onlyInOne: 0 });
    expect(d.indices).toMatchObject({ different: [0, 3, 5], failedInA: [1, 6], failedInB: [], onlyInA: [] });
    expect(d.outputs).toHaveLength(1);
    expect(d.outputs[0]).toMatchObject({ name: 'root', different: 3, missingInA: 0, missingInB: 0 });
    expect(d.outputs[0].largest.map((x: { index: number }) => x.index)).toEqual([5, 0, 3]);
    expect(d.outputs[0].largest[0]).toMatchObject({ a: 3, b: Math.SQRT2 });
    expect(d.outputs[0].maxDelta).toBeCloseTo(3 - Math.SQRT2, 12);

    // A tolerance wide enough takes the numbers as equal; the failures in 1.0 still differ.
    const wide = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '2.0', ids.v2, '--tolerance', '2', '--json'], env);
    expect(wide.code).toBe(1);
    expect(JSON.parse(wide.stdout).counts).toMatchObject({ equal: 6, different: 0, failedInOne: 2 });

    // The text report says the same.
    const text = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '2.0', ids.v2], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('8 compared, tolerance 0.000001 (absolute): 3 equal, 3 different, 2 failed in one only (A 2, B 0), 0 failed in both');
    expect(text.stdout).toMatch(/^root +3 +1\.58579 +5: 3 -> 1\.41421.* \(diff 1\.59\); 0: 2 -> 1\.41421.* \(diff 0\.586\); 3: 1\.5 -> /m);
    expect(text.stdout).toContain('different: 0, 3, 5\nfailed in A only: 1, 6\n');
    expect(text.stdout.trimEnd().endsWith('not equal')).toBe(true);
  });

  it('refuses executions of different sizes unless --allow-size-mismatch, and refuses a bad tolerance and an unknown id (exit 2)', async () => {
    const refused = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '1.0', ids.short], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('mlbatch: the executions differ in size: the first has 8 records, the second 5. Records are matched by index; '
      + '--allow-size-mismatch compares the first 5 and counts the other 3 as only in one\n');
    expect(refused.stdout).toBe('');

    const allowed = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '1.0', ids.short, '--allow-size-mismatch', '--json'], env);
    expect(allowed.code).toBe(1);
    const d = JSON.parse(allowed.stdout);
    expect(d).toMatchObject({ compared: 5, counts: { equal: 4, failedInBoth: 1, onlyInOne: 3 }, indices: { onlyInA: [5, 6, 7] } });

    for (const bad of ['-1', 'abc', '', 'Infinity']) expect(() => toleranceArgument(bad)).toThrow(`--tolerance takes a number of at least 0 (like 1e-6), not "${bad}"`);
    expect(toleranceArgument('1e-3')).toBe(0.001);
    const unknown = await cli(['diff', 'flaky', '1.0', ids.v1, 'flaky', '2.0', 'no-such-execution'], env);
    expect(unknown.code).toBe(2);
  });
});

describe("the app's comparison, through the controller", { timeout: 60_000 }, () => {
  it('compares the same two executions, with the inputs of a batch started here, and says when one is unknown', async () => {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
    const { store, c } = controllerOn(client, join(await tempDir(), 'downloads'));
    const a = { service: 'flaky', version: '1.0', id: ids.v1 };
    const b = { service: 'flaky', version: '2.0', id: ids.v2 };
    // As if A had been started in the app: its records are known.
    c.startPolling(a, (await client.getService('flaky', '1.0')).getBatch(ids.v1), records);
    c.loadComparison(a, b);
    const cmp = await until(store, (s) => s.resources.compare.status === 'ready' && s.resources.compare.data, 'the comparison');
    expect(cmp.indices).toEqual([0, 1, 3, 5, 6]);
    expect(cmp.summary.counts).toMatchObject({ equal: 3, different: 3, failedInOne: 2 });
    expect(cmp.detail(1)).toMatchObject({
      verdict: 'failedInA', inputsA: { id: 1, value: -1 }, inputsB: null,
      a: { state: 'Failed', error: 'value must not be negative, got -1 (record id 1)' }, b: { state: 'Complete', outputs: { root: 0 } },
    });
    c.loadComparison(a, { ...b, id: 'no-such-execution' });
    await until(store, (s) => s.resources.compare.status === 'error', 'the failure');
    expect(store.getState().status).toMatchObject({ level: 'error', text: expect.stringMatching(/^Comparing failed: /) });
    c.stop();
  });
});
