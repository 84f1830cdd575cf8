/** The contract between the embedded server's scheduler and the processes that run service code. */
import type { ParameterDefinition, RuntimeType } from '../../protocol.js';

/** What a worker needs to run one published service version. */
export interface ServiceCode {
  /** Unique per published version (changes when a name+version is deleted and published again). */
  key: string;
  name: string;
  version: string;
  runtimeType: RuntimeType;
  initCode: string;
  code: string;
  inputs: ParameterDefinition[];
  outputs: ParameterDefinition[];
  outputFileNames: string[];
}

/** One record to run. `workDir` exists and is empty; it becomes the run's cwd. */
export interface RunRequest {
  service: ServiceCode;
  inputs: Record<string, unknown>;
  workDir: string;
  timeoutMs: number;
}

/** How one record's run ended. `artifacts` are the `outputFileNames` found in `workDir` after it. */
export interface RunOutcome {
  success: boolean;
  errorMessage: string;
  consoleOutput: string;
  outputParameters: Record<string, unknown>;
  artifacts: string[];
  startTime: string;
  endTime: string;
}

/** Runs records in worker processes. `run` never rejects: every failure is a failed outcome. */
export interface Runtime {
  run(request: RunRequest): Promise<RunOutcome>;
  /** Which runtimes can run here, e.g. `{JavaScript: true, Python: false, R: false}`. */
  available(): Promise<Record<string, boolean>>;
  close(): Promise<void>;
}

/** Options of the worker pool. */
export interface PoolOptions {
  /** Most worker processes alive at once (the scheduler never runs more records than this). */
  maxWorkers: number;
  /** Interpreter for Python services; default `python3` on PATH. */
  pythonPath?: string;
  /** An idle worker is stopped after this long. */
  idleTimeoutMs?: number;
  /** consoleOutput beyond this is cut, with a note saying so. */
  maxConsoleBytes?: number;
}
