/** The one HTTP layer of the client: auth, retries, timeouts, size limits and typed errors. */
import { ofetch, type $Fetch } from 'ofetch';
import { MlBatchHttpError, MlBatchLoginGoneError, MlBatchNetworkError, MlBatchProtocolError } from './errors.js';
import { TokenManager, type Credentials } from './auth.js';
import { insecureDispatcher } from './tls.js';
import { withScheme } from './host.js';
import { pick } from './decode.js';
import { Deadline, formatSeconds, resolveLimits, type TimeLimits } from './limits.js';
import { BodyTooLarge, readBody } from './read-body.js';
import { formatBytes } from '../text/units.js';
import { realClock, type Clock } from './clock.js';

/** Options of the HTTP layer; every field has a sensible default. */
export interface HttpOptions {
  /** Base URL, e.g. `http://localhost:12800`. */
  host: string;
  /** Accept self-signed TLS certificates (ML Server one-boxes); off unless asked. */
  insecure?: boolean;
  /**
   * Whole-request limit of an ordinary call, body and retries included. Default 60 s, or
   * MLBATCH_TIMEOUT seconds (which sets every whole-request limit below too).
   */
  timeoutMs?: number;
  /** Whole-request limit of a poll (a large execution's answer is large). Default 5 min. */
  pollTimeoutMs?: number;
  /** Whole-request limit of a start (it sends every record). Default 10 min. */
  startTimeoutMs?: number;
  /** Whole-file limit of an artifact download. Default 30 min. */
  downloadTimeoutMs?: number;
  /**
   * Longest wait for the next byte of a body once the answer has begun, whatever the call's
   * whole limit. Default 30 s, or MLBATCH_STALL_TIMEOUT seconds.
   */
  stallTimeoutMs?: number;
  /** Largest answer accepted. Default 512 MiB. */
  maxResponseBytes?: number;
  /** How often a GET is retried on network errors and 502/503/504. Default 4. */
  retries?: number;
  /** First retry delay; doubles per retry, capped at `retryMaxMs`, with jitter. Default 200 ms. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 5 s. */
  retryMaxMs?: number;
  /** Where retry delays and token lifetimes take their time from. Default the real clock; tests pass their own. */
  clock?: Clock;
}

/** Per-call options. */
export interface CallOptions {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Send the bearer token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** Whole-request limit of this call, its retries included (default: the client's `timeoutMs`). */
  timeoutMs?: number;
}

/** A raw answer: its bytes and content type. */
export interface RawAnswer {
  bytes: Buffer;
  contentType: string;
}

const RETRY_STATUSES = new Set([502, 503, 504]);

/** Normalises a host given by a user: adds http:// when no scheme is given, drops trailing slashes. */
export function normaliseHost(host: string): string {
  if (!host.trim().replace(/\/+$/, '')) throw new MlBatchNetworkError('GET', host, 'empty host');
  return withScheme(host);
}

/** Issues calls against one server with one ofetch instance. */
export class Http {
  readonly host: string;
  readonly tokens: TokenManager | undefined;
  /** The time limits in force (options, then the environment, then the defaults). */
  readonly limits: TimeLimits;
  private readonly fetcher: $Fetch;
  private readonly clock: Clock;
  private readonly opts: { insecure: boolean; maxResponseBytes: number; retries: number; retryBaseMs: number; retryMaxMs: number };

  constructor(options: HttpOptions, credentials?: Credentials) {
    this.host = normaliseHost(options.host);
    this.limits = resolveLimits(options);
    this.clock = options.clock ?? realClock;
    this.opts = {
      insecure: options.insecure ?? false,
      maxResponseBytes: options.maxResponseBytes ?? 512 * 1024 * 1024,
      retries: options.retries ?? 4,
      retryBaseMs: options.retryBaseMs ?? 200,
      retryMaxMs: options.retryMaxMs ?? 5_000,
    };
    // Retries, errors and body reading are ours: ofetch only builds URLs and sends.
    this.fetcher = ofetch.create({
      baseURL: this.host,
      retry: false,
      ignoreResponseError: true,
      responseType: 'stream',
    });
    this.tokens = credentials
      ? new TokenManager(credentials, (path, body) => this.json('POST', path, { body, auth: false }), () => this.clock.now())
      : undefined;
  }

  /** Calls and decodes a JSON answer (undefined for an empty body). */
  async json(method: string, path: string, call: CallOptions = {}): Promise<unknown> {
    const { bytes } = await this.raw(method, path, call);
    return bytes.length === 0 ? undefined : this.parse(method, path, bytes.toString('utf8'), bytes.length);
  }

  /** Calls and returns the answer as text (undefined for an empty body), for callers that read it themselves. */
  async text(method: string, path: string, call: CallOptions = {}): Promise<string | undefined> {
    const { bytes } = await this.raw(method, path, call);
    return bytes.length === 0 ? undefined : bytes.toString('utf8');
  }

