/** The errors screen, the group filter and the end notice's bell in the built app, in a real 80×24 terminal. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');
const BEL = '\x07';
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

describe('mlbatch demo: errors, group filter and end notice in a real terminal', () => {
  let app: PtyApp;
  let work: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-pty-errors-'));
    await mkdir(join(work, 'tmp'));
    // 300 records of 10-200 ms, 10 at a time: about three seconds, of which ~3% fail.
    app = startPty(['demo', '--records', '300', '--parallel', '10', '--download-dir', join(work, 'dl')], { cwd: root, env: { TMPDIR: join(work, 'tmp') } });
  });

  afterAll(async () => {
    app?.kill();
    await rm(work, { recursive: true, force: true });
  });

  it('rings once and says so when the execution ends on another screen; e groups the failures; Enter filters the grid', async () => {
    await app.waitForScreen((r) => r[0].startsWith('slow-scorer 1.0') && /^ +0 [#X>]/.test(r[3] ?? ''), 'the grid', 45_000);
    // Another screen while it runs: the downloads.
    app.press('w');
    let rows = await app.waitForScreen((r) => r.some((l) => / ended: Complete, 300\/300 done, \d+ failed/.test(l)), 'the end notice', 60_000);
    expect(rows.join('\n')).toMatch(/Execution [0-9a-f]{8} \(slow-scorer 1\.0\) ended/);
    const raw = app.raw();
    expect(raw.split(BEL).length - 1).toBe(1);
    // The BEL sits between frames: not after a frame's synchronized-update start without its end.
    const at = raw.indexOf(BEL);
    expect(raw.indexOf(BSU)).toBeGreaterThanOrEqual(0); // frames are marked, so the check below means something
    expect(raw.lastIndexOf(BSU, at) <= raw.lastIndexOf(ESU, at)).toBe(true);

    app.press('q');
    await app.waitForScreen((r) => r[1].startsWith('Complete'), 'the execution screen');
    app.press('e');
    rows = await app.waitForScreen((r) => r[0].startsWith('Failures of slow-scorer 1.0') && r.some((l) => /groups? · final/.test(l)), 'the error groups');
    expect(rows.join('\n')).toMatch(/>   1 +\d+  100\.0%  id <num> is rejected: the slow scorer fails about <num>%/);
    const first = /^indices (\d+)/.exec(rows.find((l) => l.startsWith('indices ')) ?? '')?.[1];
    expect(first).toMatch(/^\d+$/);
    app.press('\r');
    rows = await app.waitForScreen((r) => r[0].includes('[group 1]'), 'the grid filtered to group 1');
    expect(rows.find((l) => l.startsWith('cursor '))).toMatch(new RegExp(`^cursor ${first} +X Failed`));

    app.press('\x03');
    expect(await app.exited).toBe(0);
  }, 120_000);
});
