import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');
const ENTER = '\r';
const CTRL_C = '\x03';

/** The selection line under the grid: `cursor 61  # Complete …`. */
const selection = (rows: string[]) => rows.find((r) => r.startsWith('cursor ')) ?? '';

describe('mlbatch demo in a real 80×24 terminal', () => {
  let app: PtyApp;
  let work: string;
  let downloads: string;
  let temp: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-pty-'));
    downloads = join(work, 'downloads');
    temp = join(work, 'tmp');
    await import('node:fs/promises').then((fs) => fs.mkdir(temp));
    // The default demo runs two at a time for about two minutes; ten at a time fills the grid sooner.
    // A journal of its own: the executions list below shows the demo's server alone.
    app = startPty(['demo', '--parallel', '10', '--download-dir', downloads], { cwd: root, env: { TMPDIR: temp, XDG_DATA_HOME: join(work, 'data') } });
  });

  afterAll(async () => {
    app?.kill();
    await rm(work, { recursive: true, force: true });
  });

  it('shows the live grid, moves, opens an index, downloads, cancels and exits 0 with the terminal restored', async () => {
    // The grid appears and fills.
    let rows = await app.waitForScreen((r) => r[0].startsWith('slow-scorer 1.0') && /^ +0 [#X]/.test(r[3] ?? ''), 'the grid with finished cells', 45_000);
    const id = /slow-scorer 1\.0 {2}([0-9a-f-]{36})/.exec(rows[0])?.[1];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[1]).toMatch(/^InProgress · parallel 10 · elapsed /);
    expect(rows[2]).toMatch(/\d+% \d+\/2000/);
    expect(rows.length).toBe(24);
    expect(rows[23]).toBe(''); // the frame keeps the last row free
    expect(rows[22]).toContain('? help');

    // The cursor moves: down a row (60 cells at 80 columns) and right one.
    expect(selection(rows)).toMatch(/^cursor 0 /);
    app.press('j');
    await app.waitForScreen((r) => selection(r).startsWith('cursor 60 '), 'cursor on 60');
    app.press('l');
    rows = await app.waitForScreen((r) => /^cursor 61 +[#X] (Complete|Failed)/.test(selection(r)), 'cursor on finished index 61');
    // Frames stay anchored: the title is still the first row after many updates.
    expect(rows[0]).toContain(id!);

    // The index opens with its artifact.
    app.press(ENTER);
    rows = await app.waitForScreen((r) => r.some((l) => l.startsWith('index 61')) && r.some((l) => l.includes('score.txt')), 'index 61 with score.txt');
    expect(rows.find((l) => l.startsWith('inputs'))).toMatch(/id=62 +value=/);

    // The artifact downloads to the chosen directory with the right content.
    app.press('d');
    await app.waitForScreen((r) => r.some((l) => l.startsWith('Downloaded 1 file to')), 'the download to finish');
    const file = join(downloads, id!, '61', 'score.txt');
    const content = await readFile(file, 'utf8');
    expect(content).toMatch(/^id 62, value [-\d.]+: (score [\d.]+|rejected .*), after \d+ ms\n$/);
    // …and is what the pager shows.
    app.press('v');
    rows = await app.waitForScreen((r) => r[0].startsWith('61/score.txt'), 'the pager');
    expect(rows[1]).toBe(content.trimEnd());
    app.press('q');
    await app.waitForScreen((r) => r.some((l) => l.startsWith('index 61')), 'back on the index');
    app.press('q');
    await app.waitForScreen((r) => selection(r).startsWith('cursor 61 '), 'back on the grid');

    // s: the stats of the running execution fit the terminal, with the slow scorer's outputs.
    app.press('s');
    rows = await app.waitForScreen((r) => r.some((l) => /^durations {2}p50 \d/.test(l)) && r.some((l) => / score /.test(l)), 'the stats screen');
    expect(rows[0]).toBe(`stats  slow-scorer 1.0  ${id}`);
    expect(rows[1]).toMatch(/^InProgress . \d+\/2000 finished . \d+ failed/);
    expect(rows[23]).toBe('');
    app.press('q');
    await app.waitForScreen((r) => selection(r).startsWith('cursor 61 '), 'back on the grid from the stats');

    // Cancel asks, defaults to No, and after yes the state becomes Canceled.
    app.press('c');
    rows = await app.waitForScreen((r) => r.some((l) => l.includes(`Cancel execution ${id}?`)), 'the cancel confirmation');
    expect(rows.join('\n')).toMatch(/\d+ complete, \d+ failed, \d+ running, \d+ pending/);
    app.press(ENTER);
    rows = await app.waitForScreen((r) => r.some((l) => l.startsWith('Cancel declined')), 'cancel declined');
    expect(rows[1]).toMatch(/^InProgress/);
    app.press('c');
    await app.waitForScreen((r) => r.some((l) => l.includes('Cancel execution')), 'the cancel confirmation again');
    app.press('y');
    rows = await app.waitForScreen((r) => r[1].startsWith('Canceled'), 'the Canceled state', 30_000);
    expect(rows[2]).toMatch(/- [1-9]\d*$/); // canceled records are counted
    // After many partial frames the layout has not drifted: hints on row 23, row 24 free.
    expect(rows[0]).toContain(id!);
    expect(rows[22]).toContain('? help');
    expect(rows[23]).toBe('');

    // R in a real terminal: the demo's batch came from no records file, so there is nothing the
    // journal could rerun (or, if none failed yet, nothing to rerun): it says which, and starts nothing.
    app.press('R');
    rows = await app.waitForScreen((r) => r.some((l) => /^(Its records are not in the journal|No failed record to rerun)/.test(l)), 'the rerun refusal');
    expect(rows[0]).toContain(id!);

    // Every execution (H on the services screen): m marks the demo's, x compares it, here with itself.
    app.press('q');
    await app.waitForScreen((r) => r[0].startsWith('Services on '), 'the services screen');
    app.press('H');
    await app.waitForScreen((r) => r[0].startsWith('All executions') && r.some((l) => l.includes(id!.slice(0, 12))), 'every execution');
    app.press('m');
    await app.waitForScreen((r) => r.some((l) => l.startsWith('Marked ')), 'the mark');
    app.press('x');
    rows = await app.waitForScreen((r) => r.some((l) => /^\d+ compared: \d+ equal, 0 different, 0 failed in one only/.test(l)), 'the comparison');
    expect(rows[0]).toContain(id!.slice(0, 8));
    expect(rows[23]).toBe('');

    // Ctrl-C exits 0; the alternate screen is left and the cursor shown again.
    expect(app.bufferType()).toBe('alternate');
    app.press(CTRL_C);
    expect(await app.exited).toBe(0);
    expect(app.bufferType()).toBe('normal');
    const raw = app.raw();
    expect(raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\x1b[?1049h'));
    expect(raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(raw.lastIndexOf('\x1b[?25l'));
    // The demo's server data dir is gone.
    expect(await readdir(temp)).toEqual([]);
  }, 120_000);
});