  /** JSON.parse with the error `json` gives for an answer that is not JSON (`bytes`: the answer's size). */
  parse(method: string, path: string, text: string, bytes = Buffer.byteLength(text)): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new MlBatchProtocolError(method, this.host + path,
        `the answer is not valid JSON (${bytes} bytes; truncated or not an ML Server?)`);
    }
  }

  /**
   * Calls and returns the answer's bytes; retries GETs, renews the token once on a 401. The
   * call's whole-request limit bounds its attempts together, and an attempt that timed out is
   * retried once at most: a stuck server costs one limit, not one per retry.
   */
  async raw(method: string, path: string, call: CallOptions = {}): Promise<RawAnswer> {
    const retries = method === 'GET' ? this.opts.retries : 0;
    const limitMs = call.timeoutMs ?? this.limits.timeoutMs;
    const endAt = this.clock.now() + limitMs;
    let timeouts = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, call, false, { endAt, limitMs, attempt });
      } catch (err) {
        const timedOut = err instanceof MlBatchNetworkError && err.timedOut;
        if (timedOut) timeouts++;
        const retryable = (err instanceof MlBatchNetworkError && timeouts <= 1)
          || (err instanceof MlBatchHttpError && RETRY_STATUSES.has(err.status));
        if (!retryable || attempt >= retries || call.signal?.aborted) throw err;
        const delay = backoff(attempt, this.opts.retryBaseMs, this.opts.retryMaxMs);
        // No time left for another attempt: the error at hand is the answer.
        if (this.clock.now() + delay >= endAt) throw err;
        await this.clock.sleep(delay, call.signal);
      }
    }
  }

  private async once(method: string, path: string, call: CallOptions, renewed: boolean, budget: Budget): Promise<RawAnswer> {
    const headers: Record<string, string> = { accept: 'application/json, */*' };
    let token: string | undefined;
    if (call.auth !== false && this.tokens) {
      token = await this.tokens.token();
      headers.authorization = `Bearer ${token}`;
    }
    const url = this.host + path;
    const deadline = new Deadline(Math.max(1, budget.endAt - this.clock.now()), this.limits.stallTimeoutMs, call.signal);
    let response: Response;
    let bytes: Buffer;
    try {
      try {
        response = await this.fetcher.raw(path, {
          method: method as 'GET',
          query: call.query,
          body: call.body as Record<string, unknown> | undefined,
          headers,
          signal: deadline.signal,
          ...(this.opts.insecure ? { dispatcher: await insecureDispatcher() } : {}),
        });
        deadline.progress();
        bytes = await this.readBody(method, url, response, deadline);
      } catch (err) {
        if (err instanceof MlBatchProtocolError) throw err;
        throw this.networkError(method, url, err, call.signal, deadline.fired, budget);
      }
    } finally {
      deadline.dispose();
    }
    // A 401 means the server did nothing, so even a start (POST) is safely sent again, once.
    if (response.status === 401 && token && !renewed && this.tokens) {
      // A login that is gone for good says so; any other failed renewal leaves the call's own 401 to be told.
      const fresh = await this.tokens.renewAfterUnauthorized(token).catch((err: unknown) => {
        if (err instanceof MlBatchLoginGoneError) throw err;
        return undefined;
      });
      if (fresh) return this.once(method, path, call, true, budget);
    }
    if (response.status >= 400) {
      throw new MlBatchHttpError(response.status, method, url, serverMessage(bytes));
    }
    return { bytes, contentType: response.headers.get('content-type') ?? '' };
  }

  /** Reads a body, stopping at the size limit instead of buffering whatever a server sends. */
  private async readBody(method: string, url: string, response: Response, deadline: Deadline): Promise<Buffer> {
    const limit = this.opts.maxResponseBytes;
    const tooBig = () => new MlBatchProtocolError(method, url,
      `the answer is larger than the ${formatBytes(limit)} limit (maxResponseBytes); ` +
      'ask for less (e.g. showPartialResults=false) or raise the limit');
    const declared = Number(response.headers.get('content-length') ?? NaN);
    const body = (response as unknown as { _data?: ReadableStream<Uint8Array> })._data ?? response.body;
    if (Number.isFinite(declared) && declared > limit) {
      await body?.cancel().catch(() => {});
      throw tooBig();
    }
    if (!body) return Buffer.alloc(0);
    // A compressed body's declared length is not the length of what it decodes to.
    const exact = Number.isSafeInteger(declared) && declared >= 0 && !response.headers.get('content-encoding');
    try {
      return await readBody(body, exact ? declared : undefined, limit, () => deadline.progress());
    } catch (err) {
      if (err instanceof BodyTooLarge) throw tooBig();
      throw err;
    }
  }

  private networkError(method: string, url: string, err: unknown, user: AbortSignal | undefined,
    fired: 'whole' | 'stall' | undefined, budget: Budget): Error {
    if (user?.aborted) return user.reason instanceof Error ? user.reason : new Error('aborted');
    const attempts = budget.attempt > 0 ? `; ${budget.attempt + 1} attempts` : '';
    if (fired === 'stall') {
      return new MlBatchNetworkError(method, url, `no data from the server for ${formatSeconds(this.limits.stallTimeoutMs)}${attempts}`, true);
    }
    if (fired === 'whole') {
      return new MlBatchNetworkError(method, url, `the request took longer than ${formatSeconds(budget.limitMs)}${attempts}`, true);
    }
    return new MlBatchNetworkError(method, url, rootCause(err));
  }
}

/** One call's time: when its whole-request limit ends, that limit, and which attempt this is. */
interface Budget {
  endAt: number;
  limitMs: number;
  attempt: number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** The innermost cause's code or message: ofetch and undici wrap the system error twice. */
function rootCause(err: unknown): string {
  let e = err as { cause?: unknown; code?: unknown; message?: unknown } | undefined;
  let reason = err instanceof Error ? err.message : String(err);
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') reason = e.code;
    else if (typeof e.message === 'string' && e.message) reason = e.message;
    e = e.cause as typeof e;
  }
  return reason;
}

function serverMessage(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = bytes.subarray(0, 4096).toString('utf8');
  try {
    const message = pick(JSON.parse(text), 'message');
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: an HTML error page or plain text; its start is still worth showing.
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
}
