/** Errors that answer with an HTTP status and the protocol's `{"message"}` body. */

/** An error whose status and message go to the client as they are. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Headers the answer carries, e.g. `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 400: the request itself is wrong. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

/** 401: no valid credentials or token. */
export function unauthorized(message: string): HttpError {
  return new HttpError(401, message);
}

/** 404: an unknown service, version, execution, index or file. */
export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}

/** 409: the thing already exists. */
export function conflict(message: string): HttpError {
  return new HttpError(409, message);
}

/** 429: too many attempts; `Retry-After` says in how many seconds to try again. */
export function tooManyRequests(message: string, retryAfterSeconds: number): HttpError {
  return new HttpError(429, message, { 'retry-after': String(retryAfterSeconds) });
}
