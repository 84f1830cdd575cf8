import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, startScorerBatch, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

const lines = (f: string) => f.split('\n');
/** The status line sits just above the hint bar, the frame's last row. */
const statusOf = (f: string) => lines(f).at(-2) ?? '';

describe('cancel and the status line', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('a message stays on its screen, and an ended execution is not offered a cancel', async () => {
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: join(fx.work, 'dl'),
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx.client, 600, 2);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    const id = app.store.getState().exec.ref!.id;
    await h.waitForFrame((x) => lines(x)[1]?.startsWith('InProgress'), 'polling');
    let f = await h.pressUntil('c', (x) => x.includes(`Cancel execution ${id}?`), 'the confirmation');
    // It names the counts (wrapped inside its border) and that No is the default.
    expect(f.replace(/[│\s]+/g, ' ')).toMatch(/\d+ complete, \d+ failed, \d+ running, \d+ pending \(pending records will never start\)/);
    expect(f).toContain('(default: No)');
    // The hint bar offers the confirmation's keys, not the grid's.
    expect(lines(f).at(-1)).toBe('y yes  n no');
    f = await h.pressUntil('y', (x) => lines(x)[1]?.startsWith('Canceled'), 'the execution canceled');
    expect(statusOf(f)).toContain(`Cancel requested for execution ${id}`);
    // The message was about the grid: the index screen opened next does not repeat it.
    f = await h.pressUntil(KEYS.enter, (x) => /^index 0 /m.test(x), 'the index screen');
    expect(f).not.toContain('Cancel requested');
    f = await h.pressUntil('q', (x) => lines(x)[1]?.startsWith('Canceled'), 'back on the grid');
    expect(f).not.toContain('Cancel requested');
    // c on an ended execution says so instead of asking whether to keep it running.
    f = await h.pressUntil('c', (x) => x.includes('Nothing to cancel'), 'the refusal');
    expect(statusOf(f)).toContain('Nothing to cancel: the execution has ended (Canceled)');
    expect(f).not.toContain('Cancel execution');
    expect(f).not.toContain('keep it running');
    // Nor does the hint bar offer it any more.
    expect(lines(f).at(-1)).toContain('Enter open');
    expect(lines(f).at(-1)).not.toContain('cancel');
    h.unmount();
  });

  it('re-attached long after it ended, an execution shows its own elapsed time, not the time since', async () => {
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: join(fx.work, 'dl2'),
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx.client, 20, 20);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    const ref = app.store.getState().exec.ref!;
    await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete'), 'the execution to complete', 30_000);
    await new Promise((r) => setTimeout(r, 4000));
    await app.controller.attachData(ref);
    const f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete') && x.includes('20/20'), 're-attached');
    // 20 records of at most 200 ms, 20 at a time: well under the 4 s waited.
    expect(lines(f)[1]).toMatch(/elapsed [0-2]\.\ds · [\d.]+\/s/);
    expect(lines(f)[1]).not.toContain(' 0/s');
    // Found by id, its parallelCount is not known (the server never says): not a made-up 10.
    expect(lines(f)[1]).toMatch(/^Complete · parallel — · /);
    h.unmount();
  }, 40_000);
});
