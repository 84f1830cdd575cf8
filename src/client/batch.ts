/** One batch execution: start it once, poll it, cancel it, fetch its artifacts. */
import { join } from 'node:path';
import { CHANGED_SINCE, isEndedState, paths, type BatchRecord, type ParameterDefinition, type WebService } from '../protocol.js';
import { decodeExecutionId, decodeFileList, decodePoll, type DecodedPoll } from './decode.js';
import { MlBatchHttpError, MlBatchProtocolError, MlBatchUsageError } from './errors.js';
import { scanPoll } from './poll-scan.js';
import { ensureDirectory, writeFileSafely, type WriteOptions } from './files.js';
import { BatchResponse } from './responses.js';
import type { Http } from './http.js';
import { safeText } from '../text/safe-text.js';

/** Options of one poll. */
export interface ResultsOptions {
  /** Include finished items' results before the execution ends (default true). */
  showPartialResults?: boolean;
  signal?: AbortSignal;
  /** Whole-request limit of this poll, retries included (default: the client's `pollTimeoutMs`). */
  timeoutMs?: number;
  /** A cursor from an earlier answer: a server that keeps one answers only what changed since (see poll-extension.ts). */
  changedSince?: string;
}

/** Options of `download`. */
export interface DownloadOptions extends WriteOptions {
  /** One file; default every file of the index. */
  fileName?: string;
  /** Directory to write into; created when missing. */
  destination: string;
}

/** More items than any one start request could carry within the size limits. */
const MAX_TRACKED_ITEMS = 100_000_000;

/** What a batch needs of its service: its name, version and connection. */
export interface BatchOwner {
  readonly name: string;
  readonly version: string;
  readonly http: Http;
  readonly definition: WebService;
  readonly outputs: ParameterDefinition[];
}

/** A batch execution of one service. Not started until `start()`, unless re-attached by id. */
export class Batch {
  private id: string | undefined;
  private starting = false;

  /** @internal Use `service.batch()` or `service.getBatch()`. */
  constructor(
    readonly service: BatchOwner,
    readonly records: readonly BatchRecord[],
    readonly parallelCount: number,
    executionId?: string,
    /** False for an execution re-attached by id without its parallelCount: `parallelCount` is then only the default. */
    readonly parallelCountKnown = executionId === undefined,
  ) {
    this.id = executionId;
  }

  /** The execution id once started (or re-attached); undefined before. */
  get executionId(): string | undefined {
    return this.id;
  }

  /** Sends the records and starts the execution. Never retried, and refused once started. */
  async start(options: { signal?: AbortSignal } = {}): Promise<this> {
    if (this.id) throw new MlBatchUsageError(`this batch was already started as execution ${this.id}`);
    if (this.starting) throw new MlBatchUsageError('this batch is already being started');
    if (this.records.length === 0) throw new MlBatchUsageError('a batch needs at least one record');
    this.starting = true;
    try {
      const path = paths.batch(this.service.name, this.service.version);
      const answer = await this.service.http.json('POST', path, {
        query: { parallelCount: this.parallelCount },
        body: this.records,
        signal: options.signal,
        timeoutMs: this.service.http.limits.startTimeoutMs,
      });
      const id = decodeExecutionId(answer);
      if (!id) throw new MlBatchProtocolError('POST', this.service.http.host + path, 'the answer has no batchExecutionId');
      this.id = id;
      return this;
    } finally {
      this.starting = false;
    }
  }

  /** The execution id, or a clear error when the batch was never started. */
  requireId(): string {
    if (!this.id) throw new MlBatchUsageError('this batch has not been started: call start() first');
    return this.id;
  }

