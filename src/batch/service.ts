/** A published service version: start batches, re-attach to executions, consume once. */
import { DEFAULT_PARALLEL_COUNT, paths, type BatchRecord, type ParameterDefinition, type WebService } from '../protocol.js';
import { Batch } from './batch.js';
import { decodeIdList } from './decode.js';
import { MlBatchUsageError } from './errors.js';
import type { Http } from './http.js';
import { ServiceResponse } from './responses.js';

/** What a service takes and gives, as `capabilities()` reports it. */
export interface ServiceCapabilities {
  name: string;
  version: string;
  description: string;
  runtimeType: string;
  inputs: ParameterDefinition[];
  outputs: ParameterDefinition[];
  outputFileNames: string[];
}

/** One service version on one server. */
export class Service {
  /** @internal Use `client.getService()`. */
  constructor(
    readonly http: Http,
    readonly definition: WebService,
  ) {}

  /** The service's name. */
  get name(): string {
    return this.definition.name;
  }

  /** The service's version. */
  get version(): string {
    return this.definition.version;
  }

  /** Declared inputs, in order. */
  get inputs(): ParameterDefinition[] {
    return this.definition.inputParameterDefinitions ?? [];
  }

  /** Declared outputs, in order. */
  get outputs(): ParameterDefinition[] {
    return this.definition.outputParameterDefinitions ?? [];
  }

  /** A batch of `records`, not started yet: call `start()`. */
  batch(records: readonly BatchRecord[], options: { parallelCount?: number } = {}): Batch {
    const parallelCount = options.parallelCount ?? DEFAULT_PARALLEL_COUNT;
    if (!Number.isInteger(parallelCount) || parallelCount < 1) {
      throw new MlBatchUsageError(`parallelCount must be a whole number of at least 1, not ${parallelCount}`);
    }
    return new Batch(this, records, parallelCount);
  }

  /** Re-attaches to an execution started earlier (by anyone) from its id. */
  getBatch(executionId: string, options: { parallelCount?: number } = {}): Batch {
    if (!executionId) throw new MlBatchUsageError('an execution id is needed');
    return new Batch(this, [], options.parallelCount ?? DEFAULT_PARALLEL_COUNT, executionId);
  }

  /** Ids of this service's executions, as the server lists them. */
  async listBatchExecutions(): Promise<string[]> {
    return decodeIdList(await this.http.json('GET', paths.batch(this.name, this.version)));
  }

  /** Runs the service once on `inputs` (not a batch). */
  async consume(inputs: BatchRecord): Promise<ServiceResponse> {
    const raw = await this.http.json('POST', paths.api(this.name, this.version), { body: inputs });
    return new ServiceResponse(raw, this.outputs);
  }

  /** What the service takes and gives. */
  capabilities(): ServiceCapabilities {
    return {
      name: this.name,
      version: this.version,
      description: this.definition.description ?? '',
      runtimeType: this.definition.runtimeType ?? '',
      inputs: this.inputs,
      outputs: this.outputs,
      outputFileNames: this.definition.outputFileNames ?? [],
    };
  }
}
