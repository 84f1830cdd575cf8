/** Test helpers: `mlbatch serve` as a child process of the built CLI (for kills and flags). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { request } from './helpers.js';

/** The project's root: the server runs as `node bin/mlbatch.js serve` from the built dist/. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** A running child server. */
export interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `mlbatch serve --port 0 [--quiet] ...args` and resolves once it listens. `detached`:
 * a process group of its own, as a shell gives a foreground job (for Ctrl-C to the group).
 */
export function serve(
  args: string[],
  env: Record<string, string | undefined>,
  detached = false,
  quiet = true,
): Promise<Served> {
  if (!existsSync(path.join(ROOT, 'dist/server/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const flags = ['bin/mlbatch.js', 'serve', '--port', '0', ...(quiet ? ['--quiet'] : []), ...args];
  const child = spawn(process.execPath, flags, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('\ndata dir:')) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stdout: () => out, stderr: () => err, exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

/** Runs the CLI with `args` to its end; resolves its exit code and output. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['bin/mlbatch.js', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Logs in as admin and returns the access token (asserting the login worked). */
export async function login(url: string, password: string): Promise<string> {
  const res = await request<{ access_token: string }>(url, 'POST', '/login', { username: 'admin', password });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

/** Removes `dir` when the test file ends (see `stopChildren`). */
export function removeLater(...dir: string[]): void {
  dirs.push(...dir);
}

/** Kills every child server still running and removes the directories given to `removeLater`. */
export function stopChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
