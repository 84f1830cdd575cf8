import { describe, expect, it } from 'vitest';
import { ID, renderApp, showExecution } from './app-fixture.js';
import { KEYS } from './harness.js';

describe('Esc goes back but never quits; q quits at the top', () => {
  it('on the services screen Esc drops the filter, then stays; q quits', async () => {
    const { h, actions } = renderApp({ kind: 'services' });
    await h.waitForFrame((x) => x.includes('transmission'), 'the services');
    await h.press('/');
    await h.type('slow');
    let f = await h.press(KEYS.enter);
    expect(f).toContain('filter: slow');
    expect(f).not.toContain('transmission');
    f = await h.press(KEYS.escape);
    expect(f).not.toContain('filter: slow');
    expect(f).toContain('transmission');
    f = await h.press(KEYS.escape);
    expect(f).toContain('This is the first screen: q quits');
    expect(f).toMatch(/^Services on/);
    expect(actions.callsOf('quit')).toEqual([]);
    h.write('q');
    await h.waitForFrame(() => actions.callsOf('quit').length === 1, 'the quit');
    h.unmount();
  });

  it('on an execution opened first, Esc stays and q quits', async () => {
    const ref = { service: 'slow-scorer', version: '1.0', id: ID };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, { states: '##>>' + '.'.repeat(16), state: 'InProgress' }) });
    await h.waitForFrame((x) => /\/20/.test(x), 'the grid');
    const f = await h.press(KEYS.escape);
    expect(f).toContain('This is the first screen: q quits');
    expect(f).toMatch(/^slow-scorer 1\.0/);
    expect(actions.callsOf('quit')).toEqual([]);
    h.write('q');
    await h.waitForFrame(() => actions.callsOf('quit').length === 1, 'the quit');
    h.unmount();
  });

  it('in a form Esc goes back, q is text, and on the first screen Esc says Ctrl-C quits', async () => {
    const { h, actions } = renderApp({ kind: 'connect' });
    await h.waitForFrame((x) => x.includes('Connect to Machine Learning Server'), 'the connect screen');
    let f = await h.press('q');
    expect(f).toContain('> host      q█');
    f = await h.press(KEYS.escape);
    expect(f).toContain('This is the first screen: Ctrl-C quits');
    expect(actions.callsOf('quit')).toEqual([]);
    h.unmount();
  });
});
