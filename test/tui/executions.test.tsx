import { describe, expect, it } from 'vitest';
import { mergeInPlace } from '../../src/store/resources.js';
import { renderApp, serviceNamed } from './app-fixture.js';
import { KEYS } from './harness.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('executions of a service', () => {
  it('follows a running execution to its end without r, each row in its place', async () => {
    const def = serviceNamed('slow-scorer');
    const { h, actions } = renderApp({ kind: 'executions', service: def });
    actions.executions = [
      { id: A, state: 'InProgress', total: 150, completed: 40 },
      { id: B, state: 'Complete', total: 10, completed: 10 },
    ];
    let f = await h.waitForFrame((x) => new RegExp(`${A} +InProgress`).test(x), 'the running execution');
    f = await h.press('j');
    expect(f).toMatch(new RegExp(`^> ${B}`, 'm'));
    // The controller lists them again while one runs; the server now answers in another order.
    actions.refreshExecutions(def, [
      { id: B, state: 'Complete', total: 10, completed: 10 },
      { id: A, state: 'Complete', total: 150, completed: 150 },
    ]);
    f = await h.waitForFrame((x) => new RegExp(`${A} +Complete`).test(x), 'its end, without a key');
    expect(f).toMatch(/150\/150/);
    // Rows kept their places, and the selection its execution.
    expect(f.indexOf(A)).toBeLessThan(f.indexOf(B));
    expect(f).toMatch(new RegExp(`^> ${B}`, 'm'));
    expect(actions.callsOf('loadExecutions')).toEqual([['slow-scorer']]);
    // r reloads (the controller sorts running ones first again).
    await h.press('r');
    expect(actions.callsOf('loadExecutions')).toEqual([['slow-scorer'], ['slow-scorer']]);
    h.unmount();
  });

  it('keeps rows in place when states change, and adds new ids last', () => {
    const e = (id: string, state: string) => ({ id, state, total: 1, completed: state === 'Complete' ? 1 : 0 });
    const old = [e('a', 'InProgress'), e('b', 'Complete')];
    const fresh = [e('c', 'InProgress'), e('b', 'Complete'), e('a', 'Complete')];
    expect(mergeInPlace(old, fresh).map((x) => `${x.id}:${x.state}`)).toEqual(['a:Complete', 'b:Complete', 'c:InProgress']);
    expect(mergeInPlace(old, [])).toBe(old);
  });

  it("shows only its own service's executions: another's, still in the store, never", async () => {
    const flaky = serviceNamed('flaky');
    const { h, store, actions } = renderApp({ kind: 'actions', service: flaky });
    // The store still holds slow-scorer's list (as if its load had answered late).
    store.getState().loadStarted('executions', 'slow-scorer/1.0');
    store.getState().loadDone('executions', 'slow-scorer/1.0', [{ id: A, state: 'InProgress', total: 150, completed: 40 }]);
    actions.holdLoads = true;
    await h.waitForFrame((x) => x.includes('Executions of this service'), 'the actions');
    let f = await h.press('e');
    expect(f).toContain('Executions of flaky 1.0 (* loading)');
    expect(f).not.toContain(A);
    actions.executions = [{ id: B, state: 'Complete', total: 10, completed: 10 }];
    actions.answer();
    f = await h.waitForFrame((x) => x.includes('Executions of flaky 1.0 (1)'), 'its own list');
    expect(f).toContain(B);
    expect(f).not.toContain(A);
    // Left, the list is released: the next visit loads it anew.
    f = await h.press(KEYS.escape);
    expect(f).toContain('Executions of this service');
    expect(actions.callsOf('release')).toEqual([['executions']]);
    expect(store.getState().resources.executions.status).toBe('idle');
    h.unmount();
  });

  it('says when the list could not be loaded, and r tries again', async () => {
    const { h, store, actions } = renderApp({ kind: 'executions', service: serviceNamed('flaky') }, { setup: (_s, a) => (a.holdLoads = true) });
    await h.waitForFrame((x) => x.includes('(* loading)'), 'the load');
    store.getState().loadFailed('executions', 'flaky/1.0', 'connect ECONNREFUSED');
    let f = await h.waitForFrame((x) => x.includes('could not be listed'), 'the failure');
    expect(f).toContain('Executions of flaky 1.0 (?)');
    f = await h.press('r');
    expect(f).toContain('Executions of flaky 1.0 (* loading)');
    expect(actions.callsOf('loadExecutions')).toHaveLength(2);
    h.unmount();
  });
});
