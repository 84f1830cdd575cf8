/** `mlbatch status`, `ls`, `cancel` and `export`: one execution (or a service's list) at a glance (each command's work: <command>-action.ts). */
import { Option, type Command } from 'commander';
import { addWaitOptions } from './wait-options.js';
import { lazyAction } from './action.js';
import { executionArguments } from './execution-args.js';

/** Adds status, ls, cancel and export. */
export function registerExecutionCommands(program: Command): void {
  addWaitOptions(executionArguments(program
    .command('status')
    .description('state and counts of one execution; with --wait, follow it to the end')))
    .addHelpText('after', '\nA running count marked ~ is inferred from the parallel count: the server does not report its running records.')
    .action(lazyAction(async () => (await import('./status-action.js')).status));

  program
    .command('ls')
    .description('executions of one service, with their state and counts')
    .argument('<service>').argument('<version>')
    .action(lazyAction(async () => (await import('./ls-action.js')).ls));

  executionArguments(program
    .command('cancel')
    .description('cancel an execution: no new record starts; results so far stay readable'))
    .action(lazyAction(async () => (await import('./cancel-action.js')).cancel));

  executionArguments(program
    .command('export')
    .description('write every record\'s state, error and outputs as CSV or JSON lines'))
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'jsonl']).default('csv'))
    .option('--out <file>', 'write to FILE instead of standard output')
    .option('--merged', 'with its reruns (from the journal): per index, the latest attempt, and an execution column naming it')
    .action(lazyAction(async () => (await import('./export-action.js')).exportExecution));
}
