/** `connect()` and the Client: services of one server, reached with one authenticated HTTP layer. */
import { paths, type StatusResponse, type WebService } from '../protocol.js';
import type { Credentials } from './auth.js';
import type { TokenSet, TokenStore } from './token-store.js';
import { decodeService, decodeServices, pick } from './decode.js';
import { MlBatchHttpError, MlBatchUsageError } from './errors.js';
import { Http, type HttpOptions } from './http.js';
import { Service } from './service.js';

/**
 * How to reach and log in to a server: a user name and password, an access token, a refresh
 * token, or a token store that several clients share (see `TokenStore`).
 */
export type ConnectOptions = Omit<HttpOptions, 'host'> & { host: string } & (
  | { username: string; password: string; token?: undefined; refreshToken?: undefined; tokenStore?: undefined }
  | { token: string; refreshToken?: string; username?: undefined; password?: undefined; tokenStore?: undefined }
  | { refreshToken: string; token?: undefined; username?: undefined; password?: undefined; tokenStore?: undefined }
  | { tokenStore: TokenStore; token?: undefined; refreshToken?: undefined; username?: undefined; password?: undefined }
);

/**
 * Connects (logging in when given a password or refresh token; with a store, taking its access
 * token while it is valid) and returns a Client.
 */
export async function connect(options: ConnectOptions): Promise<Client> {
  const creds = credentialsOf(options);
  const http = new Http(options, creds);
  // Logging in now turns bad credentials into an error at connect time, not at the first call.
  if (!('token' in creds)) await http.tokens!.token();
  return new Client(http);
}

function credentialsOf(o: ConnectOptions): Credentials {
  if (o.tokenStore) return { store: o.tokenStore };
  if (o.token) return { token: o.token, refreshToken: o.refreshToken };
  if (o.username !== undefined && o.password !== undefined) return { username: o.username, password: o.password };
  if (o.refreshToken) return { refreshToken: o.refreshToken };
  throw new MlBatchUsageError('connect needs {username, password}, {token}, {refreshToken} or {tokenStore}');
}

/** A connection to one ML Server (or the embedded one). */
export class Client {
  /** @internal Use `connect()`. */
  constructor(readonly http: Http) {}

  /** The server's base URL. */
  get host(): string {
    return this.http.host;
  }

  /** The latest refresh token (what a login keeps to connect again without the password). */
  get refreshToken(): string | undefined {
    return this.http.tokens?.refreshToken;
  }

  /** The tokens in hand with the access token's expiry (what a saved login keeps), if any. */
  get tokenSet(): TokenSet | undefined {
    return this.http.tokens?.current;
  }

  /** Every published service version. */
  async listServices(): Promise<WebService[]> {
    return decodeServices(await this.http.json('GET', paths.services));
  }

  /** One service version; the server may answer an array or an object, either is accepted. */
  async getService(name: string, version: string): Promise<Service> {
    const answer = decodeServices(await this.http.json('GET', paths.serviceVersion(name, version)));
    const match = answer.find((s) => s.name === name && s.version === version)
      ?? answer.find((s) => s.version === version) ?? answer[0];
    if (!match) {
      throw new MlBatchHttpError(404, 'GET', this.host + paths.serviceVersion(name, version),
        `no service ${name} version ${version}`);
    }
    return new Service(this.http, { ...match, name: match.name || name, version: match.version || version });
  }

  /** A Service from a definition already at hand (no call); for re-attaching quickly. */
  service(definition: WebService): Service {
    return new Service(this.http, decodeService(definition));
  }

  /** The server's health (`GET /status`). */
  async status(): Promise<StatusResponse> {
    const raw = await this.http.json('GET', paths.status);
    const code = String(pick(raw, 'statusCode') ?? 'fail').toLowerCase();
    return { statusCode: code === 'pass' || code === 'warn' ? code : 'fail' };
  }
}
