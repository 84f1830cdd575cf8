/** `mlbatch demo`: an embedded server in a temp dir, the example services, a live demo batch, the app. */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect } from '../client/client.js';
import { ADMIN_USER, type BatchRecord } from '../protocol.js';
import type { AppFlags } from './flags.js';
import { launch } from './launch.js';

/** What the demo runs. */
export interface DemoOptions extends AppFlags {
  recordCount: number;
  parallelCount: number;
}

/** The package root (beside dist/ and examples/), found from this module's location. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'examples', 'services')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The slow scorer's demo records, from the same seeded generator as examples/records. */
export async function demoRecords(count: number): Promise<BatchRecord[]> {
  const url = pathToFileURL(join(packageRoot(), 'examples', 'records', 'generate-records.mjs')).href;
  const mod = (await import(url)) as { generateRecords: (n: number) => { id: number; value: number }[] };
  return mod.generateRecords(count).map(({ id, value }) => ({ id, value }));
}

/** Runs the demo; the server is stopped and the temp dir removed however the app ends. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mlbatch-demo-'));
  // However the process ends (a forced exit after a hang-up, a crash), the temp dir goes too.
  // Retries: a worker finishing its last item may still be writing there as the server stops.
  const removeNow = () => rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  process.on('exit', removeNow);
  const password = randomBytes(12).toString('base64url');
  const { startServer } = await import('../server/index.js');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      // A throwaway server in a temp dir removed at exit: its password's hash need not resist cracking.
      passwordHashCost: 1024,
      dataDir,
      servicesDir: join(packageRoot(), 'examples', 'services'),
      adminPassword: password,
      // Nothing may be printed while the app draws.
      log: () => undefined,
    });
    const client = await connect({ host: server.url, username: ADMIN_USER, password });
    const service = await client.getService('slow-scorer', '1.0');
    const records = await demoRecords(options.recordCount);
    const batch = await service.batch(records, { parallelCount: options.parallelCount }).start();
    const ref = { service: service.name, version: service.version, id: batch.requireId() };
    // The services screen sits under the execution, so q leads on to the rest of the app.
    return await launch(client, { kind: 'services' }, { ...options, user: ADMIN_USER }, (c) => {
      c.store.getState().push({ kind: 'execution', ref });
      c.store.getState().attach(ref, options.parallelCount);
      c.startPolling(ref, batch, records);
      c.store.getState().setStatus(`Demo server on ${server!.url} (user ${ADMIN_USER}); Ctrl-C quits and removes it`);
    });
  } finally {
    await server?.close().catch(() => undefined);
    const removed = await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).then(() => !existsSync(dataDir), () => false);
    // Not gone yet (something still wrote there): try once more as the process exits.
    if (removed) process.off('exit', removeNow);
  }
}
