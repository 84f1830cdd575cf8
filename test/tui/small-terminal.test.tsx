import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { ID, renderApp, serviceNamed, showExecution, type ExecSpec } from './app-fixture.js';
import { KEYS } from './harness.js';

const ref = { service: 'slow-scorer', version: '1.0', id: ID };
const lines = (f: string) => f.split('\n');
/** 300 complete, 7 failed, 10 running, 683 pending. */
const RUNNING: ExecSpec = { states: '#'.repeat(300) + 'X'.repeat(7) + '>'.repeat(10) + '.'.repeat(683), state: 'InProgress', parallelCount: 10 };
const fits = (f: string, cols: number) => lines(f).every((l) => stringWidth(l) <= cols);

describe('terminals smaller and larger than 80×24', () => {
  it('below 40×12: one line that fits, and q (or Ctrl-C) quits', async () => {
    for (const [cols, rows] of [[39, 12], [60, 11], [20, 5]] as const) {
      const { h, actions } = renderApp({ kind: 'execution', ref }, { cols, rows, setup: (s) => showExecution(s, ref, RUNNING) });
      const f = await h.waitForFrame((x) => x.length > 0, 'a frame');
      expect(lines(f)).toHaveLength(1);
      expect(stringWidth(f)).toBeLessThanOrEqual(cols);
      expect(f).toMatch(/q quits$/);
      h.write('q');
      h.write(KEYS.ctrlC);
      await h.waitForFrame(() => actions.callsOf('quit').length === 2, 'both to quit');
      h.unmount();
    }
    const { h } = renderApp({ kind: 'downloads' }, { cols: 70, rows: 11 });
    expect(await h.waitForFrame((x) => x.length > 0, 'a frame')).toBe('Terminal 70x11 is too small: mlbatch needs 40x12. q quits');
    h.unmount();
  });

  it('at 40×12 the execution screen has two header lines, the grid and hints; help scrolls; q and ? work', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, { cols: 40, rows: 12, setup: (s) => showExecution(s, ref, RUNNING) });
    let f = await h.waitForFrame((x) => /^ +0 #/.test(lines(x)[2] ?? ''), 'the grid');
    expect(fits(f, 40)).toBe(true);
    expect(lines(f)[0]).toMatch(/^slow-scorer 1\.0 {2}5b1c7d2e/);
    expect(lines(f)[1]).toMatch(/^InProgress █+░+ +30% 307\/1000 {2}# 300/);
    // Groups of ten cells, three to a row; then the cursor's record, the status and the hints.
    expect(lines(f)[3]).toBe(' 30 ########## ########## ##########');
    expect(lines(f)).toHaveLength(11);
    expect(lines(f)[8]).toMatch(/^cursor 0 +# Complete/);
    expect(lines(f)[10]).toBe('q back  ? help  : jump  f filter');
    f = await h.press('?');
    const first = lines(f).findIndex((l) => l.startsWith('Keys (execution)'));
    expect(lines(f)[first]).toMatch(/^Keys \(execution\) 1-\d+ of \d+, j\/k scroll/);
    const shown = lines(f)[first + 1];
    f = await h.press('j');
    expect(lines(f)[first + 1]).not.toBe(shown);
    expect(lines(f)[first]).toMatch(/^Keys \(execution\) 2-/);
    f = await h.press('G');
    expect(f).toMatch(/^filtered +Cells show their index/m);
    f = await h.press('q');
    expect(f).not.toContain('Keys (');
    expect(actions.callsOf('quit')).toEqual([]);
    h.unmount();
  });

  it('at 60×20 the header has its three lines and everything fits', async () => {
    const { h } = renderApp({ kind: 'execution', ref }, { cols: 60, rows: 20, setup: (s) => showExecution(s, ref, RUNNING) });
    const f = await h.waitForFrame((x) => /^ +0 #/.test(lines(x)[3] ?? ''), 'the grid');
    expect(fits(f, 60)).toBe(true);
    expect(lines(f)[1]).toMatch(/^InProgress · parallel 10 · elapsed/);
    expect(lines(f)[2]).toMatch(/30% 307\/1000 {2}# 300 {2}X 7 {2}> 10 {2}\. 683 {2}- 0$/);
    expect(lines(f)[4]).toMatch(/^ 50 #{10} /);
    expect(lines(f).at(-1)).toContain('? help');
    h.unmount();
  });

  it('at 100 columns the header counts say what they count', async () => {
    const { h } = renderApp({ kind: 'execution', ref }, { cols: 100, rows: 24, setup: (s) => showExecution(s, ref, RUNNING) });
    const f = await h.waitForFrame((x) => /^ +0 #/.test(lines(x)[3] ?? ''), 'the grid');
    expect(lines(f)[2]).toMatch(/# 300 complete {2}X 7 failed {2}> 10 running {2}\. 683 pending {2}- 0 canceled$/);
    expect(fits(f, 100)).toBe(true);
    h.unmount();
  });

  it('at 40×12 the actions screen puts the signature on one line and the connect form keeps its title', async () => {
    const { h } = renderApp({ kind: 'services' }, { cols: 40, rows: 12, setup: (s) => s.getState().push({ kind: 'actions', service: serviceNamed('slow-scorer') }) });
    let f = await h.waitForFrame((x) => x.includes('New batch of this service'), 'the actions');
    expect(fits(f, 40)).toBe(true);
    expect(f).toMatch(/^inputs id, value → outputs score, elaps…$/m);
    expect(f).toMatch(/^artifacts score\.txt$/m);
    expect(lines(f).at(-1)).toMatch(/^q back {2}\? help/);
    h.unmount();
    const connect = renderApp({ kind: 'connect' }, { cols: 40, rows: 12 }).h;
    f = await connect.waitForFrame((x) => x.includes('> host'), 'the connect form');
    expect(lines(f)[0]).toBe('Connect to Machine Learning Server');
    expect(fits(f, 40)).toBe(true);
    connect.unmount();
  });
});
