import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

describe('? help on every screen whose hint bar offers it', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('opens on the actions and executions screens, and q or Esc close it without leaving the screen', async () => {
    const def = (await fx.client.listServices()).find((d) => d.name === 'flaky')!;
    const app = await renderApp(fx.client, { kind: 'services' }, { downloadDir: join(fx.work, 'd1') });
    const { h } = app;
    app.store.getState().push({ kind: 'actions', service: def });
    await h.waitForFrame((x) => x.includes('New batch of this service'), 'the actions');
    let f = await h.pressUntil('?', (x) => x.includes('Keys (actions)'), 'help on actions');
    expect(f).toContain('Executions of this service');
    f = await h.pressUntil(KEYS.escape, (x) => x.includes('New batch of this service') && !x.includes('Keys ('), 'actions again');
    f = await h.pressUntil('e', (x) => x.startsWith('Executions of flaky 1.0'), 'the executions');
    f = await h.pressUntil('?', (x) => x.includes('Keys (executions)'), 'help on executions');
    expect(f).toContain('Reload the list');
    // q closes the help only: the executions screen is still there.
    f = await h.pressUntil('q', (x) => x.startsWith('Executions of flaky 1.0'), 'executions again');
    expect(f).not.toContain('Keys (');
    h.unmount();
  });

  it('the pager scrolls long lines sideways, half a screen at a time, and says from which column', async () => {
    const app = await renderApp(fx.client, { kind: 'downloads' }, { downloadDir: join(fx.work, 'd3') });
    const { h } = app;
    await h.waitForFrame((x) => x.startsWith('Downloads'), 'the downloads');
    app.store.getState().push({ kind: 'pager', title: 'wide.csv', text: `${'a'.repeat(150)}MARK${'b'.repeat(150)}\nshort` });
    let f = await h.waitForFrame((x) => x.startsWith('wide.csv  lines 1–2 of 2\n'), 'the pager');
    expect(f).not.toContain('MARK');
    f = await h.pressUntil('l', (x) => x.includes('from column'), 'scrolled right');
    const step = Number(/from column (\d+)/.exec(f)![1]) - 1;
    for (let i = 0; i < 10 && !f.includes('MARK'); i++) f = await h.press(KEYS.right);
    expect(f).toMatch(/^a*MARKb*…$/m);
    // It stops where the longest line's end shows; the short line is gone from view, not wrapped.
    for (let i = 0; i < 10; i++) f = await h.press('l');
    expect(f).toMatch(/^b+$/m);
    expect(f).not.toContain('short');
    for (let i = 0; i < 20; i++) await h.press('h');
    f = await h.waitForFrame((x) => x.startsWith('wide.csv  lines 1–2 of 2\n'), 'back at column 1');
    expect(f).toContain('short');
    expect(step).toBeGreaterThan(10);
    h.unmount();
  });

  it('opens on the downloads screen and over the pager, which keeps its place', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n');
    const app = await renderApp(fx.client, { kind: 'downloads' }, { downloadDir: join(fx.work, 'd2') });
    const { h } = app;
    await h.waitForFrame((x) => x.startsWith('Downloads'), 'the downloads');
    let f = await h.pressUntil('?', (x) => x.includes('Keys (downloads)'), 'help on downloads');
    await h.pressUntil(KEYS.escape, (x) => x.startsWith('Downloads'), 'downloads again');
    app.store.getState().push({ kind: 'pager', title: 'notes.txt', text });
    await h.waitForFrame((x) => x.includes('notes.txt') && x.includes('line 1\n'), 'the pager');
    f = await h.pressUntil(KEYS.pageDown, (x) => !x.includes('line 1\n'), 'the next page');
    const firstShown = /^line \d+$/m.exec(f)?.[0];
    expect(firstShown).toBeTruthy();
    f = await h.pressUntil('?', (x) => x.includes('Keys (pager)'), 'help on the pager');
    f = await h.pressUntil(KEYS.escape, (x) => x.includes('notes.txt'), 'the pager again');
    expect(/^line \d+$/m.exec(f)?.[0]).toBe(firstShown);
    h.unmount();
  });
});
