/** `mlbatch errors`: an execution's failed records grouped by their error message's pattern (its work: errors-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';
import { executionArguments } from './execution-args.js';

/** Adds `errors`. */
export function registerErrorsCommand(program: Command): void {
  executionArguments(program
    .command('errors')
    .description('failed records grouped by error message (numbers, ids, paths and quoted values masked)'))
    .addHelpText('after', `
Groups are numbered by size (most failures first, then by first index): the same results
always give the same numbers. --json lists every index of every group.`)
    .action(lazyAction(async () => (await import('./errors-action.js')).errors));
}
