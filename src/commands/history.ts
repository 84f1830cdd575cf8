/** `mlbatch history [--all] [--json]`: the journal of executions, newest first, of one context or all (its work: history-action.ts). */
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
    .option('--all', 'the executions of every context and host (default: the current context\'s, or --context NAME\'s)')
    .addHelpText('after', `
By default history shows the executions of the context in use (the current one, --context NAME or
MLBATCH_CONTEXT; or of the server --host or MLBATCH_HOST names), with those journaled on its server
before it had a context; every execution when there is no context at all.`)
    .action(lazyAction(async () => (await import('./history-action.js')).history)));
}
