import { describe, expect, it } from 'vitest';
import { ID, renderApp, showExecution } from './app-fixture.js';
import { KEYS } from './harness.js';

const lines = (f: string) => f.split('\n');
/** The status line sits just above the hint bar, the frame's last row. */
const statusOf = (f: string) => lines(f).at(-2) ?? '';
const ref = { service: 'slow-scorer', version: '1.0', id: ID };

describe('cancel and the status line', () => {
  it('a message stays on its screen, and an ended execution is not offered a cancel', async () => {
    const running = { states: '#'.repeat(40) + 'X'.repeat(2) + '>>' + '.'.repeat(556), state: 'InProgress' as const, parallelCount: 2 };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, running) });
    await h.waitForFrame((x) => lines(x)[1]?.startsWith('InProgress'), 'the grid');
    let f = await h.press('c');
    expect(f).toContain(`Cancel execution ${ID}?`);
    // It names the counts (wrapped inside its border) and that No is the default.
    expect(f.replace(/[│\s]+/g, ' ')).toContain('40 complete, 2 failed, 2 running, 556 pending (pending records will never start)');
    expect(f).toContain('(default: No)');
    // The hint bar offers the confirmation's keys, not the grid's.
    expect(lines(f).at(-1)).toBe('y yes  n no');
    await h.press('y');
    f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('Canceled'), 'the execution canceled');
    expect(statusOf(f)).toContain(`Cancel requested for execution ${ID}`);
    expect(actions.callsOf('cancelExecution')).toHaveLength(1);
    // The message was about the grid: the index screen opened next does not repeat it.
    f = await h.press(KEYS.enter);
    expect(f).toMatch(/^index 0 /m);
    expect(f).not.toContain('Cancel requested');
    f = await h.press('q');
    expect(lines(f)[1]).toMatch(/^Canceled/);
    expect(f).not.toContain('Cancel requested');
    // c on an ended execution says so instead of asking whether to keep it running.
    f = await h.press('c');
    expect(statusOf(f)).toBe('Nothing to cancel: the execution has ended (Canceled)');
    expect(f).not.toContain('Cancel execution');
    expect(f).not.toContain('keep it running');
    // Nor does the hint bar offer it any more, and help says why.
    expect(lines(f).at(-1)).toContain('Enter open');
    expect(lines(f).at(-1)).not.toContain('cancel');
    f = await h.press('?');
    expect(f).toMatch(/^c +not now: nothing to cancel: the execution has ended \(Canceled\)$/m);
    expect(actions.callsOf('cancelExecution')).toHaveLength(1);
    h.unmount();
  });

  it('an execution that ended long ago shows its own elapsed time and rate, and no made-up parallelCount', async () => {
    const startedAt = Date.now() - 3_600_000;
    const ended = { states: '#'.repeat(20), state: 'Complete' as const, parallelCount: 0, startedAt, endedAt: startedAt + 1500 };
    const { h } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, ended) });
    const f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete') && x.includes('20/20'), 'the execution');
    expect(lines(f)[1]).toMatch(/elapsed 1\.5s · 13\.3\/s/);
    // Found by id, its parallelCount is not known (the server never says): not a made-up 10.
    expect(lines(f)[1]).toMatch(/^Complete · parallel — · /);
    h.unmount();
  });

  it('a failure too long for its line keeps its reason (the request path goes), and the next key clears it', async () => {
    const running = { states: '#'.repeat(40) + '>>' + '.'.repeat(58), state: 'InProgress' as const, parallelCount: 2 };
    const { h, store } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, running) });
    await h.waitForFrame((x) => lines(x)[1]?.startsWith('InProgress'), 'the grid');
    store.getState().setStatus(`Cancel failed: 404 Not Found from DELETE /api/slow-scorer/1.0/batch/${ID}: no such execution, index or file on this service`, 'error');
    let f = await h.waitForFrame((x) => statusOf(x).startsWith('Cancel failed'), 'the failure');
    expect(statusOf(f)).toBe('Cancel failed: 404 Not Found: no such execution, index or file on this service');
    f = await h.press('j');
    expect(statusOf(f)).toBe('');
    h.unmount();
  });

  it('in the app, advice is the app\'s, not command-line flags', async () => {
    const { h, store } = renderApp({ kind: 'connect' });
    store.getState().setStatus('no credentials for http://h:1: pipe the password to --password-stdin, set MLBATCH_PASSWORD or MLBATCH_TOKEN, or run `mlbatch login`', 'error');
    const f = await h.waitForFrame((x) => x.includes('no credentials'), 'the advice');
    expect(f.replace(/\s+/g, ' ')).toContain('no credentials for http://h:1: type the password in the password field (Tab moves there)');
    expect(f).not.toContain('--password-stdin');
    h.unmount();
  });
});
