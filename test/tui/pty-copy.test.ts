/** The copy key in the built app, in a real 80×24 terminal inside (what looks like) tmux: OSC 52 in tmux's passthrough, between frames. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

describe('mlbatch demo: y copies the execution id', () => {
  let app: PtyApp;
  let work: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-pty-copy-'));
    await mkdir(join(work, 'tmp'));
    app = startPty(['demo', '--records', '40', '--parallel', '10', '--download-dir', join(work, 'dl')], {
      cwd: root, env: { TMPDIR: join(work, 'tmp'), TMUX: '/tmp/tmux-1000/default,4242,0' },
    });
  });

  afterAll(async () => {
    app?.kill();
    await rm(work, { recursive: true, force: true });
  });

  it('writes OSC 52 in tmux passthrough as a write of its own, and the status line names the id', async () => {
    const rows = await app.waitForScreen((r) => /^slow-scorer 1\.0 {2}[0-9a-f-]{36}/.test(r[0]) && /^ +0 [#X>.]/.test(r[3] ?? ''), 'the grid', 45_000);
    const id = /[0-9a-f-]{36}/.exec(rows[0])![0];
    app.press('y');
    await app.waitForScreen((r) => r.some((l) => l.startsWith(`Copied execution id: ${id}`)), 'the status line naming the id');
    const bytes = `\x1bPtmux;\x1b\x1b]52;c;${Buffer.from(id).toString('base64')}\x07\x1b\\`;
    const raw = app.raw();
    const at = raw.indexOf(bytes);
    expect(at).toBeGreaterThan(0);
    expect(raw.indexOf(bytes, at + 1)).toBe(-1);
    // Not inside a frame: any synchronized update begun before it had ended.
    expect(raw.indexOf(BSU)).toBeGreaterThanOrEqual(0);
    expect(raw.lastIndexOf(BSU, at) <= raw.lastIndexOf(ESU, at)).toBe(true);
    // Nothing of it reached the screen.
    expect((await app.screen()).join('\n')).not.toContain(Buffer.from(id).toString('base64'));
    app.press('\x03');
    expect(await app.exited).toBe(0);
  }, 90_000);
});
