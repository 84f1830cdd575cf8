/** The fastify instance: JSON parsing, `{"message"}` errors, bearer-token checks, request log. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Auth } from './auth.js';
import { HttpError, badRequest, unauthorized } from './errors.js';
import { parseJson } from '../protocol.js';
import type { ServerLimits } from './options.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a bearer token (login and refresh only). */
    public?: boolean;
  }
}

/** Builds the fastify app with everything routes share. */
export function createApp(auth: Auth, limits: ServerLimits, log: (line: string) => void): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: limits.maxBodyBytes,
    // A file name or id is one path segment; ignore nothing that could widen a match.
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: false },
  });

  app.removeAllContentTypeParsers();
  // Clients differ in the content type they send with JSON (some send none or text/plain).
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text === '') return done(null, undefined);
    try {
      done(null, parseJson(text));
    } catch (err) {
      const why = err instanceof RangeError ? 'it is nested too deeply to read' : (err as Error).message;
      done(badRequest(`request body is not valid JSON: ${why}`), undefined);
    }
  });

  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.public) return;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !auth.verify(m[1])) {
      throw unauthorized('a valid bearer token is required: log in with POST /login');
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    // The path only: a query string may carry a refresh token, which is never logged.
    const path = req.url.split('?')[0];
    log(`${req.method} ${path} ${reply.statusCode} ${reply.elapsedTime.toFixed(0)}ms`);
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` });
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).headers(err.headers).send({ message: err.message });
    }
    const e = err as { code?: string; statusCode?: number; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(400).send({
        message: `request body is larger than the limit maxBodyBytes (${limits.maxBodyBytes} bytes)`,
      });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      const status = [401, 404, 409].includes(e.statusCode) ? e.statusCode : 400;
      return reply.code(status).send({ message: e.message ?? 'bad request' });
    }
    log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return reply.code(500).send({ message: 'internal server error' });
  });

  return app;
}
