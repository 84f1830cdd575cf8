/** Messages between the pool and a worker process (IPC for JavaScript, JSON lines for Python). */
import type { ParameterDefinition } from '../../protocol.js';

/** Sent once after spawn: the service the worker will run for its whole life. */
export interface InitMessage {
  type: 'init';
  name: string;
  initCode: string;
  code: string;
  inputs: ParameterDefinition[];
  outputs: ParameterDefinition[];
  outputFileNames: string[];
  maxConsoleBytes: number;
  /** A descriptor the worker mirrors each record's kept console output into (from offset 0). */
  consoleFd?: number;
}

/** One record: the worker changes into `workDir`, binds `inputs` and runs the code. */
export interface RunMessage {
  type: 'run';
  id: number;
  inputs: Record<string, unknown>;
  workDir: string;
}

/** What the pool sends. */
export type ToWorker = InitMessage | RunMessage;

/** initCode ran and the code compiled; records may be sent. */
export interface ReadyMessage {
  type: 'ready';
}

/** initCode threw or the code does not compile; the worker is of no further use. */
export interface InitErrorMessage {
  type: 'init-error';
  /** The whole message, e.g. "initCode failed: …" or "code does not compile: …". */
  message: string;
  consoleOutput: string;
}

/** How one record ended inside the worker. */
export interface ResultMessage {
  type: 'result';
  id: number;
  success: boolean;
  errorMessage: string;
  consoleOutput: string;
  outputParameters: Record<string, unknown>;
  artifacts: string[];
}

/** The worker hit an error outside any record's control flow and is about to exit. */
export interface FatalMessage {
  type: 'fatal';
  message: string;
}

/** What a worker sends. */
export type FromWorker = ReadyMessage | InitErrorMessage | ResultMessage | FatalMessage;
