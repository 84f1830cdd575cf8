/** `mlbatch serve`: runs the embedded ML-Server-compatible server until SIGINT/SIGTERM. */
import { InvalidArgumentError, type Command } from 'commander';
import { ADMIN_USER, DEFAULT_PORT, assertNever } from '../protocol.js';
import { MAX_TOKEN_TTL_SECONDS } from './options.js';

interface ServeFlags {
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

/** Adds the `serve` command to the program. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the embedded ML-Server-compatible server')
    .option('--port <port>', 'TCP port (0 picks a free one)', intFlag('--port', 0, 65535), DEFAULT_PORT)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where the database and artifacts live', '.mlbatch-data')
    .option('--services <dir>', 'publish every service folder in <dir> at start')
    .option('--max-workers <n>', 'records running at once, all executions together (default: 10, or the CPU count if higher)', intFlag('--max-workers', 1, 1024))
    .option('--record-timeout <sec>', 'fail a record running longer (default 600)', intFlag('--record-timeout', 1, 2_000_000))
    .option('--token-ttl <sec>', 'lifetime of an access token (default 3600)', intFlag('--token-ttl', 1, MAX_TOKEN_TTL_SECONDS))
    .option('--refresh-token-ttl <sec>', 'lifetime of a refresh token not used (default 1209600, 14 days)', intFlag('--refresh-token-ttl', 1, MAX_TOKEN_TTL_SECONDS))
    .option('--python <path>', 'Python interpreter for Python services (default: python3 on PATH)')
    .option('--quiet', 'do not log requests')
    .addHelpText(
      'after',
      '\nThe admin user is "admin". Its password comes from MLBATCH_ADMIN_PASSWORD; without it, one is\n' +
        'generated and printed at the first start of a data dir and kept after (set the variable once to reset it).',
    )
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<void> {
  // Loaded here, not at startup: fastify and SQLite cost every other command a tenth of a second.
  const { startServer } = await import('./index.js');
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

function intFlag(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}
