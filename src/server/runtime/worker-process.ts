/** The pool's handle on one worker child process: spawn, init, one record at a time, kill. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { assertNever } from '../../protocol.js';
import type { FromWorker, ResultMessage, ToWorker } from './messages.js';
import { guardedNodeCommand, guardedPythonArgs, type OrphanGuard } from './orphan-guard.js';
import type { ServiceCode } from './types.js';

/** The message every Python item fails with when no interpreter can be started. */
export const PYTHON_MISSING = 'Python runtime not available: install python3 or pass --python';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Path of a runtime file (js-worker.cjs, python-worker.py, ...): beside this module, or in the
 * package's src/server/runtime/, found upwards from here (from dist/server/runtime/ or from a
 * chunk of the bundle in dist/bundle/).
 */
export function runtimeAsset(name: string): string {
  const candidates = [path.join(here, name)];
  for (let dir = here, i = 0; i < 4 && path.dirname(dir) !== dir; i++) {
    dir = path.dirname(dir);
    candidates.push(path.join(dir, 'src', 'server', 'runtime', name));
  }
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** How a worker process is started. */
export type WorkerKind = { kind: 'js'; guard: OrphanGuard } | { kind: 'python'; pythonPath: string };

/**
 * A record's result as the worker (or its death) reports it. `unstarted`: the worker went away
 * (died, could not start, or was stopped) before it was handed the record, which never ran.
 */
export type WorkerResult = Omit<ResultMessage, 'type' | 'id'> & { unstarted?: boolean };

type Lifecycle = 'starting' | 'ready' | 'dead';

const STDERR_TAIL = 2000;

/** Formats a duration for messages: 600000 → "600", 1500 → "1.5". */
export function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

/** A failed result carrying only a message. */
export function failure(errorMessage: string, consoleOutput = ''): WorkerResult {
  return { success: false, errorMessage, consoleOutput, outputParameters: {}, artifacts: [] };
}

const MESSAGE_TYPES = new Set(['ready', 'init-error', 'result', 'fatal']);

function isMessage(msg: unknown): msg is FromWorker {
  return typeof msg === 'object' && msg !== null && MESSAGE_TYPES.has((msg as { type?: unknown }).type as string);
}

// At most 200 characters of what a worker sent; never throws (a value can be too deep to serialise).
function preview(msg: unknown): string {
  try {
    return String(JSON.stringify(msg)).slice(0, 200);
  } catch {
    return typeof msg;
  }
}

// A result with every field of the right type, whatever the worker sent.
function resultOf(msg: ResultMessage): WorkerResult {
  const out = msg.outputParameters;
  return {
    success: msg.success === true,
    errorMessage: typeof msg.errorMessage === 'string' ? msg.errorMessage : '',
    consoleOutput: typeof msg.consoleOutput === 'string' ? msg.consoleOutput : '',
    outputParameters: typeof out === 'object' && out !== null && !Array.isArray(out) ? out : {},
    artifacts: Array.isArray(msg.artifacts) ? msg.artifacts.filter((a) => typeof a === 'string') : [],
  };
}

// An anonymous temp file: unlinked at once where the system allows it, so nothing is left behind
// even when the server is killed; the open descriptor is shared with the worker.
function openConsoleFile(): number | undefined {
  const file = path.join(tmpdir(), `mlbatch-console-${process.pid}-${randomUUID()}`);
  try {
    const fd = openSync(file, 'w+', 0o600);
    try {
      unlinkSync(file);
    } catch {
      // Windows cannot unlink an open file; it stays in the temp dir.
    }
    return fd;
  } catch {
    return undefined;
  }
}

/** One live worker process bound to one service version. */
export class WorkerProcess {
  readonly key: string;
  busy = false;
  idleTimer: NodeJS.Timeout | undefined;
  private lifecycle: Lifecycle = 'starting';
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private current: ((r: WorkerResult) => void) | undefined;
  private nextId = 1;
  private stderrTail = '';
  private gone = false;
  // A file the worker mirrors what a record printed into, so a record that times out or kills
  // its worker keeps its console output: the worker's own memory is gone by then.
  private consoleFd: number | undefined;
  private readonly maxConsoleBytes: number;

  constructor(
    service: ServiceCode,
    private readonly spec: WorkerKind,
    maxConsoleBytes: number,
    private readonly onGone: (w: WorkerProcess) => void,
  ) {
    this.key = service.key;
    this.maxConsoleBytes = maxConsoleBytes;
    this.consoleFd = openConsoleFile();
    this.child = this.spawnChild();
    let settle!: { ok: () => void; fail: (e: Error) => void };
    this.ready = new Promise<void>((ok, fail) => (settle = { ok, fail }));
    // A record awaits `ready` only after attaching its own handler; avoid an unhandled rejection
    // when the worker dies before any record looks.
    this.ready.catch(() => {});
    this.onMessage((msg) => {
      switch (msg.type) {
        case 'ready':
          this.lifecycle = 'ready';
          settle.ok();
          return;
        case 'init-error':
          settle.fail(Object.assign(new Error(String(msg.message)), { consoleOutput: String(msg.consoleOutput ?? '') }));
          this.kill();
          return;
        case 'result':
          if (msg.id === this.nextId - 1) this.current?.(resultOf(msg));
          return;
        case 'fatal':
          this.stderrTail = String(msg.message);
          return;
        default:
          assertNever(msg);
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      const missing = this.spec.kind === 'python' && err.code === 'ENOENT';
      this.die(missing ? PYTHON_MISSING : `worker process could not start: ${err.message}`, settle.fail);
      this.closeConsole();
    });
    this.child.on('exit', (code, signal) => {
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      const detail = this.stderrTail.trim() ? `: ${this.stderrTail.trim()}` : '';
      const when = this.lifecycle === 'starting' ? 'during initCode' : 'while running this record';
      this.die(`worker process died ${when} (${how})${detail}`, settle.fail);
      this.closeConsole();
    });
    const problem = this.send({
      type: 'init',
      name: service.name,
      initCode: service.initCode ?? '',
      code: service.code ?? '',
      inputs: service.inputs ?? [],
      outputs: service.outputs ?? [],
      outputFileNames: service.outputFileNames ?? [],
      maxConsoleBytes,
      consoleFd: this.consoleFd === undefined ? undefined : this.spec.kind === 'js' ? 4 : 3,
    });
    if (problem) {
      this.die(`could not send the service to the worker: ${problem}`, settle.fail);
      this.child.kill('SIGKILL');
    }
  }

  /** Runs one record; resolves (never rejects) with its result, killing the worker on timeout. */
  runRecord(inputs: Record<string, unknown>, workDir: string, timeoutMs: number): Promise<WorkerResult> {
    return new Promise<WorkerResult>((resolve) => {
      let done = false;
      const finish = (r: WorkerResult): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.current = undefined;
        resolve(r);
      };
      const timer = setTimeout(() => {
        finish(failure(`timed out after ${seconds(timeoutMs)} s`, this.consoleSoFar()));
        this.kill();
      }, timeoutMs);
      this.current = finish;
      this.ready.then(
        () => {
          if (done) return;
          const problem = this.send({ type: 'run', id: this.nextId++, inputs, workDir });
          // Nothing was written: the worker is still fit for the next record.
          if (problem) finish(failure(`could not send this record to the worker: ${problem}`));
        },
        (err: Error & { consoleOutput?: string; unstarted?: boolean }) =>
          finish({ ...failure(err.message, err.consoleOutput ?? ''), ...(err.unstarted ? { unstarted: true } : {}) }),
      );
    });
  }

  /** The worker's process id (undefined when it could not be started). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process is gone or being killed. */
  get dead(): boolean {
    return this.lifecycle === 'dead';
  }

  /** Stops the process now; a record in flight fails with a message saying so. */
  kill(): void {
    this.die('worker process was stopped while running this record', () => {});
    this.child.kill('SIGKILL');
  }

  /** Resolves when the process has exited (immediately if it already has). */
  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private die(message: string, failReady: (e: Error) => void): void {
    failReady(Object.assign(new Error(message), { unstarted: true }));
    const printed = this.lifecycle === 'dead' || !this.current ? '' : this.consoleSoFar();
    this.lifecycle = 'dead';
    // After the ready promise's reactions, so an initCode error wins over "stopped".
    queueMicrotask(() => this.current?.(failure(message, printed)));
    clearTimeout(this.idleTimer);
    if (!this.gone) {
      this.gone = true;
      this.onGone(this);
    }
  }

  /** What the record in flight printed so far, as the worker mirrored it ('' when unknown). */
  private consoleSoFar(): string {
    const fd = this.consoleFd;
    if (fd === undefined) return '';
    try {
      const size = Math.min(fstatSync(fd).size, this.maxConsoleBytes);
      const buf = Buffer.alloc(size);
      const got = readSync(fd, buf, 0, size, 0);
      // The worker stops mirroring at the limit; a cut may split a character, which is dropped.
      const text = buf.subarray(0, got).toString('utf8').replace(/\uFFFD$/, '');
      return got >= this.maxConsoleBytes
        ? `${text}\n[consoleOutput cut: more may have been printed (limit ${this.maxConsoleBytes} bytes)]\n`
        : text;
    } catch {
      return '';
    }
  }

  private closeConsole(): void {
    if (this.consoleFd === undefined) return;
    const fd = this.consoleFd;
    this.consoleFd = undefined;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }

  private spawnChild(): ChildProcess {
    const cwd = tmpdir();
    const mirror = this.consoleFd ?? 'ignore';
    switch (this.spec.kind) {
      case 'js': {
        const { command, args } = guardedNodeCommand(this.spec.guard, runtimeAsset('js-worker.cjs'));
        return spawn(command, args, {
          cwd,
          stdio: ['ignore', 'ignore', 'pipe', 'ipc', mirror],
          serialization: 'json',
          // As for Python below: a Ctrl-C while Node is still starting the worker (before it
          // ignores SIGINT) would kill it and fail its record.
          detached: process.platform !== 'win32',
        });
      }
      case 'python':
        return spawn(this.spec.pythonPath, guardedPythonArgs(runtimeAsset('python-worker.py')), {
          cwd,
          stdio: ['pipe', 'pipe', 'pipe', mirror],
          // A process group of its own, out of reach of Ctrl-C in the server's terminal: while an
          // interpreter is still starting (before the worker ignores SIGINT), a Ctrl-C would kill it
          // and fail its record. The server stops it itself; the parent-death signal (or a watchdog
          // thread) ends it if the server dies (see orphan-guard.ts).
          detached: process.platform !== 'win32',
          env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
        });
      default:
        return assertNever(this.spec);
    }
  }

  /** Sends a message; returns why it could not be serialised (the inputs checks should prevent it). */
  private send(msg: ToWorker): string | undefined {
    if (this.lifecycle === 'dead') return undefined;
    try {
      if (this.spec.kind === 'js') {
        if (this.child.connected) this.child.send(msg);
      } else if (this.child.stdin?.writable) {
        this.child.stdin.write(`${JSON.stringify(msg)}\n`);
      }
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  private onMessage(handler: (msg: FromWorker) => void): void {
    // Service code runs in the worker, so what comes back is checked, never trusted to be well formed.
    const guarded = (msg: unknown): void => {
      if (isMessage(msg)) handler(msg);
      else {
        this.stderrTail = `unexpected message from the worker: ${preview(msg)}`;
        this.kill();
      }
    };
    if (this.spec.kind === 'js') {
      this.child.on('message', guarded);
      return;
    }
    this.child.stdin?.on('error', () => {}); // EPIPE when the interpreter died; 'exit' reports it
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => {
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        msg = line;
      }
      guarded(msg);
    });
  }
}
