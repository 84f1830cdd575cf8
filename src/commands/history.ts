/** `mlbatch history [--json]`: the journal of executions, newest first (its work: history-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';
import { wholeNumber } from './flags.js';
import { journalHelp } from './journal-options.js';

/** Adds `history`. */
export function registerHistoryCommand(program: Command): void {
  journalHelp(program
    .command('history')
    .description('executions started, attached to or rerun from mlbatch, newest first (from the local journal)')
    .option('--limit <n>', 'at most N executions', wholeNumber('--limit', 1), 1000)
    .action(lazyAction(async () => (await import('./history-action.js')).history)));
}
