/**
 * How a JavaScript worker ends when its server dies without stopping it (SIGKILL, a crash) while
 * service code spins, so that the worker cannot notice the closed channel itself.
 *
 * On Linux the kernel does it: the worker is started through util-linux `setpriv --pdeathsig KILL`,
 * which costs nothing while it runs. Elsewhere (or where setpriv is missing or too old) the worker
 * starts a watchdog thread of its own, which costs a second V8 instance per worker: about 55 ms of
 * CPU at start and some memory.
 */
import { spawn } from 'node:child_process';

/** The worker's guard: the kernel's parent-death signal through `setpriv`, or its own watchdog thread. */
export type OrphanGuard = { kind: 'parent-death-signal'; setpriv: string } | { kind: 'thread' };

/** The argument that tells js-worker.cjs (which checks this same string) the kernel guards it, so it starts no watchdog thread. */
const PARENT_DEATH_FLAG = '--parent-death-signal';

const SETPRIV = 'setpriv';
const THREAD: OrphanGuard = { kind: 'thread' };
let probe: Promise<OrphanGuard> | undefined;

/** The guard this machine offers; probed once per process (one short `setpriv … true`), never rejects. */
export function orphanGuard(): Promise<OrphanGuard> {
  probe ??= process.platform === 'linux' ? probeSetpriv() : Promise.resolve(THREAD);
  return probe;
}

/** The command and arguments that start `script` (a Node program) under `guard`. */
export function guardedNodeCommand(guard: OrphanGuard, script: string, args: string[] = []): { command: string; args: string[] } {
  if (guard.kind === 'thread') return { command: process.execPath, args: [script, ...args] };
  return { command: guard.setpriv, args: ['--pdeathsig', 'KILL', process.execPath, script, ...args, PARENT_DEATH_FLAG] };
}

function probeSetpriv(): Promise<OrphanGuard> {
  return new Promise((resolve) => {
    // An old setpriv without --pdeathsig exits non-zero; a missing one fails to spawn.
    const child = spawn(SETPRIV, ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore', timeout: 5_000 });
    child.on('error', () => resolve(THREAD));
    child.on('exit', (code) => resolve(code === 0 ? { kind: 'parent-death-signal', setpriv: SETPRIV } : THREAD));
  });
}
