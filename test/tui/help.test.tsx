import { describe, expect, it } from 'vitest';
import { renderApp, serviceNamed } from './app-fixture.js';
import { KEYS } from './harness.js';

describe('? help on every screen whose hint bar offers it', () => {
  it('opens on the actions and executions screens, and q or Esc close it without leaving the screen', async () => {
    const { h } = renderApp({ kind: 'services' }, { setup: (s) => s.getState().push({ kind: 'actions', service: serviceNamed('flaky') }) });
    await h.waitForFrame((x) => x.includes('New batch of this service'), 'the actions');
    let f = await h.press('?');
    expect(f).toContain('Keys (actions)');
    expect(f).toContain('Executions of this service');
    f = await h.press(KEYS.escape);
    expect(f).toContain('New batch of this service');
    expect(f).not.toContain('Keys (');
    await h.press('e');
    f = await h.waitForFrame((x) => x.startsWith('Executions of flaky 1.0 (0)'), 'the executions');
    f = await h.press('?');
    expect(f).toContain('Keys (executions)');
    expect(f).toContain('Reload the list');
    // q closes the help only: the executions screen is still there.
    f = await h.press('q');
    expect(f.startsWith('Executions of flaky 1.0')).toBe(true);
    expect(f).not.toContain('Keys (');
    h.unmount();
  });

  it('the pager scrolls long lines sideways, half a screen at a time, and says from which column', async () => {
    const text = `${'a'.repeat(150)}MARK${'b'.repeat(150)}\nshort`;
    const { h } = renderApp({ kind: 'downloads' }, { setup: (s) => s.getState().push({ kind: 'pager', title: 'wide.csv', text }) });
    let f = await h.waitForFrame((x) => x.startsWith('wide.csv  lines 1–2 of 2\n'), 'the pager');
    expect(f).not.toContain('MARK');
    f = await h.press('l');
    const step = Number(/from column (\d+)/.exec(f)![1]) - 1;
    expect(step).toBeGreaterThan(10);
    while (!f.includes('MARK')) f = await h.press(KEYS.right);
    expect(f).toMatch(/^a*MARKb*…$/m);
    // It stops where the longest line's end shows; the short line is gone from view, not wrapped.
    while (!/^b+$/m.test(f)) f = await h.press('l');
    const end = /from column (\d+)/.exec(f)![1];
    expect(f).not.toContain('short');
    // More → change nothing: help drawn over the pager and closed again shows the same column.
    for (let i = 0; i < 5; i++) h.write('l');
    await h.press('?');
    f = await h.press(KEYS.escape);
    expect(/from column (\d+)/.exec(f)![1]).toBe(end);
    expect(f).toMatch(/^b+$/m);
    while (f.includes('from column')) f = await h.press('h');
    expect(f.startsWith('wide.csv  lines 1–2 of 2\n')).toBe(true);
    expect(f).toContain('short');
    h.unmount();
  });

  it('opens on the downloads screen and over the pager, which keeps its place', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n');
    const { h, store } = renderApp({ kind: 'downloads' });
    await h.waitForFrame((x) => x.startsWith('Downloads'), 'the downloads');
    let f = await h.press('?');
    expect(f).toContain('Keys (downloads)');
    f = await h.press(KEYS.escape);
    expect(f.startsWith('Downloads')).toBe(true);
    store.getState().push({ kind: 'pager', title: 'notes.txt', text });
    await h.waitForFrame((x) => x.includes('notes.txt') && x.includes('line 1\n'), 'the pager');
    f = await h.press(KEYS.pageDown);
    expect(f).not.toContain('line 1\n');
    const firstShown = /^line \d+$/m.exec(f)?.[0];
    expect(firstShown).toBeTruthy();
    f = await h.press('?');
    expect(f).toContain('Keys (pager)');
    f = await h.press(KEYS.escape);
    expect(f).toContain('notes.txt');
    expect(/^line \d+$/m.exec(f)?.[0]).toBe(firstShown);
    h.unmount();
  });
});
