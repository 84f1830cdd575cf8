/** `mlbatch artifacts` and `mlbatch download`: files land in DIR/<index>/<file> (their work: artifacts-action.ts, download-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';
import { wholeNumber } from './flags.js';
import { executionArguments } from './execution-args.js';

/** Adds artifacts and download. */
export function registerDownloadCommands(program: Command): void {
  executionArguments(program
    .command('artifacts')
    .description('list the files one record produced'), 'required')
    .action(lazyAction(async () => (await import('./artifacts-action.js')).artifacts));

  executionArguments(program
    .command('download')
    .description('download one record\'s files, or every record\'s (--all), into DIR/<index>/<file>'), 'optional')
    .option('--all', 'every record of the execution')
    .requiredOption('--dest <dir>', 'destination directory (created when missing)')
    .option('--overwrite', 'replace existing files whose content differs')
    .option('--resume', 'skip files already downloaded without fetching them again')
    .option('--sanitize', 'write unsafe server file names under a safe form instead of refusing them')
    .option('--concurrency <n>', 'files fetched at once', wholeNumber('--concurrency', 1), 16)
    .action(lazyAction(async () => (await import('./download-action.js')).download));
}
