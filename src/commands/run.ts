/** `mlbatch run <service> <version> --records FILE [--parallel N] [--wait] [--download DIR]` (its work: run-action.ts). */
import { Option, type Command } from 'commander';
import { DEFAULT_PARALLEL_COUNT } from '../protocol.js';
import { lazyAction } from './action.js';
import { wholeNumber } from './flags.js';
import { journalMaxOption } from './journal-options.js';
import { addWaitOptions } from './wait-options.js';

/** Adds `run`. */
export function registerRunCommand(program: Command): void {
  addWaitOptions(program
    .command('run')
    .description('start a batch from a records file; with --wait, follow it to the end')
    .argument('<service>', 'service name')
    .argument('<version>', 'service version')
    .requiredOption('--records <file>', 'records file: .csv, .tsv, .json or .jsonl')
    .addOption(new Option('--format <format>', 'records format when the extension does not say').choices(['csv', 'tsv', 'json', 'jsonl']))
    .option('--parallel <n>', 'records run at once', wholeNumber('--parallel', 1), DEFAULT_PARALLEL_COUNT)
    .option('--download <dir>', 'after it ends, download every artifact into DIR/<index>/<file> (implies --wait)')
    .option('--overwrite', 'with --download, replace existing different files'))
    .addOption(journalMaxOption())
    .action(lazyAction(async () => (await import('./run-action.js')).run));
}
