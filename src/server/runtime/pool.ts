/** The worker pool: runs records in child processes, one worker per service version at a time. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { assertNever, type RuntimeType } from '../../protocol.js';
import type { PoolOptions, RunOutcome, RunRequest, Runtime, ServiceCode } from './types.js';
import { orphanGuard, type OrphanGuard } from './orphan-guard.js';
import { failure, PYTHON_MISSING, WorkerProcess, type WorkerKind, type WorkerResult } from './worker-process.js';

/** Default of `PoolOptions.idleTimeoutMs`. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Default of `PoolOptions.maxConsoleBytes`. */
export const DEFAULT_MAX_CONSOLE_BYTES = 64 * 1024;
/** Workers a record may be given when each goes away before it is handed the record. */
const START_ATTEMPTS = 3;

/** The message an R (or Realtime) item fails with: the embedded server has no such runtime. */
export function runtimeMissing(runtime: RuntimeType): string {
  return `${runtime} runtime not available: the embedded server runs JavaScript and Python services`;
}

interface Waiter {
  service: ServiceCode;
  resolve: (w: WorkerProcess | undefined) => void;
}

// One probe per interpreter per process: servers started one after another in one process
// (an app's demo, tests) need not start Python again to learn the same answer.
const probes = new Map<string, Promise<string | undefined>>();

/**
 * The interpreter `pythonPath` starts, as Python names it (`sys.executable`), when it is Python 3.8
 * or later; undefined when it does not start or is older (never blocks: an interpreter that hangs
 * is given 20 s). Workers are started from that path: a version manager's shim (pyenv's costs
 * about 0.1 s of CPU a start) is passed once, by the probe, not by every worker.
 */
export function pythonInterpreter(pythonPath: string): Promise<string | undefined> {
  let probe = probes.get(pythonPath);
  if (!probe) {
    probe = runProbe(pythonPath);
    probes.set(pythonPath, probe);
  }
  return probe;
}

/** Resolves true when `pythonPath` starts and is Python 3.8 or later. */
export async function probePython(pythonPath: string): Promise<boolean> {
  return (await pythonInterpreter(pythonPath)) !== undefined;
}

function runProbe(pythonPath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = spawn(pythonPath, ['-c', 'import sys\nif sys.version_info < (3, 8): sys.exit(3)\nprint(sys.executable or "")'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
    });
    let out = '';
    probe.stdout.on('data', (d: Buffer) => {
      if (out.length < 4096) out += d.toString();
    });
    probe.on('error', () => resolve(undefined));
    probe.on('close', (code) => {
      if (code !== 0) return resolve(undefined);
      // An interpreter that names no absolute path of its own (embedded, or a stand-in) is started as given.
      const named = out.split('\n')[0].trim();
      resolve(path.isAbsolute(named) ? named : pythonPath);
    });
  });
}

