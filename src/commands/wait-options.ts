/** The options of waiting for an execution's end, as `run`, `rerun` and `status` take them (commander alone: nothing of the client loads). */
import type { Command } from 'commander';
import { pollBudgetOption } from '../session/poll-budget-option.js';

/** Adds `--wait`, `--fail-on-item-error` and `--poll-budget` (their work: wait.ts); `what` is what --wait follows. */
export function addWaitOptions(command: Command, what = 'the execution'): Command {
  return command
    .option('--wait', `follow ${what} until it ends; exit code from its state`)
    .option('--fail-on-item-error', 'exit 1 when any record failed')
    .addOption(pollBudgetOption());
}
