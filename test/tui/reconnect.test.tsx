import { describe, expect, it } from 'vitest';
import { ID, renderApp, showExecution, snapshotOf } from './app-fixture.js';

const line = (f: string, i: number) => f.split('\n')[i] ?? '';
const ref = { service: 'slow-scorer', version: '1.0', id: ID };
const states = (done: number) => '#'.repeat(done) + '>>>>' + '.'.repeat(396 - done);

describe('when the server goes away', () => {
  it('says reconnecting with the age of the last good poll, and shows fresh polls again once it is back', async () => {
    const { h, store } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, { states: states(100), state: 'InProgress', parallelCount: 4 }) });
    await h.waitForFrame((f) => /polled \d+ s ago/.test(line(f, 1)) && / 100\/400/.test(line(f, 2)), 'first polls');
    // What the poller reports while the server is gone: the error, and the last good poll's time kept.
    store.getState().applyPoll({ ...snapshotOf({ states: states(100), state: 'InProgress', parallelCount: 4, lastGoodPollAt: Date.now() - 7000 }) }, false);
    store.getState().pollFailed('connect ECONNREFUSED 127.0.0.1:12800');
    let f = await h.waitForFrame((x) => /reconnecting, last good poll [7-9] s ago/.test(line(x, 1)), 'the reconnecting notice');
    expect(line(f, 1)).not.toContain('polled');
    store.getState().applyPoll(snapshotOf({ states: states(180), state: 'InProgress', parallelCount: 4 }));
    f = await h.waitForFrame((x) => / 180\/400/.test(line(x, 2)), 'polls to resume');
    expect(line(f, 1)).toMatch(/polled \d+ s ago/);
    expect(line(f, 1)).not.toContain('reconnecting');
    h.unmount();
  });
});
