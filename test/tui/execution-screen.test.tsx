import { describe, expect, it } from 'vitest';
import { ID, renderApp, showExecution, type ExecSpec } from './app-fixture.js';
import { KEYS } from './harness.js';

const sel = (f: string) => f.split('\n').find((l) => l.startsWith('cursor ')) ?? '';
const lines = (f: string) => f.split('\n');
const ref = { service: 'slow-scorer', version: '1.0', id: ID };

/** 120 finished records, every tenth failed, as the slow scorer rejects some ids. */
const FINISHED: ExecSpec = {
  states: Array.from({ length: 120 }, (_, i) => (i % 10 === 3 ? 'X' : '#')).join(''),
  state: 'Complete',
  parallelCount: 20,
  detail: (i, code) => ({ durationMs: 120, ...(code === 3 ? { error: `id ${i + 1} is rejected` } : { outputs: { score: 0.5 } }) }),
};

describe('execution screen', () => {
  it('draws the header and grid in 23 rows and moves the cursor with vim keys, arrows, g/G and :', async () => {
    const running = { states: '#'.repeat(100) + '>'.repeat(20) + '.'.repeat(180), state: 'InProgress' as const, parallelCount: 20 };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (store) => showExecution(store, ref, running) });
    let f = await h.waitForFrame((x) => / +0 [#X>.]/.test(lines(x)[3] ?? ''), 'the grid');
    expect(lines(f)[0]).toBe(`slow-scorer 1.0  ${ID}`);
    expect(lines(f).length).toBe(23);
    expect(lines(f)[1]).toMatch(/^InProgress · parallel 20/);
    expect(lines(f)[2]).toMatch(/ 100\/300 /);
    // 300 records at 80 columns: gutter of 4, seven groups of ten per row.
    expect(lines(f)[4]).toMatch(/^ 70 /);
    expect(sel(f)).toMatch(/^cursor 0 /);
    expect(sel(await h.press('j'))).toMatch(/^cursor 70 /);
    expect(sel(await h.press(KEYS.right))).toMatch(/^cursor 71 /);
    expect(sel(await h.press('h'))).toMatch(/^cursor 70 /);
    expect(sel(await h.press('G'))).toMatch(/^cursor 299 /);
    expect(sel(await h.press('g'))).toMatch(/^cursor 0 /);
    await h.press(':');
    f = await h.type('215');
    expect(f).toContain('jump to index (or ctx): 215');
    f = await h.press(KEYS.enter);
    expect(sel(f)).toMatch(/^cursor 215 /);
    // The row of index 215 (210..279) is on screen.
    expect(f).toMatch(/\n210 /);
    await h.press(':');
    await h.type('999');
    f = await h.press(KEYS.enter);
    expect(f).toContain('No index 999: indices run from 0 to 299');
    // Ctrl-C quits from anywhere: here from inside the jump prompt, then from the cancel confirmation.
    f = await h.press(':');
    expect(f).toContain('jump to index (or ctx): ');
    h.write(KEYS.ctrlC);
    // The prompt took nothing of it: Esc closes it as it was.
    f = await h.press(KEYS.escape);
    expect(f).toContain('? help');
    expect(actions.callsOf('quit')).toHaveLength(1);
    f = await h.press('c');
    expect(f).toContain('Cancel execution');
    h.write(KEYS.ctrlC);
    f = await h.press('n');
    expect(f).toContain('Cancel declined');
    expect(actions.callsOf('quit')).toHaveLength(2);
    expect(actions.callsOf('cancelExecution')).toEqual([]);
    h.unmount();
  });

  it('filters by state, switches to the list, shows help, toggles partial results, and opens an index', async () => {
    const { h, store, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, FINISHED) });
    actions.artifacts = () => ['score.txt'];
    let f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete'), 'the execution');
    const failed = Number(/X (\d+)/.exec(lines(f)[2])?.[1]);
    expect(failed).toBe(12);
    // f starts at Failed: the grid holds only failed cells, each labelled with its own index.
    f = await h.press('f');
    expect(lines(f)[0]).toContain('[Failed]');
    expect(lines(f)[3].trim().split(/ +/).map(Number)).toEqual(Array.from({ length: failed }, (_, i) => i * 10 + 3));
    expect(sel(f)).toMatch(/^cursor 3 +X Failed/);
    // Digits pick a state directly: 4 Complete, 0 all, 1 Failed again.
    f = await h.press('4');
    expect(lines(f)[0]).toContain('[Complete]');
    expect(lines(f)[3]).toMatch(/^ {2}0 {3}1 {3}2 {3}4 /);
    f = await h.press('0');
    expect(lines(f)[0]).not.toContain('[');
    expect(lines(f)[3]).toMatch(/^ {2}0 ###X######/);
    f = await h.press('1');
    expect(lines(f)[0]).toContain('[Failed]');
    // Tab: the list shows index, state and the error.
    f = await h.press(KEYS.tab);
    expect(lines(f)[0]).toContain('[Failed|list]');
    expect(lines(f)[3]).toMatch(/^ *3 +X Failed +[\d.]+s +id 4 is rejected/);
    // Enter opens that index with its error and artifact.
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => /artifacts \(\d+\)/.test(x), 'the index screen');
    expect(f).toMatch(/^index 3 {2}X Failed/m);
    expect(f).toMatch(/^error +id 4 is rejected/m);
    expect(f).toContain('score.txt');
    expect(actions.callsOf('loadArtifacts')).toEqual([[ID, 3]]);
    f = await h.press('q');
    expect(lines(f)[0]).toContain('[Failed|list]');
    // Help is generated from the command table.
    f = await h.press('?');
    expect(f).toContain('Cancel execution (confirms)');
    expect(f).toContain('Jump to an index');
    f = await h.press(KEYS.escape);
    expect(f).not.toContain('Jump to an index');
    expect(lines(f)[0]).toContain('[Failed|list]');
    // p: partial results off is announced and shown in the title.
    f = await h.press('p');
    expect(f).toContain('Partial results off');
    expect(lines(f)[0]).toContain('[Failed|list|no partial]');
    expect(actions.callsOf('setPartial')).toEqual([[false]]);
    // : to an index the filter hides lands on that index (the filter dropped, and said so), not on another.
    const complete = store.getState().exec.states.findIndex((c) => c === 2);
    await h.press(':');
    await h.type(String(complete));
    f = await h.press(KEYS.enter);
    expect(f).toMatch(new RegExp(`^ *${complete} +# Complete`, 'm'));
    expect(lines(f)[0]).not.toContain('Failed');
    expect(f).toContain(`Filter Failed dropped: index ${complete} is Complete`);
    h.unmount();
  });

  it('--readonly: c never asks, the hint bar leaves cancel out, and help says why', async () => {
    const running = { states: '##>>' + '.'.repeat(196), state: 'InProgress' as const, parallelCount: 5 };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { readonly: true, setup: (s) => showExecution(s, ref, running) });
    let f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('InProgress'), 'the grid');
    // The header says so from the start, before anyone tries c.
    expect(lines(f)[0]).toBe(`slow-scorer 1.0  ${ID}  [read-only]`);
    expect(lines(f).at(-1)).not.toContain('cancel');
    expect(lines(f).at(-1)).toContain('? help');
    f = await h.press('c');
    expect(lines(f).at(-2)).toBe('Read-only: the app was started with --readonly');
    expect(f).not.toContain('Cancel execution');
    f = await h.press('?');
    expect(f).toContain('Keys (execution)');
    expect(f).toMatch(/^c +not now: read-only: the app was started with --readonly$/m);
    expect(f).toContain('Jump to an index');
    expect(actions.callsOf('cancelExecution')).toEqual([]);
    h.unmount();
  });

  it('A downloads all artifacts of finished indices with progress, and a second run says what was already there', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, { states: '#'.repeat(40), state: 'Complete', parallelCount: 20 }) });
    actions.download = { files: 40, skipped: 0 };
    await h.waitForFrame((x) => lines(x)[1]?.startsWith('Complete'), 'the execution');
    await h.press('A');
    let f = await h.waitForFrame((x) => x.includes('Downloaded 40 files'), 'the bulk download');
    expect(f).toMatch(/^Downloads/);
    expect(f).toContain('40/40 files');
    expect(f).toContain('all artifacts of 40 finished indices');
    expect(actions.callsOf('downloadAll')).toEqual([[ID]]);
    f = await h.press('q');
    expect(f).toContain('Enter open');
    actions.download = { files: 40, skipped: 40 };
    await h.press('A');
    f = await h.waitForFrame((x) => x.includes('Downloaded 40 files (40 already there)'), 'the resumed download');
    expect(f).toContain('40/40 files, 40 there');
    h.unmount();
  });

  it('A before any index has finished says so instead of starting an empty download', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, { states: '>>....', state: 'InProgress' }) });
    let f = await h.waitForFrame((x) => lines(x)[1]?.startsWith('InProgress'), 'the grid');
    expect(lines(f).at(-1)).not.toContain('all artifacts');
    f = await h.press('A');
    expect(lines(f).at(-2)).toBe('Nothing to download yet: no index has finished');
    expect(f).not.toMatch(/^Downloads/);
    f = await h.press('?');
    expect(f).toMatch(/^A +not now: nothing to download yet: no index has finished$/m);
    expect(actions.callsOf('downloadAll')).toEqual([]);
    h.unmount();
  });
});
