/** The one concurrency helper: a bound on tasks in flight, tasks that queue tasks, the first failure or an abort ending it. */
import { describe, expect, it } from 'vitest';
import { mapPool, pool } from '../../src/client/pool.js';

/** A task that settles when the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('pool', () => {
  it('keeps at most `limit` tasks in flight and starts the next one as soon as a slot frees', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const queue = [0, 1, 2, 3, 4];
    const all = pool(2, () => queue.shift(), async (i) => {
      started.push(i);
      await gates[i].done;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await all;
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('asks again whenever a task ends, so a task may queue more (and they come first when the queue says so)', async () => {
    const files: string[] = [];
    const lists = ['a', 'b'];
    const done: string[] = [];
    await pool(1, () => files.shift() ?? lists.shift(), async (task) => {
      if (!task.includes('/')) files.push(`${task}/1`, `${task}/2`);
      done.push(task);
    });
    expect(done).toEqual(['a', 'a/1', 'a/2', 'b', 'b/1', 'b/2']);
  });

  it('resolves at once with nothing to do', async () => {
    await expect(pool(4, () => undefined, async () => undefined)).resolves.toBeUndefined();
  });

  it('rejects with the first failure and starts nothing after it, a failure before any await included', async () => {
    const started: number[] = [];
    const queue = [0, 1, 2, 3];
    const err = await pool(1, () => queue.shift(), (i) => {
      started.push(i);
      if (i === 1) throw new Error('task 1 failed');
      return Promise.resolve();
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('task 1 failed');
    await tick();
    expect(started).toEqual([0, 1]);
  });

  it('rejects with the signal\'s reason once it aborts, and starts no task after', async () => {
    const stop = new AbortController();
    const started: number[] = [];
    const queue = [0, 1, 2];
    const g = gate();
    const all = pool(1, () => queue.shift(), async (i) => {
      started.push(i);
      await g.done;
    }, stop.signal);
    await tick();
    stop.abort(new Error('left the screen'));
    g.open();
    await expect(all).rejects.toThrow('left the screen');
    expect(started).toEqual([0]);
  });
});

describe('mapPool', () => {
  it('gives the results in the items\' order, whatever order they finish in', async () => {
    const delays = [30, 5, 20, 0, 10];
    let inFlight = 0;
    let most = 0;
    const out = await mapPool(delays, 3, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:0', '4:10']);
    expect(most).toBe(3);
  });
});
