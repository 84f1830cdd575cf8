/** R (rerun, with a confirm), the reruns line, M (merged view) and H (executions across services), against a fake actions port. */
import { describe, expect, it } from 'vitest';
import { ID, renderApp, serviceNamed, showExecution } from './app-fixture.js';

const ref = { service: 'slow-scorer', version: '1.0', id: ID };
const CHILD = `${ID.slice(0, -4)}beef`;

describe('rerun and lineage in the app', () => {
  it('R names how many records go where, n declines, y starts the rerun and shows it', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, { states: '##X#X-#.', state: 'Complete' }) });
    await h.waitForFrame(() => actions.store.getState().resources.lineage.status === 'ready', 'the journal to answer');
    let f = await h.press('R');
    expect(f).toContain('Rerun 2 failed records of slow-scorer 1.0 as a new execution? y/n');
    expect(f).toContain(`from ${ID}; the journal links the two`);
    f = await h.press('n');
    expect(f).toContain('Rerun declined: nothing was started');
    expect(actions.callsOf('rerun')).toEqual([]);
    await h.press('R');
    f = await h.press('y');
    f = await h.waitForFrame((x) => x.startsWith(`slow-scorer 1.0  ${CHILD}`), 'the new execution');
    expect(actions.callsOf('rerun')).toEqual([[ID, [2, 4]]]);
    expect(f).toContain(`Rerunning 2 records as ${CHILD}`);
    h.unmount();
  });

  it('R is refused, with the reason, in --readonly, without failures, and when the journal lacks the records', async () => {
    const readonly = renderApp({ kind: 'execution', ref }, { readonly: true, setup: (s) => showExecution(s, ref, { states: '#X', state: 'Complete' }) });
    let f = await readonly.h.press('R');
    expect(f).toContain('Read-only: the app was started with --readonly');
    readonly.h.unmount();

    const clean = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, { states: '##', state: 'Complete' }) });
    f = await clean.h.press('R');
    expect(f).toMatch(/no failed record to rerun/i);
    clean.h.unmount();

    const unknown = renderApp({ kind: 'execution', ref }, {
      setup: (s, a) => {
        a.lineage = { recordsKept: false, reruns: null };
        showExecution(s, ref, { states: '#X', state: 'Complete' });
      },
    });
    await unknown.h.waitForFrame(() => unknown.store.getState().resources.lineage.status === 'ready', 'the lineage');
    f = await unknown.h.press('R');
    expect(f).toContain('Its records are not in the journal: use mlbatch rerun … --records FILE');
    expect(unknown.actions.callsOf('rerun')).toEqual([]);
    unknown.h.unmount();
  });

  it('the parent says how its reruns went, and M shows each index from its latest attempt', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, {
      setup: (s, a) => {
        a.lineage = { recordsKept: true, reruns: `1 rerun, latest ${CHILD}: Complete 2/2, 0 failed` };
        a.merged = {
          attempts: [ID, CHILD],
          counts: [0, 0, 3, 0, 0],
          rows: [
            { index: 0, state: 'Complete', from: ID, text: '{"score":0.5}' },
            { index: 1, state: 'Complete', from: CHILD, text: '{"score":0.25}' },
            { index: 2, state: 'Complete', from: CHILD, text: '{"score":0.75}' },
          ],
        };
        showExecution(s, ref, { states: '#XX', state: 'Complete' });
      },
    });
    let f = await h.waitForFrame((x) => x.includes('1 rerun, latest'), 'the reruns line');
    expect(f).toMatch(new RegExp(`^1 rerun, latest ${CHILD}: Complete 2/2, 0 failed$`, 'm'));
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    f = await h.press('M');
    f = await h.waitForFrame((x) => x.includes('and 1 rerun'), 'the merged view');
    expect(f).toContain(`Merged: slow-scorer 1.0 ${ID} and 1 rerun`);
    expect(f).toContain('# 3  X 0');
    expect(f).toMatch(new RegExp(`^ +1  # Complete  ${CHILD}  \\{"score":0\\.25\\}$`, 'm'));
    expect(actions.callsOf('loadMerged')).toEqual([[ID]]);
    h.unmount();
  });

  it('H lists executions across services, newest first, and marks the ones a server forgot', async () => {
    const now = Date.now();
    const { h, actions } = renderApp({ kind: 'services' }, {
      setup: (_s, a) => {
        a.executions = [
          { id: 'aaaa1111-new', service: 'flaky', version: '1.0', state: 'InProgress', total: 20, completed: 5, startedAt: now - 65_000, failed: 1 },
          { id: 'bbbb2222-old', service: 'slow-scorer', version: '1.0', state: 'Complete', total: 9, completed: 9, startedAt: now - 3 * 86_400_000, failed: 0, gone: true },
        ];
      },
    });
    await h.waitForFrame((f) => f.includes('transmission'), 'the services');
    let f = await h.press('H');
    f = await h.waitForFrame((x) => x.includes('aaaa1111'), 'the list');
    expect(f).toContain('All executions, journal and server (2)  ! = no longer on the server');
    expect(f).toMatch(/^> flaky 1\.0 +aaaa1111-new +InProgress +\d\d:\d\d +1m05s +5\/20 +1$/m);
    expect(f).toMatch(/^ {2}slow-scorer 1\.0 +bbbb2222-old +!Complete +\d\d-\d\d +3d +9\/9 +0$/m);
    expect(f.indexOf('aaaa1111')).toBeLessThan(f.indexOf('bbbb2222'));
    expect(actions.callsOf('loadExecutions')).toEqual([['*']]);
    f = await h.press('j');
    await h.press('\r');
    expect(actions.callsOf('attach')).toEqual([[{ service: 'slow-scorer', version: '1.0', id: 'bbbb2222-old' }]]);
    h.unmount();
  });
});
