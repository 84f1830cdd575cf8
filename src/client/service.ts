/** A published service version: start batches, re-attach to executions, consume once. */
import { DEFAULT_PARALLEL_COUNT, isJsonObject, jsonValueOf, paths, type BatchRecord, type ParameterDefinition, type WebService } from '../protocol.js';
import { Batch } from './batch.js';
import { decodeIdList } from './decode.js';
import { MlBatchProtocolError, MlBatchUsageError } from './errors.js';
import type { Http } from './http.js';
import { ServiceResponse } from './responses.js';

/**
 * What a service takes and gives, as `capabilities()` reports it: the fields of the official
 * Python client's `capabilities()` (api, published_by, artifacts, operation_id, swagger...).
 */
export interface ServiceCapabilities {
  name: string;
  version: string;
  description: string;
  runtimeType: string;
  inputs: ParameterDefinition[];
  outputs: ParameterDefinition[];
  outputFileNames: string[];
  /** The consume endpoint's URL (`HOST/api/{name}/{version}`). */
  api: string;
  /** The URL of the service's own swagger document (fetch it with `service.swagger()`). */
  swagger: string;
  /** Files a run may produce (the Python client's `artifacts`; same as `outputFileNames`). */
  artifacts: string[];
  publishedBy: string;
  creationTime: string;
  snapshotId: string;
  operationId: string;
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
    return new Batch(this, [], options.parallelCount ?? DEFAULT_PARALLEL_COUNT, executionId, options.parallelCount !== undefined);
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

  /**
   * What the service takes and gives, from its published definition (as the Python client
   * builds its own); `swagger()` fetches the service's swagger document itself.
   */
  capabilities(): ServiceCapabilities {
    const d = this.definition;
    const files = d.outputFileNames ?? [];
    return {
      name: this.name,
      version: this.version,
      description: d.description ?? '',
      runtimeType: d.runtimeType ?? '',
      inputs: this.inputs,
      outputs: this.outputs,
      outputFileNames: files,
      api: this.http.host + paths.api(this.name, this.version),
      swagger: this.http.host + paths.swagger(this.name, this.version),
      artifacts: [...files],
      publishedBy: d.versionPublishedBy ?? '',
      creationTime: d.creationTime ?? '',
      snapshotId: d.snapshotId ?? '',
      operationId: d.operationId ?? '',
    };
  }

  /** The service's own swagger document (`GET /api/{name}/{version}/swagger.json`), as the server sends it. */
  async swagger(options: { signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const path = paths.swagger(this.name, this.version);
    const doc = await this.http.json('GET', path, { signal: options.signal });
    // A real server may send the document as a JSON string holding it.
    const parsed = typeof doc === 'string' ? jsonValueOf(doc) : doc;
    if (!isJsonObject(parsed)) {
      throw new MlBatchProtocolError('GET', this.http.host + path, 'the answer is not a swagger document (expected a JSON object)');
    }
    return parsed;
  }
}
