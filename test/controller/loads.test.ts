import { describe, expect, it } from 'vitest';
import { Loads } from '../../src/controller/loads.js';
import { createAppStore } from '../../src/store/app-store.js';
import { mergeInPlace } from '../../src/store/resources.js';
import type { ExecutionSummary } from '../../src/store/types.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const row = (id: string, state: string): ExecutionSummary => ({ id, state, total: 1, completed: 0 });

describe('loads into the store', () => {
  it('a newer load wins over an older one, whichever answers first', async () => {
    const store = createAppStore({ kind: 'services' });
    const loads = new Loads(store);
    const seen: string[] = [];
    store.subscribe((s) => seen.push(`${s.resources.executions.status}:${s.resources.executions.key}:${s.resources.executions.data?.[0]?.id ?? ''}`));
    const a = deferred<ExecutionSummary[]>();
    const b = deferred<ExecutionSummary[]>();
    const first = loads.run('executions', 'svc-a/1.0', () => a.promise);
    const second = loads.run('executions', 'svc-b/1.0', () => b.promise);
    expect(first.signal.aborted).toBe(true);
    b.resolve([row('b1', 'Complete')]);
    await second.settled;
    a.resolve([row('a1', 'Complete')]);
    await first.settled;
    expect(store.getState().resources.executions).toEqual({ status: 'ready', key: 'svc-b/1.0', data: [row('b1', 'Complete')] });
    expect(seen).toEqual(['loading:svc-a/1.0:', 'loading:svc-b/1.0:', 'ready:svc-b/1.0:b1']);
  });

  it('a load released (its screen left) before it answers never lands, answer or error', async () => {
    const store = createAppStore({ kind: 'services' });
    const loads = new Loads(store);
    const ok = deferred<string[]>();
    const run = loads.run('artifacts', 'e1/3', () => ok.promise);
    loads.release('artifacts');
    ok.resolve(['score.txt']);
    await run.settled;
    expect(store.getState().resources.artifacts).toEqual({ status: 'idle', key: '' });
    const bad = deferred<string[]>();
    const failing = loads.run('artifacts', 'e1/4', () => bad.promise);
    loads.release('artifacts');
    bad.reject(new Error('socket hang up'));
    await failing.settled;
    expect(store.getState().resources.artifacts.status).toBe('idle');
  });

  it('a reload keeps what is shown until it answers; an error keeps it too and says why', async () => {
    const store = createAppStore({ kind: 'services' });
    const loads = new Loads(store);
    await loads.run('executions', 'svc/1.0', async () => [row('a', 'InProgress')]).settled;
    const again = deferred<ExecutionSummary[]>();
    const reload = loads.run('executions', 'svc/1.0', () => again.promise);
    expect(store.getState().resources.executions).toMatchObject({ status: 'loading', data: [row('a', 'InProgress')] });
    again.reject(new Error('503 Service Unavailable'));
    await reload.settled;
    expect(store.getState().resources.executions).toEqual({ status: 'error', key: 'svc/1.0', data: [row('a', 'InProgress')], error: '503 Service Unavailable' });
    // Another key never shows this one's rows, not even while it loads.
    loads.run('executions', 'other/1.0', () => new Promise(() => undefined));
    expect(store.getState().resources.executions).toEqual({ status: 'loading', key: 'other/1.0', data: undefined });
  });

  it('a refresh merges into the rows shown, keeping their order', async () => {
    const store = createAppStore({ kind: 'services' });
    const loads = new Loads(store);
    await loads.run('executions', 'svc/1.0', async () => [row('a', 'InProgress'), row('b', 'Complete')]).settled;
    await loads.run('executions', 'svc/1.0', async () => [row('c', 'InProgress'), row('b', 'Complete'), row('a', 'Complete')], { merge: mergeInPlace }).settled;
    expect(store.getState().resources.executions.data!.map((e) => `${e.id}:${e.state}`)).toEqual(['a:Complete', 'b:Complete', 'c:InProgress']);
  });
});
