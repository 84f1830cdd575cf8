/**
 * The hook through which clients share one login: a store keeps the tokens where other clients
 * (other processes) find them. The client library holds no file; mlbatch's saved login
 * (`session/shared-login.ts`) is one store, with a file and a lock.
 */

/** The tokens a store keeps. */
export interface TokenSet {
  refreshToken: string;
  accessToken?: string;
  /** When the access token expires, in epoch milliseconds. */
  expiresAt?: number;
  /** How long the access token was issued for (sets how early it is renewed). */
  lifetimeMs?: number;
}

/**
 * Where a client keeps its tokens beyond its own memory. A client reuses an access token the
 * store holds while it is valid, and renews only through `renew`, so that of several clients
 * that find the token expiring together one refreshes and the others take what it saved (a
 * server that rotates refresh tokens refuses every refresh but the first).
 */
export interface TokenStore {
  /** The server the tokens are for (named in the error when they are gone). */
  readonly host: string;
  /** What to do when the tokens are gone for good, said in that error (e.g. the command that logs in again). */
  readonly loginAgain?: string;
  /** The tokens saved now, or undefined when there are none. */
  load(): Promise<TokenSet | undefined>;
  /**
   * Runs `renew` with the tokens saved now while no other renewal of this store runs, in this
   * process or another, and saves what it returns unless that is what it was given.
   */
  renew(renew: (saved: TokenSet | undefined) => Promise<TokenSet>): Promise<TokenSet>;
}
