/** `mlbatch stats <service> <version> <id>`: the stats screen's figures, as text or JSON (its work: stats-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';
import { wholeNumber } from './flags.js';
import { executionArguments } from './execution-args.js';

/** Adds `stats`. */
export function registerStatsCommand(program: Command): void {
  executionArguments(program
    .command('stats')
    .description('throughput and failure rate over time, record durations (p50/p95/p99/max) and per-output figures of one execution'))
    .option('--bins <n>', 'bins of the histograms and rate series (default 20; text charts fit the terminal)', wholeNumber('--bins', 1))
    .addHelpText('after', '\nCharts are drawn in ASCII, so they read the same in a log, a pipe and any locale.')
    .action(lazyAction(async () => (await import('./stats-action.js')).stats));
}
