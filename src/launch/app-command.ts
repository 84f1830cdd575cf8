/** The default command (the app), `demo` and `attach`. */
import type { Command } from 'commander';
import { addConnectionOptions } from '../session/connection-options.js';
import type { AppFlags } from './flags.js';
import { pollBudgetOption } from '../session/poll-budget-option.js';
import { terminfoColors } from '../terminal/terminfo.js';

/**
 * Environment the UI libraries read when they load: NO_COLOR must win before chalk (loaded with
 * ink) does, and on a terminal ink must not take itself for a CI log.
 */
export function prepareUiEnv(env: NodeJS.ProcessEnv = process.env, terminal = Boolean(process.stdout.isTTY && process.stdin.isTTY)): void {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') env.FORCE_COLOR = '0';
  // A terminal type whose terminfo entry has no colours (vt100, vt220) gets none, from chalk too;
  // without an entry the usual guess (TERM, COLORTERM) stands.
  if (terminal && env.FORCE_COLOR === undefined) {
    const colors = terminfoColors(env.TERM, env);
    if (colors !== undefined && colors < 8) env.FORCE_COLOR = '0';
  }
  // ink draws nothing until it exits when CI is set; on a terminal the app is wanted all the same
  // (without one it prints plain lines, CI or not).
  if (terminal) {
    if (env.CI !== undefined) env.CI = 'false';
    if (env.CONTINUOUS_INTEGRATION !== undefined) env.CONTINUOUS_INTEGRATION = 'false';
  }
  // React's development build costs several milliseconds per frame; the app runs the production one.
  env.NODE_ENV ??= 'production';
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1, not "${value}"`);
  return n;
}

/** Once the app is done, lingering sockets or timers must not keep the process (and terminal) waiting. */
async function exitSoon(): Promise<void> {
  const { isTerminalGone } = await import('../terminal/terminal.js');
  // Node 20 aborts at exit when it cannot reset a terminal that has gone away; everything is
  // cleaned up by now, so leave without that step.
  if (isTerminalGone()) process.kill(process.pid, 'SIGKILL');
  setTimeout(() => process.exit(), 1000).unref();
}

/** Adds the app's commands to the program. */
export function registerApp(program: Command): void {
  addConnectionOptions(program);
  program
    .option('--readonly', 'no cancel or rerun (or any other dangerous action), in the app and the commands')
    .option('--download-dir <dir>', 'where the app saves artifacts (default ./mlbatch-downloads)')
    .addOption(pollBudgetOption())
    .option('--no-bell', 'never ring the terminal bell (it rings when an execution stalls, or ends while another screen is shown)')
    .action(async (_opts: unknown, cmd: Command) => {
      prepareUiEnv();
      const { openApp } = await import('./launch.js');
      process.exitCode = await openApp(cmd.optsWithGlobals<AppFlags>());
      await exitSoon();
    });

  program
    .command('demo')
    .description('start an embedded server with the example services and watch a demo batch in the app')
    .option('--records <n>', 'records in the demo batch', '2000')
    // Two at a time, the batch runs about two minutes: time to look around before it ends.
    .option('--parallel <n>', 'parallelCount of the demo batch (2 runs the default batch in about two minutes)', '2')
    .action(async (_opts: unknown, cmd: Command) => {
      prepareUiEnv();
      const flags = cmd.optsWithGlobals<AppFlags>();
      const records = positiveInt('--records', flags.records, 2000);
      const parallel = positiveInt('--parallel', flags.parallel, 2);
      const { runDemo } = await import('./demo.js');
      process.exitCode = await runDemo({ ...flags, recordCount: records, parallelCount: parallel });
      await exitSoon();
    });

  program
    .command('attach <service> <version> <id>')
    .description('open the app on one execution (by its id)')
    .addOption(pollBudgetOption())
    .action(async (service: string, version: string, id: string, _opts: unknown, cmd: Command) => {
      prepareUiEnv();
      const { attachApp } = await import('./launch.js');
      process.exitCode = await attachApp({ service, version, id }, cmd.optsWithGlobals<AppFlags>());
      await exitSoon();
    });
}
