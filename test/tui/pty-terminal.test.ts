import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './app-fixture.js';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');
const started: PtyApp[] = [];

describe('the app in a real terminal: size, colour, and no TTY', () => {
  let work: string;
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-pty2-'));
  });
  afterAll(async () => {
    for (const a of started) a.kill();
    await rm(work, { recursive: true, force: true });
  });

  it('says the terminal is too small below 40×12 in one line that fits, and lays out again when resized', async () => {
    const app = startPty(['demo', '--records', '300', '--parallel', '2', '--download-dir', join(work, 'a')], { cwd: root, cols: 30, rows: 10 });
    started.push(app);
    let rows = await app.waitForScreen((r) => r[0].startsWith('Too small'), 'the too-small notice', 30_000);
    expect(rows[0]).toBe('Too small (need 40x12) q quits');
    expect(rows.slice(1).every((r) => r === '')).toBe(true);
    app.resize(100, 30);
    rows = await app.waitForScreen((r) => r[0].startsWith('slow-scorer 1.0') && /^ {2}0 /.test(r[3]), 'the grid at 100×30', 30_000);
    // 100 columns: gutter of 4, eight groups of ten.
    expect(rows[4]).toMatch(/^ 80 /);
    expect(rows[28]).toContain('? help');
    expect(rows[29]).toBe('');
    app.press('\x03');
    expect(await app.exited).toBe(0);
  }, 90_000);

  it('writes no colour with NO_COLOR set, yet every state keeps its symbol', async () => {
    const app = startPty(['demo', '--records', '200', '--parallel', '2', '--download-dir', join(work, 'b')], { cwd: root, env: { NO_COLOR: '1' } });
    started.push(app);
    await app.waitForScreen((r) => /^ +0 [#X]/.test(r[3] ?? '') && r[2].includes('/200'), 'the grid', 30_000);
    app.press('\x03');
    expect(await app.exited).toBe(0);
    expect(app.raw()).not.toMatch(/\x1b\[(3[0-7]|9[0-7]|38;|39m)/);
  }, 90_000);

  it('draws the app on a terminal even with CI set (ink alone would draw nothing until the end)', async () => {
    const app = startPty(['demo', '--records', '200', '--parallel', '2', '--download-dir', join(work, 'ci')], { cwd: root, env: { CI: 'true' } });
    started.push(app);
    await app.waitForScreen((r) => r[0].startsWith('slow-scorer 1.0') && /^ +0 [#X.>]/.test(r[3] ?? ''), 'the grid', 30_000);
    app.press('\x03');
    expect(await app.exited).toBe(0);
  }, 90_000);

  for (const signal of ['SIGTERM', 'SIGHUP']) {
    it(`restores the terminal, stops the server and removes its temp dir on ${signal}`, async () => {
      const temp = join(work, `tmp-${signal}`);
      await mkdir(temp);
      const app = startPty(['demo', '--records', '300', '--parallel', '2', '--download-dir', join(work, 'c')], { cwd: root, env: { TMPDIR: temp } });
      started.push(app);
      await app.waitForScreen((r) => /^ +0 [#X.>]/.test(r[3] ?? ''), 'the grid', 30_000);
      expect(await readdir(temp)).toHaveLength(1);
      app.kill(signal);
      await app.exited;
      const raw = app.raw();
      expect(raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\x1b[?1049h'));
      expect(raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(raw.lastIndexOf('\x1b[?25l'));
      expect(app.bufferType()).toBe('normal');
      expect(await readdir(temp)).toEqual([]);
    }, 60_000);
  }

  it('treats a terminal that goes away as a hang-up: the process ends and the temp dir is removed', async () => {
    const temp = join(work, 'tmp-gone');
    await mkdir(temp);
    const app = startPty(['demo', '--records', '300', '--parallel', '2', '--download-dir', join(work, 'e')], { cwd: root, env: { TMPDIR: temp } });
    started.push(app);
    await app.waitForScreen((r) => /^ +0 [#X.>]/.test(r[3] ?? ''), 'the grid', 30_000);
    expect(await readdir(temp)).toHaveLength(1);
    app.hangUp();
    const alive = () => {
      try {
        process.kill(app.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 20_000;
    while ((alive() || (await readdir(temp)).length > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    expect(await readdir(temp)).toEqual([]);
  }, 60_000);

  it('attach opens straight on an execution by id (and prints plain lines without a TTY)', async () => {
    const fx = await startFixture();
    try {
      const service = await fx.client.getService('slow-scorer', '1.0');
      const batch = await service.batch(Array.from({ length: 150 }, (_, i) => ({ id: i + 1, value: 1 })), { parallelCount: 5 }).start();
      const id = batch.requireId();
      const env = { MLBATCH_HOST: fx.server.url, MLBATCH_PASSWORD: 'test-password-1', XDG_CONFIG_HOME: join(work, 'cfg') };
      const app = startPty(['attach', 'slow-scorer', '1.0', id, '--readonly'], { cwd: root, env });
      started.push(app);
      const rows = await app.waitForScreen((r) => r[0] === `slow-scorer 1.0  ${id}  [read-only]` && /\/150/.test(r[2]), 'the attached execution', 30_000);
      expect(rows[22]).not.toContain('cancel');
      app.press('q');
      expect(await app.exited).toBe(0);
      const plain = await new Promise<{ stdout: string; code: number }>((res) => {
        execFile(process.execPath, ['bin/mlbatch.js', 'attach', 'slow-scorer', '1.0', id], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (err, out) =>
          res({ stdout: out, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }),
        );
      });
      expect(plain.code).toBe(0);
      expect(plain.stdout.trim().split('\n').at(-1)).toMatch(/^Complete 150\/150 /);
      const missing = await new Promise<{ stderr: string; code: number }>((res) => {
        execFile(process.execPath, ['bin/mlbatch.js', 'attach', 'no-such-service', '1.0', id], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (err, _out, errOut) =>
          res({ stderr: errOut, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }),
        );
      });
      expect(missing.code).toBe(2); // an unknown service is bad input, as for the headless commands
      expect(missing.stderr).toMatch(/no-such-service/);
    } finally {
      await fx.stop();
    }
  }, 120_000);

  it('prints one plain line per change without a TTY, and exits 0 when the batch completes', async () => {
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((res) => {
      execFile(process.execPath, ['bin/mlbatch.js', 'demo', '--records', '60', '--parallel', '5'], { cwd: root, timeout: 60_000 }, (err, out, errOut) =>
        res({ stdout: out, stderr: errOut, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }),
      );
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain('\x1b');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^execution [0-9a-f-]{36} of slow-scorer 1\.0$/);
    expect(lines.at(-1)).toMatch(/^Complete 60\/60 complete \d+ failed \d+ running 0 pending 0 canceled 0 [\d.]+\/s$/);
    for (let i = 2; i < lines.length; i++) expect(lines[i]).not.toBe(lines[i - 1]);
  }, 90_000);
});
