import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

describe('index screen with several artifacts', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('lists the artifacts, refuses to page a binary one, pages text, downloads all of the index, and shows the downloads', async () => {
    const dl = join(fx.work, 'dl');
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: dl,
      start: async (c) => {
        const service = await fx.client.getService('chart', '1.0');
        const records = [
          { model: 'Mazda RX4', mpg: 21, hp: 110, wt: 2.62, qsec: 16.46 },
          { model: 'Datsun 710', mpg: 22.8, hp: 93, wt: 2.32, qsec: 18.61 },
        ];
        const batch = await service.batch(records, { parallelCount: 2 }).start();
        const ref = { service: 'chart', version: '1.0', id: batch.requireId() };
        c.store.getState().replaceAll({ kind: 'execution', ref });
        c.store.getState().attach(ref, 2);
        c.startPolling(ref, batch, records);
      },
    });
    const { h } = app;
    const id = app.store.getState().exec.ref!.id;
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('Complete'), 'the chart batch to complete', 30_000);
    await h.press('l');
    let f = await h.pressUntil(KEYS.enter, (x) => x.includes('artifacts (3)'), 'index 1 with three artifacts');
    expect(f).toMatch(/^inputs +model=Datsun 710 +mpg=22\.8/m);
    // Outputs are a table: name, type and value, the value cut to the width.
    expect(f).toMatch(/^│ title +│ character +│ .+ │$/m);
    // The first artifact (chart.png) is binary: v says so instead of paging it.
    f = await h.pressUntil('v', (x) => x.includes('is not text'), 'the binary refusal');
    expect(f).toContain('chart.png is not text');
    // Down to summary.json, then page it.
    await h.press('j');
    await h.press('j');
    f = await h.pressUntil('v', (x) => x.startsWith('1/summary.json'), 'the pager');
    expect(f).toContain('Datsun 710');
    f = await h.pressUntil('q', (x) => x.includes('artifacts (3)'), 'back on the index');
    // D downloads every artifact of this index into <dir>/<id>/1/.
    f = await h.pressUntil('D', (x) => x.includes('Downloaded 3 files'), 'the index download');
    expect((await readdir(join(dl, id, '1'))).sort()).toEqual(['chart.png', 'chart.svg', 'summary.json']);
    const png = await readFile(join(dl, id, '1', 'chart.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    f = await h.pressUntil('w', (x) => x.startsWith('Downloads'), 'the downloads screen');
    expect(f).toMatch(/# ██████████ 3\/3 files/);
    expect(f).toContain('index 1: all artifacts');
    h.unmount();
  });
});
