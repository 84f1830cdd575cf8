/** A real embedded server with the example services, a connected Controller and the App under test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '../../src/batch/client.js';
import type { Client } from '../../src/batch/client.js';
import type { BatchRecord } from '../../src/protocol.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import type { Screen } from '../../src/store/types.js';
import { App } from '../../src/app.js';
import { Controller } from '../../src/controller/controller.js';
import { renderHarness, type Harness } from './harness.js';

const root = resolve(import.meta.dirname, '../..');
const PASSWORD = 'test-password-1';

/** A running server and a logged-in client. */
export interface ServerFixture {
  server: RunningServer;
  client: Client;
  dataDir: string;
  work: string;
  stop(): Promise<void>;
}

/** Starts the embedded server on port 0 (or `port`) in a temp dir with examples/services. */
export async function startFixture(options: { port?: number; dataDir?: string } = {}): Promise<ServerFixture> {
  const work = await mkdtemp(join(tmpdir(), 'mlbatch-tui-'));
  const dataDir = options.dataDir ?? join(work, 'data');
  const server = await startServer({
    port: options.port ?? 0,
    dataDir,
    servicesDir: join(root, 'examples', 'services'),
    adminPassword: PASSWORD,
    log: () => undefined,
  });
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

/** The app on a first screen with a controller against `client`, at a fixed size. */
export interface AppFixture {
  store: AppStore;
  controller: Controller;
  h: Harness;
  quitCalls: number;
}

/** Renders the App with a real Controller; `start` runs before the first frame. */
export async function renderApp(
  client: Client | null,
  first: Screen,
  options: { downloadDir: string; readonly?: boolean; cols?: number; rows?: number; start?: (c: Controller) => void | Promise<void> },
): Promise<AppFixture> {
  const store = createAppStore(first, { readonly: options.readonly });
  const fixture = { quitCalls: 0 } as AppFixture;
  const controller = new Controller(store, client, {
    downloadDir: options.downloadDir,
    minPollMs: 200,
    onQuit: () => {
      fixture.quitCalls++;
    },
  });
  await options.start?.(controller);
  fixture.store = store;
  fixture.controller = controller;
  fixture.h = renderHarness(
    <App store={store} actions={controller} color={false} size={{ cols: options.cols ?? 80, rows: options.rows ?? 24 }} />,
    // The frame keeps one row free on every screen (ink clears the screen at full height).
    { maxRows: (options.rows ?? 24) - 1 },
  );
  return fixture;
}

/** Starts a slow-scorer batch of `count` records and attaches the controller to it. */
export async function startScorerBatch(c: Controller, client: Client, count: number, parallelCount = 10) {
  const service = await client.getService('slow-scorer', '1.0');
  const records: BatchRecord[] = Array.from({ length: count }, (_, i) => ({ id: i + 1, value: (i % 7) / 3 }));
  const batch = await service.batch(records, { parallelCount }).start();
  const ref = { service: 'slow-scorer', version: '1.0', id: batch.requireId() };
  c.store.getState().attach(ref, parallelCount);
  c.startPolling(ref, batch, records);
  return { ref, batch, records };
}
