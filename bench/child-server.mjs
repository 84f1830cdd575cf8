// Shared by the client benchmarks: the embedded server in a child process (the bench script run
// again with --server), so that server and client do not share one event loop.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

/** Runs `script --server` and resolves to its URL and a stop function; `dir` is its work dir. */
export async function startChildServer(script, dir) {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [script, '--server'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(d.toString()).url));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

/**
 * The child side of `startChildServer`: starts the embedded server (from dist/) in `dir` with
 * `options`, prints its URL, and on SIGTERM stops it and removes `dir`.
 */
export async function serveAsChild(dir, options) {
  const { startServer } = await import('../dist/server/index.js');
  const server = await startServer({ port: 0, dataDir: dir, log: () => {}, ...options });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.on('SIGTERM', async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

/** The median of a list of numbers. */
export function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
