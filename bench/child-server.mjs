// Shared by the client benchmarks: the embedded server in a child process (the bench script run
// again with --server), so that server and client do not share one event loop.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';

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

/** The median of a list of numbers. */
export function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
