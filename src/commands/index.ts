/**
 * Headless commands for scripts and CI (login, services, run, status, ...). Each command's file
 * registers it (name, arguments, options, help); its work is loaded only when it runs.
 */
import { Option, type Command } from 'commander';
import { addConnectionOptions } from '../session/connection-options.js';
import { registerContextCommand } from './context.js';
import { registerDiffCommand } from './diff.js';
import { registerDownloadCommands } from './download.js';
import { registerErrorsCommand } from './errors.js';
import { registerExecutionCommands } from './execution.js';
import { registerLoginCommands } from './login.js';
import { registerRunCommand } from './run.js';
import { registerHistoryCommand } from './history.js';
import { registerRerunCommand } from './rerun.js';
import { registerStatsCommand } from './stats.js';

export { rerunArgv } from './rerun.js';

const EXIT_HELP = `
A command's arguments and options: mlbatch help <command>.
Exit codes: 0 complete, 1 failed (or any failed record with
--fail-on-item-error), 2 usage or bad input (also a service, version, execution
or index the server does not know), 3 canceled, 4 cannot connect or
authenticate.
Environment: MLBATCH_CONTEXT, MLBATCH_HOST, MLBATCH_USER, MLBATCH_PASSWORD,
MLBATCH_TOKEN; MLBATCH_JOURNAL_MAX_MB (records kept per execution in the
journal, default 50). Contexts (named servers): mlbatch help context.`;

/** Adds the headless commands, and the global connection and --json options, to the program. */
export function registerCommands(program: Command): void {
  addConnectionOptions(program);
  if (!program.options.some((o) => o.long === '--json')) {
    program.addOption(new Option('--json', 'machine-readable output on stdout'));
  }
  program.addHelpText('after', EXIT_HELP);
  registerLoginCommands(program);
  registerContextCommand(program);
  registerRunCommand(program);
  registerExecutionCommands(program);
  registerDownloadCommands(program);
  registerHistoryCommand(program);
  registerRerunCommand(program);
  registerDiffCommand(program);
  registerErrorsCommand(program);
  registerStatsCommand(program);
}