  /** One poll, decoded but not wrapped (what the Poller uses). */
  async poll(options: ResultsOptions = {}): Promise<DecodedPoll> {
    const partial = options.showPartialResults ?? true;
    const http = this.service.http;
    const path = paths.execution(this.service.name, this.service.version, this.requireId());
    const { bytes } = await http.raw('GET', path, {
      // The Python client spells it without the s; servers accept one or the other.
      query: {
        showPartialResults: partial,
        showPartialResult: partial,
        ...(options.changedSince !== undefined ? { [CHANGED_SINCE]: options.changedSince } : {}),
      },
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? http.limits.pollTimeoutMs,
    });
    // One pass over the bytes, no text and no object per item; any surprise takes the full parse.
    const poll = (bytes.length === 0 ? undefined : scanPoll(bytes))
      ?? decodePoll(bytes.length === 0 ? undefined : http.parse('GET', path, bytes.toString('utf8'), bytes.length));
    // Per-item state is one byte per item: a count no batch request could have produced is refused.
    if (poll.totalItemCount > MAX_TRACKED_ITEMS) {
      throw new MlBatchProtocolError('GET', this.service.http.host + paths.execution(this.service.name, this.service.version, this.requireId()),
        `the server reports ${poll.totalItemCount} items, more than mlbatch tracks (${MAX_TRACKED_ITEMS})`);
    }
    poll.bytes = bytes.length;
    return poll;
  }

  /** The execution's state, counts and (by default) partial results. */
  async results(options: ResultsOptions = {}): Promise<BatchResponse> {
    return new BatchResponse(await this.poll(options), this.service.outputs);
  }

  /**
   * Asks the server to cancel. Never retried; cancelling an ended execution is not an error,
   * even from a server that refuses it with 400 or 409: the execution's state then decides.
   */
  async cancel(): Promise<void> {
    try {
      await this.service.http.json('DELETE', paths.execution(this.service.name, this.service.version, this.requireId()));
    } catch (err) {
      if (!(err instanceof MlBatchHttpError && (err.status === 400 || err.status === 409))) throw err;
      const state = await this.poll({ showPartialResults: false }).then((p) => p.state, () => null);
      if (state === null || !isEndedState(state)) throw err;
    }
  }

  /** Names of the files record `index` produced (empty when none; a null answer is empty). */
  async listArtifacts(index: number, options: { signal?: AbortSignal } = {}): Promise<string[]> {
    checkIndex(index);
    const path = paths.files(this.service.name, this.service.version, this.requireId(), index);
    return decodeFileList(await this.service.http.json('GET', path, { signal: options.signal }));
  }

  /** One artifact's bytes; a JSON string of base64 (as a real server may send) is decoded. */
  async artifact(index: number, fileName: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    checkIndex(index);
    // A URL resolves "." and ".." (even percent-encoded) as dot segments: such a name would fetch
    // another endpoint, so it cannot be fetched at all.
    if (fileName === '.' || fileName === '..' || fileName === '') {
      throw new MlBatchUsageError(`cannot fetch a file named ${safeText(JSON.stringify(fileName))}: it is not a file name`);
    }
    const path = paths.file(this.service.name, this.service.version, this.requireId(), index, fileName);
    const http = this.service.http;
    const { bytes, contentType } = await http.raw('GET', path, { signal: options.signal, timeoutMs: http.limits.downloadTimeoutMs });
    return decodeArtifactBody(bytes, contentType);
  }

  /** Writes record `index`'s files (or one of them) into `destination`; returns the paths. */
  async download(index: number, options: DownloadOptions): Promise<string[]> {
    const dir = await ensureDirectory(options.destination);
    const names = options.fileName !== undefined ? [options.fileName] : await this.listArtifacts(index);
    const written: string[] = [];
    for (const name of names) {
      const bytes = await this.artifact(index, name);
      written.push((await writeFileSafely(dir, name, bytes, options)).path);
    }
    return written;
  }

  /** Where `download` of the whole execution puts index `i`'s files: `<dest>/<i>`. */
  static indexDirectory(destination: string, index: number): string {
    return join(destination, String(index));
  }
}

/** Decodes an artifact answer: raw bytes as they are, or a JSON string holding base64. */
export function decodeArtifactBody(bytes: Buffer, contentType: string): Buffer {
  if (!/json/i.test(contentType)) return bytes;
  const text = bytes.toString('utf8').trim();
  if (!text.startsWith('"')) return bytes;
  try {
    const inner = JSON.parse(text);
    // Only a string that is base64 through and through: a JSON file holding one plain string stays as is.
    const compact = typeof inner === 'string' ? inner.replace(/\s+/g, '') : '';
    if (compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return Buffer.from(compact, 'base64');
  } catch {
    // Not one JSON string: keep the bytes as sent.
  }
  return bytes;
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0) {
    throw new MlBatchUsageError(`an index is a whole number from 0, not ${index}`);
  }
}
