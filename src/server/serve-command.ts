/** `mlbatch serve`: runs the embedded ML-Server-compatible server until SIGINT/SIGTERM. */
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_PORT } from '../protocol.js';
import { MAX_TOKEN_TTL_SECONDS } from './options.js';
import type { ServeFlags } from './serve.js';

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
      // Loaded here, not at startup: fastify and SQLite cost every other command a tenth of a second.
      const { serve } = await import('./serve.js');
      await serve(flags);
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
