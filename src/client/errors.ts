/** Typed errors of the client: each message reads as advice for the person running mlbatch. */
import { safeText } from '../text/safe-text.js';

/** What a status code usually means for someone using mlbatch, keyed by method-independent cause. */
function adviceFor(status: number, method: string, path: string): string {
  if (status === 401 && path.startsWith('/login')) return 'check the user name and password';
  if (status === 401) return 'the session expired or the token is invalid; log in again';
  if (status === 403) return 'this user may not do that on this server';
  if (status === 404 && path.includes('/batch/')) return 'no such execution, index or file on this service';
  if (status === 404) return 'no such service or version on this server (see `mlbatch services`)';
  if (status === 400 || status === 422) return 'the server refused the request as sent';
  if (status === 409) return 'the server is in a state that does not allow this now';
  if (status === 413) return 'the request is too large for the server; send fewer records';
  if (status === 429) return 'the server is busy; try again shortly';
  if (status >= 500) {
    return method === 'GET'
      ? 'the server failed; it was retried and kept failing'
      : 'the server failed; it was not retried, check the server before trying again';
  }
  return 'unexpected answer from the server';
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  409: 'Conflict', 413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** An HTTP answer with an error status; `message` says what to do about it. */
export class MlBatchHttpError extends Error {
  override readonly name: string = 'MlBatchHttpError';
  /** The server's own message, when its error body had one, as sent (the `message` has it made safe to show). */
  readonly serverMessage: string | undefined;
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    serverMessage?: string,
  ) {
    const path = pathOf(url);
    const reason = REASONS[status] ?? 'Error';
    // The server's words are shown to a terminal: they must not clear it or retitle it.
    const said = serverMessage ? ` (server said: ${safeText(serverMessage.slice(0, 300))})` : '';
    super(`${status} ${reason} from ${method} ${path}: ${adviceFor(status, method, path)}${said}`);
    this.serverMessage = serverMessage;
  }
}

/**
 * A shared login (a token store's) that no refresh can bring back: its refresh token was refused
 * and no newer one was saved, or its tokens were removed. A 401: final, and a connection error.
 */
export class MlBatchLoginGoneError extends MlBatchHttpError {
  override readonly name = 'MlBatchLoginGoneError';
  constructor(
    readonly host: string,
    reason: string,
    loginAgain = 'log in again',
  ) {
    super(401, 'POST', `${host}/login/refreshToken`);
    this.message = `the saved login for ${safeText(host)} is gone: ${reason}; ${loginAgain}`;
  }
}

/** The server could not be reached, or the connection broke, or the call timed out. */
export class MlBatchNetworkError extends Error {
  override readonly name = 'MlBatchNetworkError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
    readonly timedOut = false,
  ) {
    const path = pathOf(url);
    const origin = originOf(url);
    const advice = timedOut
      ? 'the server may be overloaded or stuck; try again later, or raise the limit (MLBATCH_TIMEOUT, MLBATCH_STALL_TIMEOUT: seconds)'
      : /WRONG_VERSION_NUMBER|wrong version number|packet length too long/i.test(reason)
        ? `the server at ${origin} does not speak HTTPS on that port; try ${origin.replace(/^https:/i, 'http:')}`
      : /certificate|self.signed|CERT|TLS|SSL/i.test(reason)
        ? 'the TLS certificate was refused; use --insecure only if you trust this server'
        : `check that the server runs at ${origin} and is reachable`;
    // A start or cancel cut off after it was sent may have been acted on: say so before a re-run.
    const cutOff = method !== 'GET' && (timedOut || /ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/i.test(reason));
    const warning = cutOff ? '; it was not retried because the server may have acted on it: check before sending it again' : '';
    super(`${method} ${path} failed (${safeText(reason)}): ${advice}${warning}`);
  }
}

/** The server answered something the client cannot use (too large, truncated, not JSON, bad shape). */
export class MlBatchProtocolError extends Error {
  override readonly name = 'MlBatchProtocolError';
  constructor(
    readonly method: string,
    readonly url: string,
    detail: string,
  ) {
    super(`${method} ${pathOf(url)}: ${safeText(detail)}`);
  }
}

/** Misuse of the library or bad local input (e.g. starting a batch twice, an unsafe file name). */
export class MlBatchUsageError extends Error {
  override readonly name = 'MlBatchUsageError';
}

/** A service, version or execution the server says does not exist, named as such. */
export class MlBatchNotFoundError extends Error {
  override readonly name = 'MlBatchNotFoundError';
  constructor(
    readonly what: 'service' | 'version' | 'execution',
    message: string,
  ) {
    super(safeText(message));
  }
}

/**
 * True for an answer that waiting cannot change (no such thing, refused, forbidden): polling on
 * would only hide it. Network errors, timeouts, 408, 429 and 5xx may pass and are retried.
 */
export function isFinalError(err: unknown): boolean {
  if (err instanceof MlBatchNotFoundError) return true;
  return err instanceof MlBatchHttpError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
}

/** True for errors that mean the server cannot be reached or refuses who we are. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof MlBatchNetworkError) return true;
  return err instanceof MlBatchHttpError && (err.status === 401 || err.status === 403);
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
