import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');

describe('incremental frames in a real terminal', () => {
  let work: string;
  let app: PtyApp | undefined;
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-anchor-'));
  });
  afterAll(async () => {
    app?.kill();
    await rm(work, { recursive: true, force: true });
  });

  it('stay anchored at the top row: after updates every row is where a fresh frame puts it', async () => {
    // MLBATCH_DEBUG: the app would say after it exits that an ink patch declined to install.
    app = startPty(['demo', '--records', '200', '--parallel', '5', '--download-dir', join(work, 'd')], { cwd: root, env: { MLBATCH_DEBUG: '1' } });
    // Each poll redraws the header and some grid rows incrementally, leaving the others as they were:
    // a frame drawn one row low leaves the rows above it stale (the "connecting" line, two hint bars).
    const rows = await app.waitForScreen((r) => r.some((l) => / · final$/.test(l)), 'the execution to end', 60_000);
    expect(rows[0]).toMatch(/^slow-scorer 1\.0 {2}[0-9a-f-]{36}$/);
    expect(rows[1]).toMatch(/^Complete · parallel 5 · /);
    expect(rows[2]).toMatch(/ 200\/200 /);
    expect(rows[3]).toMatch(/^ +0 [#X]/);
    expect(rows[22]).toContain('? help');
    expect(rows[23]).toBe('');
    app.press('\x03');
    expect(await app.exited).toBe(0);
    // The bundle the command runs holds its own ink: both patches found its modules, and the
    // output cache composed the frames ink drew (a cache on another copy of ink would compose none).
    expect(app.raw()).not.toMatch(/not installed|not anchored/);
    expect(app.raw()).toMatch(/mlbatch: ink output cache composed [1-9]\d* frames/);
  }, 90_000);
});
