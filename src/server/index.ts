/** The embedded ML-Server-compatible server: `startServer` and its options. */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from './app.js';
import { createAuth, forgetAdmin, type Auth } from './auth.js';
import { authRoutes } from './auth-routes.js';
import { batchRoutes } from './batch-routes.js';
import { lockDataDir } from './data-dir-lock.js';
import { openDb, type Db } from './db.js';
import { Executions } from './executions.js';
import { resolveOptions, type RunningServer, type ServerOptions } from './options.js';
import { createWorkerPool } from './runtime/pool.js';
import type { Runtime } from './runtime/types.js';
import { Scheduler } from './scheduler.js';
import { serviceRoutes } from './service-routes.js';
import { publishServicesDir } from './services-dir.js';
import { ServiceStore } from './services.js';

export type { RunningServer, ServerLimits, ServerOptions } from './options.js';
export { DEFAULT_LIMITS } from './options.js';

/**
 * Opens the data dir, publishes `servicesDir`, resumes unfinished executions and listens.
 * Resolves once the port is bound.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const o = resolveOptions(options);
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const given = options.adminPassword || process.env.MLBATCH_ADMIN_PASSWORD || undefined;

  const unlock = lockDataDir(dataDir);
  let db: Db | undefined;
  let auth: Auth | undefined;
  let runtime: Runtime | undefined;
  try {
    // Directories of one-off runs cut short by a crash; nothing in them is ever read again.
    rmSync(join(dataDir, 'consume'), { recursive: true, force: true });
    db = openDb(dataDir);
    auth = createAuth(db, given, { access: o.tokenTtlSeconds, refresh: o.refreshTokenTtlSeconds }, undefined, o.passwordHashCost, o.now);
    const services = new ServiceStore(db);
    if (o.servicesDir) {
      const published = await publishServicesDir(resolve(o.servicesDir), services);
      o.log(`published from ${o.servicesDir}: ${published.join(', ') || '(none)'}`);
    }
    runtime = createWorkerPool({ maxWorkers: o.maxWorkers, pythonPath: o.pythonPath });
    const scheduler = new Scheduler(o.maxWorkers);
    const executions = new Executions({
      db,
      dataDir,
      services,
      runtime,
      scheduler,
      recordTimeoutMs: o.recordTimeoutMs,
      changeLogSize: o.changeLogSize,
      log: o.log,
    });
    const app = createApp(auth, o.limits, o.log);
    const database = db;
    const pool = runtime;
    authRoutes(app, auth, {
      runtimes: () => pool.available(),
      details: () => ({
        maxWorkers: o.maxWorkers,
        busyWorkers: scheduler.busy,
        liveExecutions: executions.liveCount,
      }),
    }, o.now);
    serviceRoutes(app, { services, executions, scheduler, dataDir, limits: o.limits });
    batchRoutes(app, services, executions, o.limits);
    await app.listen({ port: o.port, host: o.host });
    // Only once listening: a server that fails to start must not run (and commit) anything.
    executions.resume();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : o.port;
    const host = o.host.includes(':') ? `[${o.host}]` : o.host;
    const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
    o.log(`listening on ${url}`);

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        scheduler.stop();
        // A keep-alive connection busy when closing starts would otherwise hold the close open
        // for the whole keep-alive timeout: give requests a moment, then cut what is left.
        const cut = setTimeout(() => app.server.closeAllConnections(), 1500);
        await app.close();
        clearTimeout(cut);
        executions.close();
        await pool.close();
        database.close();
        unlock();
      })());
    const { source, generated } = auth.adminPassword;
    return { url, port, adminPasswordSource: source, adminPassword: generated, close };
  } catch (err) {
    await runtime?.close().catch(() => {});
    // A password generated now was never shown: the next start must generate (and show) one.
    if (db && auth?.adminPassword.source === 'generated') forgetAdmin(db);
    db?.close();
    unlock();
    throw err;
  }
}
