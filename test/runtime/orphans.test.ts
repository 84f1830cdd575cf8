import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { orphanGuard } from '../../src/server/runtime/orphan-guard.js';
import { pythonInterpreter } from '../../src/server/runtime/pool.js';
import type { WorkerKind } from '../../src/server/runtime/worker-process.js';
import { alive, cleanup, service, waitForFile, workDir } from './helpers.js';

afterAll(cleanup);
const python = await pythonInterpreter('python3');
const machineGuard = await orphanGuard();

// The pool's own handle on a worker, as built (the suite's global setup builds a stale dist/ first).
const WORKER_PROCESS = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/server/runtime/worker-process.js')).href;
// How long a worker may take to end once its server is gone: the kernel ends it at once, a
// watchdog thread within a second or two; the rest is room for a loaded machine.
const END_WITHIN_MS = 20_000;

// A stand-in server: starts one worker as the pool does and prints its pid. `spin: 'code'` hands it
// a record whose code spins (after writing `spinning` in its work dir); `spin: 'init'` gives it a
// spinning initCode and kills the server at once, while the worker is still starting.
function fakeServer(kind: WorkerKind, spin: 'code' | 'init', code: string, dir: string): string {
  const svc = service({ name: 'spin', runtimeType: kind.kind === 'js' ? 'JavaScript' : 'Python', code, initCode: spin === 'init' ? code : '' });
  return `
import { WorkerProcess } from ${JSON.stringify(WORKER_PROCESS)};
const worker = new WorkerProcess(${JSON.stringify(svc)}, ${JSON.stringify(kind)}, 1000, () => {});
console.log(worker.pid);
${spin === 'init' ? "process.kill(process.pid, 'SIGKILL');" : `void worker.runRecord({}, ${JSON.stringify(dir)}, 600_000);\nsetInterval(() => {}, 1000);`}
`;
}

// True while `pid` runs; a zombie has ended and only awaits its reaping.
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

/** Starts a stand-in server with one spinning worker, kills the server, and waits for the worker to end. */
async function expectWorkerEndsWithServer(
  kind: WorkerKind,
  code: string,
  spin: 'code' | 'init' = 'code',
  whileSpinning: (pid: number) => void = () => {},
): Promise<void> {
  const dir = workDir();
  const script = path.join(dir, 'server.mjs');
  writeFileSync(script, fakeServer(kind, spin, code, dir));
  const server = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  let out = '';
  const pid = await new Promise<number>((resolve, reject) => {
    server.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    // 'close', not 'exit': what the server printed before it died is read by then.
    server.once('close', () => reject(new Error(`the stand-in server ended before naming its worker: ${out}`)));
  });
  expect(pid).toBeGreaterThan(0);
  if (spin === 'code') {
    await waitForFile(path.join(dir, 'spinning'));
    whileSpinning(pid);
    server.kill('SIGKILL');
  }
  await exited;
  const deadline = Date.now() + END_WITHIN_MS;
  while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (running(pid)) {
    process.kill(pid, 'SIGKILL');
    throw new Error(`worker ${pid} was still running ${END_WITHIN_MS / 1000} s after its server (pid ${server.pid}) was killed`);
  }
}

const JS_SPIN = "require('node:fs').writeFileSync('spinning', 'yes');\nwhile (true) {}";
const PY_SPIN = "with open('spinning', 'w') as f:\n    f.write('yes')\nwhile True:\n    pass";

// Room for a loaded machine to start the server and its worker, then END_WITHIN_MS for the worker to end.
describe('workers never outlive their server', { timeout: 60_000 }, () => {
  it('a JavaScript worker spinning in service code ends when its server is killed (its watchdog thread)', async () => {
    await expectWorkerEndsWithServer({ kind: 'js', guard: { kind: 'thread' } }, JS_SPIN);
  });

  it.skipIf(machineGuard.kind === 'thread')('a JavaScript worker started with the parent-death signal ends when its server is killed', async () => {
    await expectWorkerEndsWithServer({ kind: 'js', guard: machineGuard }, JS_SPIN);
  });

  it('a JavaScript worker whose server is killed while the worker starts ends too (its watchdog thread)', async () => {
    await expectWorkerEndsWithServer({ kind: 'js', guard: { kind: 'thread' } }, 'while (true) {}', 'init');
  });

  it.skipIf(machineGuard.kind === 'thread')('a JavaScript worker started with the parent-death signal ends when its server is killed while it starts', async () => {
    await expectWorkerEndsWithServer({ kind: 'js', guard: machineGuard }, 'while (true) {}', 'init');
  });

  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/setpriv'))('Linux with util-linux setpriv gets the parent-death signal, not a thread per worker', () => {
    expect(machineGuard.kind).toBe('parent-death-signal');
  });

  it.skipIf(!python)('a Python worker spinning in service code ends when its server is killed', async () => {
    await expectWorkerEndsWithServer({ kind: 'python', pythonPath: python! }, PY_SPIN, 'code', (pid) => {
      // On Linux the kernel's parent-death signal ends it: no watchdog thread runs beside the code.
      if (process.platform === 'linux') expect(readdirSync(`/proc/${pid}/task`), 'threads of the spinning worker').toHaveLength(1);
    });
  });

  it.skipIf(!python)('a Python worker whose server is killed while the worker starts ends too', async () => {
    await expectWorkerEndsWithServer({ kind: 'python', pythonPath: python! }, 'while True:\n    pass', 'init');
  });
});
