/**
 * Bounded concurrency: at most N tasks in flight, a new one started as soon as one ends.
 *
 * ```ts
 * await pool(16, () => queue.shift(), (task) => fetchOne(task), signal);  // tasks may queue more
 * const rows = await mapPool(ids, 4, (id) => pollOne(id));                 // results in input order
 * ```
 */

/**
 * Runs `run` on the tasks `take` hands out, at most `limit` at once. `take` is asked whenever a
 * slot is free (undefined: nothing now), so a running task may queue more and the slot it frees
 * picks them up. Resolves once `take` has nothing and nothing runs. Rejects with the first task's
 * rejection, or with the signal's reason once it aborts; no task starts after either.
 */
export function pool<T>(limit: number, take: () => T | undefined, run: (task: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const slots = Math.max(1, Math.floor(limit));
  return new Promise<void>((resolve, reject) => {
    let active = 0;
    let stopped = false;
    const stop = (reason: unknown) => {
      stopped = true;
      reject(reason);
    };
    const fill = (): void => {
      if (stopped) return;
      if (signal?.aborted) return stop(signal.reason);
      while (active < slots) {
        const task = take();
        if (task === undefined) break;
        active++;
        // A task that throws before its first await rejects like one that throws after it.
        new Promise<void>((done) => done(run(task))).then(() => {
          active--;
          fill();
        }, stop);
      }
      if (active === 0) resolve();
    };
    fill();
  });
}

/** `fn` of each item, at most `limit` at once, the results in the items' order (see `pool`). */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await pool(limit, () => (next < items.length ? next++ : undefined), async (i) => {
    out[i] = await fn(items[i], i);
  }, signal);
  return out;
}
