/** Test helpers: the embedded server on port 0 with a temp data dir, and tiny real HTTP servers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer } from '../src/server/index.js';
import { TEST_HASH_COST } from './server/helpers.js';

export const PASSWORD = 'test-password-1';
export const SERVICES_DIR = resolve('examples/services');

const created: string[] = [];
// Registered once per test file that imports this module: its temp dirs go when it ends.
afterAll(async () => {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A temp directory, removed when the test file ends. */
export async function tempDir(prefix = 'mlbatch-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Starts the embedded server with the example services (or `servicesDir`'s); `close` also removes its data dir. */
export async function embeddedServer(options: { maxWorkers?: number; servicesDir?: string } = {}) {
  const dataDir = await tempDir('mlbatch-data-');
  const server = await startServer({
    port: 0, dataDir, servicesDir: options.servicesDir ?? SERVICES_DIR, adminPassword: PASSWORD,
    maxWorkers: options.maxWorkers ?? 4, passwordHashCost: TEST_HASH_COST, log: () => {},
  });
  return {
    url: server.url,
    dataDir,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A handler of the tiny server: gets the request (and its body) and answers. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

/** A small real HTTP server on port 0 answering with `handler`; for shapes our server never sends. */
export async function tinyServer(handler: Handler) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The embedded server on a test's clock (tokens of 600 s, refresh tokens of an hour), started
 * before the file's tests and closed after them, with its request log and counts read from it.
 */
export function serverOnClock(clock: { now: () => number }, prefix = 'mlbatch-clock-') {
  const requests: string[] = [];
  let running: Awaited<ReturnType<typeof startServer>> | undefined;
  beforeAll(async () => {
    running = await startServer({
      port: 0, dataDir: await tempDir(prefix), servicesDir: SERVICES_DIR, adminPassword: PASSWORD, maxWorkers: 1,
      passwordHashCost: TEST_HASH_COST, tokenTtlSeconds: 600, refreshTokenTtlSeconds: 3600, now: clock.now,
      log: (line) => requests.push(line),
    });
  });
  afterAll(async () => running?.close());
  return {
    /** One `METHOD path status time` line per request. */
    requests,
    /** The server's URL (once the file's tests run). */
    get url(): string {
      return running!.url;
    },
    /** How many requests the server answered with `method path status` since `from`. */
    answered: (from: number, method: string, path: string, status: number) =>
      requests.slice(from).filter((l) => l.startsWith(`${method} ${path} ${status} `)).length,
    /** The requests refused with 401 since `from`. */
    refusals: (from: number) => requests.slice(from).filter((l) => / 401 \d+ms$/.test(l)),
  };
}
