/** What `mlbatch serve` runs: the embedded server in the foreground until SIGINT/SIGTERM. */
import { ADMIN_USER, assertNever } from '../protocol.js';
import { startServer } from './index.js';

/** The flags of `serve`, as commander hands them over. */
export interface ServeFlags {
  port: number;
  host: string;
  dataDir: string;
  services?: string;
  maxWorkers?: number;
  recordTimeout?: number;
  tokenTtl?: number;
  refreshTokenTtl?: number;
  python?: string;
  quiet?: boolean;
}

/** Runs the server until SIGINT or SIGTERM, with its address and admin login on stdout. */
export async function serve(flags: ServeFlags): Promise<void> {
  const server = await startServer({
    port: flags.port,
    host: flags.host,
    dataDir: flags.dataDir,
    servicesDir: flags.services,
    maxWorkers: flags.maxWorkers,
    recordTimeoutMs: flags.recordTimeout === undefined ? undefined : flags.recordTimeout * 1000,
    tokenTtlSeconds: flags.tokenTtl,
    refreshTokenTtlSeconds: flags.refreshTokenTtl,
    pythonPath: flags.python,
    log: flags.quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  const out = process.stdout;
  out.write(`mlbatch server listening on ${server.url}\n`);
  out.write(`user: ${ADMIN_USER}\n`);
  switch (server.adminPasswordSource) {
    case 'generated':
      out.write(`password: ${server.adminPassword ?? ''}  (generated for this data dir and shown only now; set MLBATCH_ADMIN_PASSWORD to choose one)\n`);
      break;
    case 'kept':
      out.write('password: the one set at the first start of this data dir (set MLBATCH_ADMIN_PASSWORD to reset it)\n');
      break;
    case 'given':
      out.write('password: as given by MLBATCH_ADMIN_PASSWORD\n');
      break;
    default:
      assertNever(server.adminPasswordSource);
  }
  out.write(`data dir: ${flags.dataDir}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.stderr.write(`${signal}: closing\n`);
      server.close().then(resolve, (err: Error) => {
        process.stderr.write(`mlbatch: error while closing: ${err.message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
