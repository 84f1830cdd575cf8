/** Test helpers: a real embedded server on port 0 with a temp data dir, and a tiny JSON client. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BatchWebServiceResult, ParameterDefinition } from '../../src/protocol.js';
import { isEndedState } from '../../src/protocol.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';

/**
 * scrypt cost of the test servers' admin hash: the lowest allowed, so the suite's hundreds of
 * server starts and logins cost little. The auth tests use the default cost.
 */
export const TEST_HASH_COST = 1024;

/** The answer of one request: status, parsed JSON (when it is JSON), raw text, headers. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** A started server with a logged-in client. */
export interface TestServer {
  server: RunningServer;
  dataDir: string;
  token: string;
  refreshToken: string;
  logs: string[];
  /** Sends a request with the bearer token (or `token` when given; '' for none). */
  call<T = unknown>(method: string, urlPath: string, body?: unknown, token?: string): Promise<Answer<T>>;
  stop(): Promise<void>;
}

/** A fresh temp directory. */
export function tempDir(prefix = 'mlbatch-server-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Sends one request to `url + urlPath`; `body` strings are sent as they are. */
export async function request<T = unknown>(
  url: string,
  method: string,
  urlPath: string,
  body?: unknown,
  token?: string,
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + urlPath, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

/** Starts a server on port 0 in a temp data dir and logs in as admin. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const logs: string[] = [];
  const server = await startServer({
    port: 0,
    adminPassword: 'test-password',
    passwordHashCost: TEST_HASH_COST,
    ...options,
    dataDir,
    log: (line) => logs.push(line),
  });
  const login = await request<{ access_token: string; refresh_token: string }>(
    server.url,
    'POST',
    '/login',
    { username: 'admin', password: options.adminPassword ?? 'test-password' },
  );
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  const t: TestServer = {
    server,
    dataDir,
    token: login.body.access_token,
    refreshToken: login.body.refresh_token,
    logs,
    call: (method, urlPath, body, token) =>
      request(server.url, method, urlPath, body, token === undefined ? t.token : token),
    async stop() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Parameter list shorthand: `params('x', 'name:character')` (default type numeric). */
export function params(...specs: string[]): ParameterDefinition[] {
  return specs.map((s) => {
    const [name, type = 'numeric'] = s.split(':');
    return { name, type: type as ParameterDefinition['type'] };
  });
}

/** Publishes a JavaScript service; returns its name. */
export async function publishJs(
  t: TestServer,
  name: string,
  spec: { code: string; initCode?: string; inputs?: string[]; outputs?: string[]; files?: string[] },
): Promise<string> {
  const res = await t.call('POST', `/services/${name}/1.0`, {
    runtimeType: 'JavaScript',
    code: spec.code,
    initCode: spec.initCode ?? '',
    inputParameterDefinitions: params(...(spec.inputs ?? [])),
    outputParameterDefinitions: params(...(spec.outputs ?? [])),
    outputFileNames: spec.files ?? [],
  });
  if (res.status !== 201) throw new Error(`publish ${name} failed: ${res.status} ${res.text}`);
  return name;
}

/** Starts a batch; returns the execution id. */
export async function startBatch(
  t: TestServer,
  name: string,
  records: unknown[],
  parallelCount: number,
  version = '1.0',
): Promise<string> {
  const res = await t.call<{ batchExecutionId: string }>(
    'POST',
    `/api/${name}/${version}/batch?parallelCount=${parallelCount}`,
    records,
  );
  if (res.status !== 200) throw new Error(`start failed: ${res.status} ${res.text}`);
  return res.body.batchExecutionId;
}

/** Polls until the execution has ended; returns the last answer. */
export async function waitForEnd(
  t: TestServer,
  name: string,
  id: string,
  timeoutMs = 40_000,
  version = '1.0',
): Promise<BatchWebServiceResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.call<BatchWebServiceResult>('GET', `/api/${name}/${version}/batch/${id}`);
    if (res.status !== 200) throw new Error(`poll failed: ${res.status} ${res.text}`);
    if (isEndedState(res.body.state)) return res.body;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${res.body.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Outputs of a timing service: when a record ran (epoch ms) and in which process. */
export type Timed = { started: number; ended: number; pid: number };

/** When each successful record ran, from the `started`/`ended` outputs a timing service reports. */
export function intervals(res: BatchWebServiceResult): { start: number; end: number }[] {
  return res.batchExecutionResults
    .filter((r) => r?.success)
    .map((r) => r!.outputParameters as Timed)
    .map((o) => ({ start: o.started, end: o.ended }));
}

/** Highest number of [start, end) intervals open at once. */
export function maxOverlap(intervals: { start: number; end: number }[]): number {
  const events = intervals.flatMap((i) => [
    { at: i.start, d: 1 },
    { at: i.end, d: -1 },
  ]);
  // Ends before starts at the same instant: touching intervals do not overlap.
  events.sort((a, b) => a.at - b.at || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const e of events) {
    open += e.d;
    max = Math.max(max, open);
  }
  return max;
}
