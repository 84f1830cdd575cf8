/** Login, token refresh and revoke, and `/status`. */
import type { FastifyInstance } from 'fastify';
import { routes, type StatusResponse } from '../protocol.js';
import type { Auth } from './auth.js';
import { badRequest } from './errors.js';
import { LoginThrottle } from './login-throttle.js';

/** What `/status` reports besides the runtimes. */
export interface StatusSource {
  runtimes(): Promise<Record<string, boolean>>;
  details(): Record<string, unknown>;
}

/** Registers the authentication and status routes; `now` is the login throttle's clock. */
export function authRoutes(app: FastifyInstance, auth: Auth, status: StatusSource, now: () => number = Date.now): void {
  const throttle = new LoginThrottle(now);

  app.post(routes.login, { config: { public: true } }, async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.username !== 'string' || typeof body.password !== 'string') {
      throw badRequest('body must be {"username": string, "password": string}');
    }
    const { username, password } = body;
    return throttle.attempt(username, req.ip, () => auth.login(username, password));
  });

  app.post(routes.refreshToken, { config: { public: true } }, async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.refreshToken !== 'string') {
      throw badRequest('body must be {"refreshToken": string}');
    }
    return auth.refresh(body.refreshToken);
  });

  app.delete(routes.refreshToken, async (req) => {
    const token = (req.query as Record<string, unknown>).refreshToken;
    if (typeof token !== 'string' || token === '') {
      throw badRequest('query parameter refreshToken is required');
    }
    auth.revoke(token);
    return {};
  });

  app.get(routes.status, async (): Promise<StatusResponse> => {
    const runtimes = await status.runtimes();
    const components: Record<string, StatusResponse> = {};
    for (const [name, ok] of Object.entries(runtimes)) {
      components[name] = { statusCode: ok ? 'pass' : 'warn', details: { available: ok } };
    }
    return {
      statusCode: 'pass',
      details: { server: 'mlbatch', runtimes, ...status.details() },
      components: { database: { statusCode: 'pass' }, runtimes: { statusCode: 'pass', components } },
    };
  });
}
