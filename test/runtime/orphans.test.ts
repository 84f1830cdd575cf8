import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardedNodeCommand, orphanGuard, type OrphanGuard } from '../../src/server/runtime/orphan-guard.js';
import { probePython } from '../../src/server/runtime/pool.js';
import { runtimeAsset } from '../../src/server/runtime/worker-process.js';
import { alive, cleanup, workDir } from './helpers.js';

afterAll(cleanup);
const hasPython = await probePython('python3');
const machineGuard = await orphanGuard();

// A stand-in server: starts one worker as the pool does, has it spin on a record, prints the worker's pid.
const fakeServer = (kind: OrphanGuard | 'python', code: string): string => `
const { spawn } = require('node:child_process');
const init = { type: 'init', name: 'spin', initCode: '', code: ${JSON.stringify(code)}, inputs: [], outputs: [],
  outputFileNames: [], maxConsoleBytes: 1000 };
const run = { type: 'run', id: 1, inputs: {}, workDir: ${JSON.stringify(workDir())} };
const w = ${
  kind !== 'python'
    ? `spawn(...${JSON.stringify(Object.values(guardedNodeCommand(kind, runtimeAsset('js-worker.cjs'))))}, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
w.send(init); w.send(run);`
    : `spawn('python3', [${JSON.stringify(runtimeAsset('python-worker.py'))}], { stdio: ['pipe', 'ignore', 'ignore'] });
w.stdin.write(JSON.stringify(init) + '\\n' + JSON.stringify(run) + '\\n');`
};
console.log(w.pid);
setInterval(() => {}, 1000);
`;

async function workerOutlives(kind: OrphanGuard | 'python', code: string): Promise<boolean> {
  const script = path.join(workDir(), 'server.cjs');
  writeFileSync(script, fakeServer(kind, code));
  const server = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  await new Promise((r) => setTimeout(r, 1500)); // the worker is spinning on its record by now
  expect(alive(pid)).toBe(true);
  server.kill('SIGKILL');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 100));
  const survived = alive(pid);
  if (survived) process.kill(pid, 'SIGKILL');
  return survived;
}

describe('workers never outlive their server', () => {
  it('a JavaScript worker spinning in service code ends when its server is killed (its watchdog thread)', async () => {
    expect(await workerOutlives({ kind: 'thread' }, 'while (true) {}')).toBe(false);
  });

  it.skipIf(machineGuard.kind === 'thread')('a JavaScript worker started with the parent-death signal ends when its server is killed', async () => {
    expect(await workerOutlives(machineGuard, 'while (true) {}')).toBe(false);
  });

  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/setpriv'))('Linux with util-linux setpriv gets the parent-death signal, not a thread per worker', () => {
    expect(machineGuard.kind).toBe('parent-death-signal');
  });

  it.skipIf(!hasPython)('a Python worker spinning in service code ends when its server is killed', async () => {
    expect(await workerOutlives('python', 'while True:\n    pass')).toBe(false);
  });
});
