/**
 * How a worker ends when its server dies without stopping it (SIGKILL, a crash) while service code
 * spins, so that the worker cannot notice the closed channel itself.
 *
 * On Linux the kernel does it, with the parent-death signal, which costs nothing while the worker
 * runs. A JavaScript worker is started through util-linux `setpriv --pdeathsig KILL`; a Python
 * worker asks for the signal itself (prctl through ctypes) as it starts. Elsewhere (or where
 * setpriv is missing or too old) a worker starts a watchdog thread of its own: for JavaScript a
 * second V8 instance per worker, about 55 ms of CPU at start and some memory.
 *
 * The signal is tied to the process that spawned the worker, so the server spawns it itself (not
 * through a shell, and a Python worker from the interpreter `sys.executable` names, past any version
 * manager's shim), and from its main thread: the signal would also fire when a thread that spawned
 * it ended. A worker is told the server's pid: a server that died before the signal was asked for
 * (or before the watchdog thread learnt its parent) left the worker with another parent already,
 * and the worker ends at once.
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

/** The argument that names this server to a worker it starts (see this module's comment). */
function serverPidArg(): string {
  return `--server-pid=${process.pid}`;
}

/** The command and arguments that start js-worker.cjs (`script`) for this server under `guard`. */
export function guardedNodeCommand(guard: OrphanGuard, script: string): { command: string; args: string[] } {
  if (guard.kind === 'thread') return { command: process.execPath, args: [script, serverPidArg()] };
  return { command: guard.setpriv, args: ['--pdeathsig', 'KILL', process.execPath, script, serverPidArg(), PARENT_DEATH_FLAG] };
}

/** The arguments that start python-worker.py (`script`) for this server. */
export function guardedPythonArgs(script: string): string[] {
  return ['-u', script, serverPidArg()];
}

function probeSetpriv(): Promise<OrphanGuard> {
  return new Promise((resolve) => {
    // An old setpriv without --pdeathsig exits non-zero; a missing one fails to spawn.
    const child = spawn(SETPRIV, ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore', timeout: 5_000 });
    child.on('error', () => resolve(THREAD));
    child.on('exit', (code) => resolve(code === 0 ? { kind: 'parent-death-signal', setpriv: SETPRIV } : THREAD));
  });
}
