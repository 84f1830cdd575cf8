/** The built app in a real pseudo-terminal at 40×12 in the C locale, and with TERM=dumb. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');

// Two launches side by side: each waits on its own demo server more than it computes.
describe.concurrent('small terminals, a C locale and TERM=dumb', () => {
  let work: string;
  const started: PtyApp[] = [];
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-pty-small-'));
  });
  afterAll(async () => {
    for (const a of started) a.kill();
    await rm(work, { recursive: true, force: true });
  });

  it('at 40×12 in the C locale: a laid-out grid, help that scrolls, only ASCII sent, and q backs out to quit', async () => {
    const app = startPty(['demo', '--records', '400', '--parallel', '2', '--download-dir', join(work, 'a')], {
      cwd: root, cols: 40, rows: 12, env: { LC_ALL: 'C', LANG: 'C' },
    });
    started.push(app);
    let rows = await app.waitForScreen((r) => r[0].startsWith('slow-scorer 1.0') && /^ +0 [#X>.]/.test(r[2] ?? ''), 'the grid at 40×12');
    // Two header lines: the title, then state and progress with an ASCII bar.
    expect(rows[1]).toMatch(/^(Pending|InProgress) [#-]+ +\d+% \d+\/400/);
    expect(rows[10]).toContain('? help');
    expect(rows[11]).toBe('');
    app.press('?');
    rows = await app.waitForScreen((r) => r.some((l) => l.startsWith('Keys (execution)')), 'the help');
    expect(rows.find((l) => l.startsWith('Keys (execution)'))).toMatch(/^Keys \(execution\) 1-\d+ of \d+, j\/k/);
    app.press('G');
    rows = await app.waitForScreen((r) => r.some((l) => l.startsWith('filtered')), 'the end of the help');
    expect(rows.some((l) => /^X +Failed: finished with an error/.test(l)) || rows.some((l) => l.startsWith('read-only'))).toBe(true);
    app.press('q');
    await app.waitForScreen((r) => /^ +0 [#X>.]/.test(r[2] ?? ''), 'the grid again');
    app.press('q');
    await app.waitForScreen((r) => r[0].startsWith('Services on'), 'the services');
    // Nothing but ASCII reached the terminal: no box drawing, no blocks, no arrows, no dots.
    expect(app.raw()).not.toMatch(/[^\x00-\x7f]/);
    app.press('q');
    expect(await app.exited).toBe(0);
    expect(app.bufferType()).toBe('normal');
  }, 60_000);

  it('TERM=dumb gets plain progress lines, as a pipe does, not a full screen', async () => {
    const app = startPty(['demo', '--records', '40', '--parallel', '4', '--download-dir', join(work, 'b')], {
      cwd: root, env: { TERM: 'dumb' },
    });
    started.push(app);
    expect(await app.exited).toBe(0);
    const raw = app.raw();
    expect(raw).toMatch(/execution [0-9a-f-]{36} of slow-scorer 1\.0/);
    expect(raw).toMatch(/^Complete 40\/40 complete \d+ failed \d+/m);
    expect(raw).not.toContain('\x1b[?1049h');
  }, 60_000);
});
