import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, startScorerBatch, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

describe('Esc goes back but never quits; q quits at the top', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('on the services screen Esc drops the filter, then stays; q quits', async () => {
    const app = await renderApp(fx.client, { kind: 'services' }, { downloadDir: join(fx.work, 'd1') });
    const { h } = app;
    await h.waitForFrame((x) => x.includes('transmission'), 'the services');
    await h.press('/');
    for (const ch of 'slow') await h.press(ch);
    await h.pressUntil(KEYS.enter, (x) => x.includes('filter: slow') && !x.includes('transmission'), 'the filtered list');
    await h.pressUntil(KEYS.escape, (x) => !x.includes('filter: slow') && x.includes('transmission'), 'the filter dropped');
    const f = await h.pressUntil(KEYS.escape, (x) => x.includes('This is the first screen: q quits'), 'the notice');
    expect(f).toMatch(/^Services on/);
    expect(app.quitCalls).toBe(0);
    await h.press('q', 300);
    expect(app.quitCalls).toBe(1);
    h.unmount();
  });

  it('on an execution opened first, Esc stays and q quits', async () => {
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: join(fx.work, 'd2'),
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx.client, 20, 10);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    await h.waitForFrame((x) => /\/20/.test(x), 'the grid');
    const f = await h.pressUntil(KEYS.escape, (x) => x.includes('This is the first screen: q quits'), 'the notice');
    expect(f).toMatch(/^slow-scorer 1\.0/);
    expect(app.quitCalls).toBe(0);
    await h.press('q', 300);
    expect(app.quitCalls).toBe(1);
    h.unmount();
  });
});
