/** ServiceResponse (one record's result) and BatchResponse (one poll of an execution). */
import type { ExecutionState, ItemState, ParameterDefinition } from '../protocol.js';
import { castOutputs } from './cast.js';
import { decodeResult, type DecodedPoll, type DecodedResult } from './decode.js';

/** The result of running a service once: outputs cast by the schema, artifacts base64-decoded on demand. */
export class ServiceResponse {
  /** The decoded wire result (outputs as sent, artifacts as base64). */
  readonly raw: DecodedResult;
  private cast: Record<string, unknown> | undefined;

  constructor(
    raw: unknown,
    private readonly outputSchema: readonly ParameterDefinition[] = [],
  ) {
    this.raw = decodeResult(raw);
  }

  /** Outputs cast by the service's `outputParameterDefinitions`. */
  get outputs(): Record<string, unknown> {
    this.cast ??= castOutputs(this.raw.outputParameters, this.outputSchema);
    return this.cast;
  }

  /** One cast output by name (undefined when absent). */
  output(name: string): unknown {
    return this.outputs[name];
  }

  /** Outputs exactly as the server sent them. */
  get rawOutputs(): Record<string, unknown> {
    return this.raw.outputParameters;
  }

  /** Names of the files sent inline with this result. */
  get artifacts(): string[] {
    return Object.keys(this.raw.outputFiles);
  }

  /** One inline file's bytes (undefined when absent). */
  artifact(name: string): Buffer | undefined {
    const b64 = this.raw.outputFiles[name];
    return b64 === undefined ? undefined : Buffer.from(b64, 'base64');
  }

  /** What the service's code printed. */
  get consoleOutput(): string {
    return this.raw.consoleOutput;
  }

  /** The error message of a failed run ('' when it succeeded). */
  get error(): string {
    return this.raw.errorMessage;
  }

  /** False when the run failed. */
  get success(): boolean {
    return this.raw.success;
  }

  /** Per-item state, when the server reports it (embedded server only). */
  get state(): ItemState | undefined {
    return this.raw.state;
  }
}

/** One answer of a poll; `execution(i)` decodes record i's result lazily. */
export class BatchResponse {
  private readonly decoded = new Map<number, ServiceResponse>();

  constructor(
    private readonly poll: DecodedPoll,
    private readonly outputSchema: readonly ParameterDefinition[] = [],
  ) {}

  /** Execution state; an unknown wire state reads as `InProgress`. */
  get state(): ExecutionState {
    return this.poll.state;
  }

  /** The state string exactly as the server sent it. */
  get rawState(): string {
    return this.poll.rawState;
  }

  /** Number of records in the execution. */
  get totalItemCount(): number {
    return this.poll.totalItemCount;
  }

  /** Number of records finished (succeeded or failed). */
  get completedItemCount(): number {
    return this.poll.completedItemCount;
  }

  /** How many positional results this answer carried. */
  get resultCount(): number {
    return this.poll.lazy ? this.poll.lazy.length : this.poll.results.length;
  }

  /** The result of record `index`, or undefined when it has none yet (or the array is short). */
  execution(index: number): ServiceResponse | undefined {
    const hit = this.decoded.get(index);
    if (hit) return hit;
    const lazy = this.poll.lazy;
    const raw = lazy ? (index >= 0 && lazy.present(index) ? lazy.raw(index) : undefined) : this.poll.results[index];
    if (raw === null || raw === undefined || typeof raw !== 'object') return undefined;
    const response = new ServiceResponse(raw, this.outputSchema);
    this.decoded.set(index, response);
    return response;
  }
}
