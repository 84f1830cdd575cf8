/** Bearer tokens: login, renewal before expiry, and one forced renewal after a 401. */
import { paths, type AccessTokenResponse } from '../protocol.js';
import { MlBatchProtocolError, MlBatchUsageError } from './errors.js';
import { pick } from './decode.js';

/** How a client proves who it is. */
export type Credentials =
  | { username: string; password: string }
  | { token: string; refreshToken?: string; expiresOn?: number }
  | { refreshToken: string };

/** Makes an unauthenticated JSON call; supplied by the HTTP layer. */
export type PostJson = (path: string, body: unknown) => Promise<unknown>;

/** Renew this long before the server's expiry, so a slow call never carries a dead token. */
const RENEW_MARGIN_MS = 60_000;

/** Holds the current access token and renews it; concurrent callers share one renewal. */
export class TokenManager {
  private access: string | undefined;
  private refresh: string | undefined;
  private expiresAt = Number.POSITIVE_INFINITY;
  private renewing: Promise<string> | undefined;

  constructor(
    private readonly creds: Credentials,
    private readonly post: PostJson,
    /** Epoch milliseconds now (the HTTP layer's clock). */
    private readonly now: () => number = Date.now,
  ) {
    if ('token' in creds) {
      this.access = creds.token;
      this.refresh = creds.refreshToken;
      this.expiresAt = creds.expiresOn ?? Number.POSITIVE_INFINITY;
    } else if ('refreshToken' in creds) {
      this.refresh = creds.refreshToken;
    }
  }

  /** The refresh token the server last gave (what `mlbatch login` keeps). */
  get refreshToken(): string | undefined {
    return this.refresh;
  }

  /** A token valid for at least the renewal margin, renewing first if needed. */
  async token(): Promise<string> {
    if (this.access && this.now() < this.expiresAt - RENEW_MARGIN_MS) return this.access;
    return this.renew();
  }

  /** Called after a 401: drop the current token and get a new one (or throw if we cannot). */
  async renewAfterUnauthorized(rejected: string): Promise<string | undefined> {
    if (this.access !== rejected && this.access) return this.access;
    if (!this.canRenew()) return undefined;
    this.access = undefined;
    return this.renew();
  }

  /** True when a refresh token or a password lets us get a new access token. */
  canRenew(): boolean {
    return Boolean(this.refresh) || 'password' in this.creds;
  }

  private renew(): Promise<string> {
    this.renewing ??= this.doRenew().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async doRenew(): Promise<string> {
    let answer: unknown;
    if (this.refresh) {
      try {
        answer = await this.post(paths.refreshToken, { refreshToken: this.refresh });
      } catch (err) {
        // An expired refresh token is not fatal when we still have the password.
        if (!('password' in this.creds)) throw err;
      }
    }
    if (answer === undefined) {
      if (!('password' in this.creds)) {
        if (this.access) return this.access;
        throw new MlBatchUsageError('no way to renew the access token: log in again');
      }
      answer = await this.post(paths.login, {
        username: this.creds.username,
        password: this.creds.password,
      });
    }
    return this.accept(answer);
  }

  private accept(answer: unknown): string {
    const access = pick(answer, 'access_token');
    if (typeof access !== 'string' || !access) {
      throw new MlBatchProtocolError('POST', paths.login, 'the login answer has no access_token');
    }
    this.access = access;
    const refresh = pick(answer, 'refresh_token');
    if (typeof refresh === 'string' && refresh) this.refresh = refresh;
    this.expiresAt = expiryOf(answer as Partial<AccessTokenResponse>, this.now());
    return access;
  }
}

/** Milliseconds since the epoch at which a token expires; `expires_on` wins over `expires_in`. */
function expiryOf(answer: Partial<AccessTokenResponse>, now: number): number {
  const on = Number(pick(answer, 'expires_on'));
  if (Number.isFinite(on) && on > 0) return on * 1000;
  const inSec = Number(pick(answer, 'expires_in'));
  if (Number.isFinite(inSec) && inSec > 0) return now + inSec * 1000;
  return now + 3600_000;
}
