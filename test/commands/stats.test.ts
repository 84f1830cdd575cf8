/** `mlbatch stats`, built, run as a child process against the embedded server. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/index.js';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let env: Record<string, string>;
let flakyId: string;
let chartId: string;

/** Starts a batch and waits for its end, through the library. */
async function finished(name: string, records: Record<string, unknown>[]): Promise<string> {
  const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
  const batch = await (await client.getService(name, '1.0')).batch(records, { parallelCount: 3 }).start();
  for (;;) {
    const p = await batch.poll({ showPartialResults: false });
    if (p.state === 'Complete' || p.state === 'Failed') return batch.executionId!;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await embeddedServer();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(await tempDir(), 'config') };
  // Square roots of 4, 9, 16 and 0.25; -1 fails.
  flakyId = await finished('flaky', [4, -1, 9, 16, 0.25].map((value, id) => ({ id, value })));
  chartId = await finished('chart', ['a', 'b', 'a', 'a'].map((model) => ({ model, mpg: 21, hp: 110, wt: 2.6, qsec: 16.5 })));
});
afterAll(async () => server?.close());

describe('mlbatch stats', { timeout: 60_000 }, () => {
  it('gives the figures of a finished execution as JSON: counts, durations, outputs, rates', async () => {
    const r = await cli(['stats', 'flaky', '1.0', flakyId, '--json', '--bins', '4'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ service: 'flaky', executionId: flakyId, state: 'Complete', totalItemCount: 5, records: 5, failed: 1, timed: 5 });
    expect(s.outputs).toEqual([{
      name: 'root', kind: 'numeric', count: 4, nonFinite: 0, min: 0.5, mean: 2.375, max: 4, other: 0,
      histogram: { min: 0.5, max: 4, step: 0.875, counts: [1, 1, 1, 1] },
    }]);
    expect(s.durations.count).toBe(5);
    expect(s.durations.min).toBeLessThanOrEqual(s.durations.p50);
    expect(s.durations.p50).toBeLessThanOrEqual(s.durations.p99);
    expect(s.durations.p99).toBeLessThanOrEqual(s.durations.max);
    expect(s.rates.source).toBe('records');
    expect(s.rates.perSecond).toHaveLength(4);
    // Every record's end falls in a bin: the rates add back up to the five records.
    expect(s.rates.perSecond.reduce((a: number, b: number) => a + b, 0) * (s.rates.binMs / 1000)).toBeCloseTo(5, 6);
  });

  it('prints the same figures as text, in ASCII, with the most frequent values of a character output', async () => {
    const r = await cli(['stats', 'chart', '1.0', chartId], { ...env, LANG: 'en_US.UTF-8' });
    expect(r.code).toBe(0);
    expect([...Buffer.from(r.stdout)].filter((b) => b > 0x7e)).toEqual([]);
    expect(r.stdout).toMatch(/^chart 1\.0 \S+ {2}Complete {2}4\/4 finished, 0 failed$/m);
    expect(r.stdout).toContain('throughput (records/s, from record end times;');
    expect(r.stdout).toMatch(/record durations \(4 records with start and end times\)\n {2}min \d+\.\d{3}s {2}mean .* p50 .* p95 .* p99 .* max \d+\.\d{3}s/);
    expect(r.stdout).toMatch(/^title +4 +"a: 21 mpg, 110 hp, 2\.6k lbs, 16\.5 s" 3, "b: 21 mpg, 110 hp, 2\.6k lbs, 16\.5 s" 1$/m);
    expect(r.stdout).toMatch(/^pngBytes +4 +\d+ +\d+ +\d+ +\S+/m);
  });

  it('names an execution the server does not know (exit 2)', async () => {
    const r = await cli(['stats', 'flaky', '1.0', 'no-such-id'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mlbatch: .*no-such-id/);
  });
});
