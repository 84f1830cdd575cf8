/**
 * `mlbatch rerun <service> <version> <id> (--failed | --canceled | --not-run | --group N | --indices 3,7-9)`:
 * a new execution with just those records (its work: rerun-action.ts).
 */
import { Option, type Command } from 'commander';
import { lazyAction } from './action.js';
import { wholeNumber } from './flags.js';
import { journalHelp, journalMaxOption } from './journal-options.js';
import { addWaitOptions } from './wait-options.js';
import { executionArguments } from './execution-args.js';

/** The option `--version` becomes: the program's own --version would otherwise print the version. */
const TARGET_VERSION = '--target-version';

/**
 * Rewrites `rerun … --version V` to the option rerun reads. commander finds the program's
 * `--version` anywhere on the line, so the rerun's own one is renamed before parsing.
 */
export function rerunArgv(argv: string[]): string[] {
  // Global options may come first (`mlbatch --host URL rerun …`): what follows the command is its own.
  const at = argv.indexOf('rerun');
  if (at < 0 || argv.slice(0, at).includes('--')) return argv;
  return argv.map((a, i) => (i <= at ? a : a === '--version' ? TARGET_VERSION : a.startsWith('--version=') ? `${TARGET_VERSION}=${a.slice(10)}` : a));
}

/** Adds `rerun`. */
export function registerRerunCommand(program: Command): void {
  journalHelp(addWaitOptions(executionArguments(program
    .command('rerun')
    .description('start a new execution with some records of an earlier one (its failures, say); the journal links the two'), 'none', 'the execution to rerun from')
    .option('--failed', 'the records that failed')
    .option('--canceled', 'the records that were canceled')
    .option('--not-run', 'the records that never started (still Pending)')
    .option('--indices <list>', 'these indices, e.g. 3,7-9')
    .option('--group <n>', "the failures of error group N, numbered as 'mlbatch errors' numbers them", wholeNumber('--group', 1))
    .option('--records <file>', 'the original records file (same record count), e.g. with corrected values; default: the records the journal kept')
    .addOption(new Option('--format <format>', 'records format when the extension does not say').choices(['csv', 'tsv', 'json', 'jsonl']))
    .option('--parallel <n>', 'records run at once (default: as the original, else 10)', wholeNumber('--parallel', 1)), 'the new execution')
    .addOption(new Option(`${TARGET_VERSION} <version>`).hideHelp())
    .addOption(journalMaxOption())
    .addHelpText('after', '\nAlso:\n  --version <v>         start the rerun on another version of the service (its inputs must take the records)')
    .action(lazyAction(async () => (await import('./rerun-action.js')).rerun)));
}