/** Creates the worker pool the scheduler runs records through. */
export function createWorkerPool(options: PoolOptions): Runtime {
  const maxWorkers = Math.max(1, Math.floor(options.maxWorkers));
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxConsoleBytes = options.maxConsoleBytes ?? DEFAULT_MAX_CONSOLE_BYTES;
  const pythonPath = options.pythonPath ?? 'python3';
  const workers = new Set<WorkerProcess>();
  const waiters: Waiter[] = [];
  let python: string | undefined;
  let guard: OrphanGuard = { kind: 'thread' };
  let closed = false;

  // Probed once, when first needed: a server that runs no Python (the demo, most) starts none.
  // Python records and /status wait for the answer.
  let pythonProbe: Promise<string | undefined> | undefined;
  const probePythonOnce = () => (pythonProbe ??= pythonInterpreter(pythonPath).then((found) => (python = found)));
  // Likewise how a JavaScript worker is kept from outliving the server; its records wait for it.
  let guardProbe: Promise<OrphanGuard> | undefined;
  const probeGuardOnce = () => (guardProbe ??= orphanGuard().then((g) => (guard = g)));

  const kindOf = (service: ServiceCode): WorkerKind | string => {
    const runtime = service.runtimeType;
    switch (runtime) {
      case 'JavaScript':
        return { kind: 'js', guard };
      case 'Python':
        return python ? { kind: 'python', pythonPath: python } : PYTHON_MISSING;
      case 'R':
      case 'Realtime':
        return runtimeMissing(runtime);
      default:
        return assertNever(runtime);
    }
  };

  const spawnFor = (service: ServiceCode, kind: WorkerKind): WorkerProcess => {
    const worker = new WorkerProcess(service, kind, maxConsoleBytes, (gone) => {
      workers.delete(gone);
      // Deferred: a worker can die inside tryAcquire (an idle one stopped to free its slot).
      queueMicrotask(pump);
    });
    worker.busy = true;
    workers.add(worker);
    return worker;
  };

  // Finds a worker for `service` without waiting: an idle one of the same version, a free slot,
  // or the slot of an idle worker of another service, which is stopped.
  const tryAcquire = (service: ServiceCode, kind: WorkerKind): WorkerProcess | undefined => {
    let other: WorkerProcess | undefined;
    for (const w of workers) {
      if (w.busy || w.dead) continue;
      if (w.key === service.key) {
        clearTimeout(w.idleTimer);
        w.busy = true;
        return w;
      }
      other ??= w;
    }
    if (workers.size >= maxWorkers && other) {
      workers.delete(other);
      other.kill();
    }
    return workers.size < maxWorkers ? spawnFor(service, kind) : undefined;
  };

  const acquire = (service: ServiceCode, kind: WorkerKind): Promise<WorkerProcess | undefined> => {
    const now = waiters.length === 0 ? tryAcquire(service, kind) : undefined;
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      waiters.push({ service, resolve });
      pump();
    });
  };

  function pump(): void {
    while (!closed && waiters.length > 0) {
      const next = waiters[0];
      const kind = kindOf(next.service);
      const w = typeof kind === 'string' ? undefined : tryAcquire(next.service, kind);
      if (!w) return;
      waiters.shift();
      next.resolve(w);
    }
  }

  const release = (w: WorkerProcess): void => {
    w.busy = false;
    if (w.dead) return;
    if (closed) {
      w.kill();
      return;
    }
    w.idleTimer = setTimeout(() => w.kill(), idleTimeoutMs);
    w.idleTimer.unref();
    pump();
  };

  const outcome = (startTime: string, r: WorkerResult): RunOutcome => ({
    success: r.success,
    errorMessage: r.errorMessage,
    consoleOutput: r.consoleOutput,
    outputParameters: r.outputParameters,
    artifacts: r.artifacts,
    startTime,
    endTime: new Date().toISOString(),
  });

  async function run(request: RunRequest): Promise<RunOutcome> {
    const startTime = new Date().toISOString();
    try {
      if (closed) return outcome(startTime, failure('the server is shutting down'));
      if (request.service.runtimeType === 'Python') await probePythonOnce();
      if (request.service.runtimeType === 'JavaScript') await probeGuardOnce();
      const kind = kindOf(request.service);
      if (typeof kind === 'string') return outcome(startTime, failure(kind));
      // A worker that goes away before it is handed the record (a Ctrl-C in the server's
      // terminal can reach one still starting) leaves the record not run: it gets another.
      for (let attempt = 1; ; attempt++) {
        const worker = await acquire(request.service, kind);
        if (!worker) return outcome(startTime, failure('the server is shutting down'));
        let result: WorkerResult;
        try {
          result = await worker.runRecord(request.inputs, request.workDir, request.timeoutMs);
        } finally {
          release(worker);
        }
        if (!result.unstarted || attempt === START_ATTEMPTS || closed) return outcome(startTime, result);
      }
    } catch (err) {
      return outcome(startTime, failure(`internal error running this record: ${(err as Error).message}`));
    }
  }

  return {
    run,
    available: async () => ({ JavaScript: true, Python: (await probePythonOnce()) !== undefined, R: false }),
    async close() {
      closed = true;
      for (const w of waiters.splice(0)) w.resolve(undefined);
      const all = [...workers];
      for (const w of all) w.kill();
      await Promise.all(all.map((w) => w.exited()));
    },
  };
}
