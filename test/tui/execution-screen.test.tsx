import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, startScorerBatch, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

const sel = (f: string) => f.split('\n').find((l) => l.startsWith('cursor ')) ?? '';
const lines = (f: string) => f.split('\n');

describe('execution screen against the embedded server', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('draws the header and grid in 23 rows and moves the cursor with vim keys, arrows, g/G and :', async () => {
    const app = await renderApp(null, { kind: 'services' }, {
      downloadDir: join(fx.work, 'dl1'),
      start: async (c) => {
        c.client = fx.client;
        const { ref } = await startScorerBatch(c, fx.client, 300, 20);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    const id = app.store.getState().exec.ref!.id;
    let f = await h.waitForFrame((x) => / +0 [#X>.]/.test(lines(x)[3] ?? '') && /\/300/.test(x), 'the grid');
    expect(lines(f)[0]).toBe(`slow-scorer 1.0  ${id}`);
    expect(lines(f).length).toBe(23);
    expect(lines(f)[1]).toMatch(/parallel 20/);
    // 300 records at 80 columns: gutter of 4, seven groups of ten per row.
    expect(lines(f)[4]).toMatch(/^ 70 /);
    expect(sel(f)).toMatch(/^cursor 0 /);
    f = await h.pressUntil('j', (x) => /^cursor 70 /.test(sel(x)), 'cursor /^cursor 70 /');
    f = await h.pressUntil(KEYS.right, (x) => /^cursor 71 /.test(sel(x)), 'cursor /^cursor 71 /');
    f = await h.pressUntil('h', (x) => /^cursor 70 /.test(sel(x)), 'cursor /^cursor 70 /');
    f = await h.pressUntil('G', (x) => /^cursor 299 /.test(sel(x)), 'cursor /^cursor 299 /');
    f = await h.pressUntil('g', (x) => /^cursor 0 /.test(sel(x)), 'cursor /^cursor 0 /');
    await h.press(':');
    for (const k of '215') await h.press(k);
    f = await h.waitForFrame((x) => x.includes('jump to index: 215'), 'the jump prompt');
    f = await h.pressUntil(KEYS.enter, (x) => /^cursor 215 /.test(sel(x)), 'cursor /^cursor 215 /');
    // The row of index 215 (210..279) is on screen.
    expect(f).toMatch(/\n210 /);
    await h.press(':');
    await h.press('9');
    await h.press('9');
    await h.press('9');
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('No index 999: indices run from 0 to 299'), 'the jump error');
    // Ctrl-C quits from anywhere: here from inside the jump prompt, then from the cancel confirmation.
    await h.pressUntil(':', (x) => x.includes('jump to index: '), 'the jump prompt');
    await h.press(KEYS.ctrlC, 200);
    expect(app.quitCalls).toBe(1);
    // (In the test nothing quits, so the app goes on; the prompt has closed.)
    await h.waitForFrame((x) => x.includes('? help'), 'the prompt closed');
    await h.pressUntil('c', (x) => x.includes('Cancel execution'), 'the confirmation');
    await h.press(KEYS.ctrlC, 200);
    expect(app.quitCalls).toBe(2);
    await app.controller.cancelExecution();
    h.unmount();
  });

  it('filters by state, switches to the list, shows help, toggles partial results, and opens an index', async () => {
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: join(fx.work, 'dl2'),
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx.client, 120, 20);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    // Wait for the end so counts are final.
    let f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete'), 'the execution to complete', 30_000);
    const failed = Number(/X (\d+)/.exec(lines(f)[2])?.[1]);
    expect(failed).toBeGreaterThan(0);
    // f cycles Pending → Running → Complete → Failed: the grid then holds only failed cells.
    for (let i = 0; i < 3; i++) await h.press('f');
    f = await h.pressUntil('f', (x) => lines(x)[0].includes('[Failed]'), 'the Failed filter');
    const gridRow = lines(f)[3];
    expect(gridRow.replace(/^ *\d+ /, '').replace(/ /g, '')).toBe('X'.repeat(failed));
    expect(sel(f)).toMatch(/X Failed/);
    // Tab: the list shows index, state and the error.
    f = await h.pressUntil(KEYS.tab, (x) => lines(x)[0].includes('[Failed|list]'), 'the list view');
    expect(lines(f)[3]).toMatch(/^ *\d+ +X Failed +[\d.]+s +id \d+ is rejected/);
    expect(lines(f)[0]).toContain('list');
    // Enter opens that index with its error and artifact.
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => /artifacts \(\d+\)/.test(x) && !x.includes('loading'), 'the index screen');
    expect(f).toMatch(/^index \d+ {2}X Failed/m);
    expect(f).toMatch(/^error +id \d+ is rejected/m);
    expect(f).toContain('score.txt');
    f = await h.pressUntil('q', (x) => lines(x)[0].includes('[Failed'), 'back on the grid');
    // Help is generated from the command table.
    f = await h.pressUntil('?', (x) => x.includes('Cancel execution (confirms)'), 'help');
    expect(f).toContain('Jump to an index');
    f = await h.pressUntil(KEYS.escape, (x) => !x.includes('Jump to an index'), 'help closed');
    // p: partial results off is announced and shown in the title.
    f = await h.pressUntil('p', (x) => x.includes('Partial results off'), 'partial results off');
    expect(lines(f)[0]).toContain('[Failed|list|no partial]');
    // : to an index the filter hides lands on that index (the filter dropped, and said so), not on another.
    const states = app.store.getState().exec.states;
    const complete = states.findIndex((c) => c === 2);
    await h.pressUntil(':', (x) => x.includes('jump to index: '), 'the jump prompt');
    for (const k of String(complete)) await h.press(k);
    f = await h.pressUntil(KEYS.enter, (x) => new RegExp(`^ *${complete} +# Complete`, 'm').test(x) && x.includes('Filter Failed dropped'), 'the jump');
    expect(lines(f)[0]).not.toContain('Failed');
    expect(f).toContain(`Filter Failed dropped: index ${complete} is Complete`);
    h.unmount();
  });

  it('--readonly removes cancel from keys, hints and help', async () => {
    const app = await renderApp(fx.client, { kind: 'services' }, {
      readonly: true,
      downloadDir: join(fx.work, 'dl3'),
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx.client, 200, 5);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    let f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('InProgress'), 'polling');
    expect(lines(f)[21]).not.toContain('cancel');
    f = await h.press('c', 300);
    expect(f).not.toContain('Cancel execution');
    f = await h.pressUntil('?', (x) => x.includes('Keys (execution)'), 'help');
    expect(f).not.toContain('Cancel execution');
    expect(f).toContain('Jump to an index');
    await app.controller.cancelExecution(); // clean up the running batch
    h.unmount();
  });

  it('A downloads all artifacts of finished indices with progress, and a second run skips what is there', async () => {
    const dl = join(fx.work, 'dl4');
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: dl,
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx.client, 40, 20);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    const id = app.store.getState().exec.ref!.id;
    await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete'), 'the execution to complete', 30_000);
    await h.press('A');
    let f = await h.waitForFrame((x) => x.includes('Downloaded 40 files'), 'the bulk download');
    expect(f).toMatch(/^Downloads/);
    expect(f).toContain('40/40 files');
    const dirs = await readdir(join(dl, id));
    expect(dirs.length).toBe(40);
    expect(await readFile(join(dl, id, '7', 'score.txt'), 'utf8')).toMatch(/^id 8, value /);
    await h.pressUntil('q', (x) => x.includes('Enter open'), 'back on the grid');
    await h.press('A');
    f = await h.waitForFrame((x) => x.includes('Downloaded 40 files (40 already there)'), 'the resumed download');
    expect(f).toContain('40 already there');
    h.unmount();
  });

  it('says the terminal is too small below 80×24', async () => {
    const app = await renderApp(fx.client, { kind: 'downloads' }, { downloadDir: join(fx.work, 'dl5'), cols: 79, rows: 30 });
    const f = await app.h.waitForFrame((x) => x.length > 0, 'a frame');
    expect(f).toBe('Terminal too small (79×30): mlbatch needs 80×24.');
    app.h.unmount();
  });
});
