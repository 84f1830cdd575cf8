import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../src/server/runtime/pool.js';
import type { Runtime } from '../../src/server/runtime/types.js';
import { alive, cleanup, params, runOne, service } from './helpers.js';

const pools: Runtime[] = [];
const open = (...args: Parameters<typeof createWorkerPool>): Runtime => {
  const pool = createWorkerPool(...args);
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  cleanup();
});

const sleeper = (ms: number) =>
  service({
    outputs: params('pid', 'start', 'end'),
    code: `const start = Date.now();\nawait new Promise((r) => setTimeout(r, ${ms}));\nconst end = Date.now();\nconst pid = process.pid;`,
  });

describe('worker pool scheduling', () => {
  it('never runs more records at once than maxWorkers, however many are handed to it', async () => {
    const pool = open({ maxWorkers: 3 });
    const svc = sleeper(300);
    const outs = await Promise.all(Array.from({ length: 9 }, () => runOne(pool, svc)));
    expect(outs.every((o) => o.success)).toBe(true);
    const spans = outs.map((o) => [o.outputParameters.start as number, o.outputParameters.end as number]);
    const most = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
    expect(most).toBeLessThanOrEqual(3);
    expect(new Set(outs.map((o) => o.outputParameters.pid)).size).toBeLessThanOrEqual(3);
  });

  it('stops an idle worker of another service when a new one is needed at the cap', async () => {
    const pool = open({ maxWorkers: 1 });
    const a = sleeper(0);
    const b = sleeper(0);
    const a1 = await runOne(pool, a);
    const b1 = await runOne(pool, b);
    const a2 = await runOne(pool, a);
    expect([a1, b1, a2].every((o) => o.success)).toBe(true);
    expect(b1.outputParameters.pid).not.toBe(a1.outputParameters.pid);
    expect(a2.outputParameters.pid).not.toBe(a1.outputParameters.pid);
    await expect.poll(() => alive(a1.outputParameters.pid as number), { timeout: 10_000 }).toBe(false);
  });

  it('stops a worker left idle for idleTimeoutMs and starts a fresh one when needed', async () => {
    const pool = open({ maxWorkers: 2, idleTimeoutMs: 300 });
    const svc = sleeper(0);
    const first = await runOne(pool, svc);
    const pid = first.outputParameters.pid as number;
    await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
    const second = await runOne(pool, svc);
    expect(second.success).toBe(true);
    expect(second.outputParameters.pid).not.toBe(pid);
  });

  it('on close fails the record in flight, stops every worker and refuses new records', async () => {
    const pool = open({ maxWorkers: 2 });
    const svc = sleeper(30_000);
    const running = runOne(pool, svc);
    await new Promise((r) => setTimeout(r, 1000));
    await pool.close();
    const out = await running;
    expect(out.success).toBe(false);
    expect(out.errorMessage).toMatch(/stopped|shutting down/);
    const late = await runOne(pool, svc);
    expect(late.errorMessage).toBe('the server is shutting down');
  });
});
