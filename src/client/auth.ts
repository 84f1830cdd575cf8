/** Bearer tokens: login, renewal before expiry (alone, or through a store that several clients share), and one forced renewal after a 401. */
import { paths, type AccessTokenResponse } from '../protocol.js';
import { MlBatchHttpError, MlBatchLoginGoneError, MlBatchProtocolError, MlBatchUsageError } from './errors.js';
import { pick } from './decode.js';
import type { TokenSet, TokenStore } from './token-store.js';

/** How a client proves who it is. */
export type Credentials =
  | { username: string; password: string }
  | { token: string; refreshToken?: string; expiresOn?: number }
  | { refreshToken: string }
  | { store: TokenStore };

/** Makes an unauthenticated JSON call; supplied by the HTTP layer. */
export type PostJson = (path: string, body: unknown) => Promise<unknown>;

/** Renew this long before the server's expiry, so a slow call never carries a dead token... */
const RENEW_MARGIN_MS = 60_000;

/** ...or a quarter of the token's life, when it lives less than four minutes (a test server's `--token-ttl 3`). */
export function renewAt(expiresAt: number, lifetimeMs: number | undefined): number {
  const margin = lifetimeMs !== undefined && lifetimeMs > 0 ? Math.min(RENEW_MARGIN_MS, lifetimeMs / 4) : RENEW_MARGIN_MS;
  return expiresAt - margin;
}

/** Holds the current access token and renews it; concurrent callers share one renewal. */
export class TokenManager {
  private access: string | undefined;
  private refresh: string | undefined;
  private expiresAt = Number.POSITIVE_INFINITY;
  private lifetimeMs: number | undefined;
  private renewing: Promise<string> | undefined;
  private readonly store: TokenStore | undefined;

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
    } else if ('store' in creds) {
      this.store = creds.store;
    }
  }

  /** The refresh token the server last gave (what `mlbatch login` keeps). */
  get refreshToken(): string | undefined {
    return this.refresh;
  }

  /** The tokens in hand (what a store keeps), or undefined before the first login or without a refresh token. */
  get current(): TokenSet | undefined {
    if (!this.refresh) return undefined;
    const expires = Number.isFinite(this.expiresAt) ? { expiresAt: this.expiresAt, lifetimeMs: this.lifetimeMs } : {};
    return { refreshToken: this.refresh, accessToken: this.access, ...expires };
  }

  /** A token valid for at least the renewal margin, renewing first if needed. */
  async token(): Promise<string> {
    if (this.access && this.now() < renewAt(this.expiresAt, this.lifetimeMs)) return this.access;
    return this.renew(this.access);
  }

  /** Called after a 401: drop the current token and get a new one (or throw if we cannot). */
  async renewAfterUnauthorized(rejected: string): Promise<string | undefined> {
    if (this.access !== rejected && this.access) return this.access;
    if (!this.canRenew()) return undefined;
    this.access = undefined;
    return this.renew(rejected);
  }

  /** True when a store, a refresh token or a password lets us get a new access token. */
  canRenew(): boolean {
    return Boolean(this.store) || Boolean(this.refresh) || 'password' in this.creds;
  }

  /** Renews once for every caller at the time; `rejected` is the access token found wanting (expired or refused). */
  private renew(rejected: string | undefined): Promise<string> {
    this.renewing ??= (this.store ? this.renewShared(this.store, rejected) : this.doRenew()).finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /**
   * Through the store: a token another client saved is taken as it is; only when none is good does
   * this one refresh, under the store's lock, with the refresh token saved last (the server
   * rotates them: the one this client was given may be dead already). A refresh the server refuses
   * is tried once more if the store has meanwhile got another refresh token.
   */
  private async renewShared(store: TokenStore, rejected: string | undefined): Promise<string> {
    // Looking costs no lock: most renewals find the token another process has just saved.
    const seen = await store.load();
    if (this.usable(seen, rejected)) return this.adopt(seen);
    let refused: string | undefined;
    const attempt = () => store.renew(async (saved) => {
      if (this.usable(saved, rejected)) return saved;
      if (!saved) throw new MlBatchLoginGoneError(store.host, 'no tokens are saved for it any more', store.loginAgain);
      refused = saved.refreshToken;
      return this.tokensOf(await this.post(paths.refreshToken, { refreshToken: saved.refreshToken }), saved.refreshToken);
    });
    try {
      return this.adopt(await attempt());
    } catch (err) {
      if (!isRefusal(err)) throw err;
      // Someone may have rotated it between our reading and our refresh: read once more before giving up.
      const again = await store.load();
      if (again && again.refreshToken !== refused) {
        try {
          return this.adopt(await attempt());
        } catch (second) {
          if (!isRefusal(second)) throw second;
        }
      }
      throw new MlBatchLoginGoneError(store.host,
        'the server refused its refresh token (expired or revoked), and no newer one was saved', store.loginAgain);
    }
  }

  /** True for saved tokens that hold an access token other than the one found wanting, not due for renewal. */
  private usable(t: TokenSet | undefined, rejected: string | undefined): t is TokenSet & { accessToken: string } {
    return Boolean(t?.accessToken) && t!.accessToken !== rejected && t!.expiresAt !== undefined
      && this.now() < renewAt(t!.expiresAt, t!.lifetimeMs);
  }

  private adopt(t: TokenSet): string {
    if (!t.accessToken) throw new MlBatchProtocolError('POST', paths.refreshToken, 'the store returned no access token');
    this.access = t.accessToken;
    this.refresh = t.refreshToken;
    this.expiresAt = t.expiresAt ?? Number.POSITIVE_INFINITY;
    this.lifetimeMs = t.lifetimeMs;
    return t.accessToken;
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
    return this.adopt(this.tokensOf(answer, this.refresh));
  }

  /** The tokens of a login or refresh answer; a server that sends no new refresh token keeps the old one good. */
  private tokensOf(answer: unknown, previousRefresh: string | undefined): TokenSet {
    const access = pick(answer, 'access_token');
    if (typeof access !== 'string' || !access) {
      throw new MlBatchProtocolError('POST', paths.login, 'the login answer has no access_token');
    }
    const refresh = pick(answer, 'refresh_token');
    const now = this.now();
    const expiresAt = expiryOf(answer as Partial<AccessTokenResponse>, now);
    const inSec = Number(pick(answer, 'expires_in'));
    const lifetimeMs = Number.isFinite(inSec) && inSec > 0 ? inSec * 1000 : Math.max(0, expiresAt - now);
    return {
      refreshToken: typeof refresh === 'string' && refresh ? refresh : previousRefresh ?? '',
      accessToken: access,
      expiresAt,
      lifetimeMs,
    };
  }
}

/** A refresh the server refused (its refresh token is unknown, expired or revoked). */
function isRefusal(err: unknown): boolean {
  return err instanceof MlBatchHttpError && !(err instanceof MlBatchLoginGoneError) && err.status === 401;
}

/** Milliseconds since the epoch at which a token expires; `expires_on` wins over `expires_in`. */
function expiryOf(answer: Partial<AccessTokenResponse>, now: number): number {
  const on = Number(pick(answer, 'expires_on'));
  if (Number.isFinite(on) && on > 0) return on * 1000;
  const inSec = Number(pick(answer, 'expires_in'));
  if (Number.isFinite(inSec) && inSec > 0) return now + inSec * 1000;
  return now + 3600_000;
}
