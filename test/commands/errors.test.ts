/** `mlbatch errors` against the embedded server: flaky fails on negative values, with the value and id in its message. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, Poller } from '../../src/index.js';
import { embeddedServer, PASSWORD } from '../helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let env: Record<string, string>;
let id: string;
// Negative values at 2, 5, 6 and 11: four failures, one pattern.
const values = [1, 4, -2, 9, 16, -0.5, -7, 25, 36, 49, 64, -100];

beforeAll(async () => {
  server = await embeddedServer();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: `${server.dataDir}/config` };
  const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
  const batch = await (await client.getService('flaky', '1.0')).batch(values.map((value, i) => ({ id: i + 100, value })), { parallelCount: 4 }).start();
  id = batch.executionId!;
  await new Poller(batch, { minIntervalMs: 50 }).run();
});
afterAll(async () => server?.close());

describe('mlbatch errors', { timeout: 60_000 }, () => {
  it('groups the failures with their count, share, indices and a sample, as text and as JSON', async () => {
    const text = await cli(['errors', 'flaky', '1.0', id], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('4 failed of 12, in 1 group');
    expect(text.stdout).toContain('#1  4 (100.0%)  value must not be negative, got <num> (record id <num>)');
    expect(text.stdout).toContain('indices 2, 5, 6, 11');
    expect(text.stdout).toContain('sample (index 2): value must not be negative, got -2 (record id 102)');

    const json = await cli(['errors', 'flaky', '1.0', id, '--json'], env);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ executionId: id, state: 'Complete', totalItemCount: 12, failed: 4 });
    expect(out.groups).toEqual([{
      number: 1, pattern: 'value must not be negative, got <num> (record id <num>)', count: 4, share: 1,
      indices: [2, 5, 6, 11], first: [2, 5, 6, 11], sample: 'value must not be negative, got -2 (record id 102)',
    }]);
  });
});
