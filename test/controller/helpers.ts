/** The embedded server with the example services, a Controller over a real store, and a wait on the store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type Client } from '../../src/client/client.js';
import { Controller } from '../../src/controller/controller.js';
import type { BatchRecord } from '../../src/protocol.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { TEST_HASH_COST } from '../server/helpers.js';
import { createAppStore, type AppState, type AppStore } from '../../src/store/app-store.js';
import type { Screen } from '../../src/store/types.js';

/** The examples folder's services. */
export const SERVICES_DIR = resolve(import.meta.dirname, '../../examples/services');
/** The admin password of every fixture server. */
export const PASSWORD = 'test-password-1';

/** A running server and a logged-in client. */
export interface ServerFixture {
  server: RunningServer;
  client: Client;
  dataDir: string;
  work: string;
  stop(): Promise<void>;
}

/** Starts the embedded server on port 0 in a temp dir with examples/services. */
export async function startFixture(): Promise<ServerFixture> {
  const work = await mkdtemp(join(tmpdir(), 'mlbatch-controller-'));
  const dataDir = join(work, 'data');
  const server = await startServer({ port: 0, dataDir, servicesDir: SERVICES_DIR, adminPassword: PASSWORD, passwordHashCost: TEST_HASH_COST, log: () => undefined });
  const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
  return {
    server,
    client,
    dataDir,
    work,
    stop: async () => {
      await server.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A Controller over a fresh store, polling fast; `quits` counts its quit calls. */
export function controllerOn(client: Client | null, downloadDir: string, first: Screen = { kind: 'services' }) {
  const store = createAppStore(first);
  const c = new Controller(store, client, { downloadDir, minPollMs: 100, listRefreshMs: 100, onQuit: () => undefined });
  return { store, c };
}

/**
 * Resolves with `pick`'s first truthy answer, checked now and on every store change (no
 * polling); fails after `timeoutMs` naming what it waited for.
 */
export function until<T>(store: AppStore, pick: (s: AppState) => T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      const s = store.getState();
      reject(new Error(`timed out waiting for ${what}; status: ${s.status?.text ?? '—'}, exec: ${s.exec.state} ${s.exec.completed}/${s.exec.total}`));
    }, timeoutMs);
    const check = () => {
      const v = pick(store.getState());
      if (!v) return false;
      unsubscribe();
      clearTimeout(timer);
      resolvePromise(v);
      return true;
    };
    if (!check()) unsubscribe = store.subscribe(() => void check());
  });
}

/** Starts a slow-scorer batch of `count` records and has the controller poll it. */
export async function startScorerBatch(c: Controller, client: Client, count: number, parallelCount = 10) {
  const service = await client.getService('slow-scorer', '1.0');
  const records: BatchRecord[] = Array.from({ length: count }, (_, i) => ({ id: i + 1, value: (i % 7) / 3 }));
  const batch = await service.batch(records, { parallelCount }).start();
  const ref = { service: 'slow-scorer', version: '1.0', id: batch.requireId() };
  c.store.getState().attach(ref, parallelCount);
  c.startPolling(ref, batch, records);
  return { ref, batch, records };
}
