/** `mlbatch diff`: two executions compared record by record, with an exit code a CI pipeline can gate on (its work: diff-action.ts). */
import { InvalidArgumentError, type Command } from 'commander';
import { lazyAction } from './action.js';
import { EXECUTION_ID_HELP } from './execution-args.js';

const HELP = `
Records are matched by index. Outputs are compared by name: numbers are equal when |a - b| is at
most --tolerance (an absolute tolerance; no relative one is applied), NaN equals NaN and an
infinity the same infinity (also when a server spells them "NaN", "Infinity", "-Infinity");
text, logical values and null must be identical, vectors and lists element by element; a type
change or an output missing on one side is a difference.

Each index is one of: equal, different (outputs differ), failed in one only (failed in A or B),
failed in both, unfinished (not complete or failed on a side: pending, running, canceled), only
in one (past the end of the shorter execution, with --allow-size-mismatch).

Exit codes: 0 equal (failures in both count as equal: both failed), 1 not equal (anything
different, failed in one only, unfinished or only in one), 2 usage, different sizes without
--allow-size-mismatch, or an unknown service, version or execution; 4 cannot connect.

Both executions are read from the context in use (the current one, or --context NAME); with
--context-b NAME, execution B is read from that context instead, so the same records scored on two
servers (test and prod) can be compared: mlbatch diff --context test --context-b prod svc 1.0 <id>
svc 1.0 <id2>.

--json prints one object:
  a, b          {service, version, executionId, state, size, context, host}: context is null
                  for a host no context has
  tolerance     the tolerance used
  equal         true when the exit code is 0
  compared      indices present in both executions
  counts        {equal, different, failedInOne, failedInA, failedInB, failedInBoth, unfinished, onlyInOne}
  outputs       [{name, different, missingInA, missingInB, maxDelta,
                  largest: [{index, a, b, delta}]}]  the 5 largest differences per output,
                  non-numeric ones (delta null) first; values longer than 200 characters are
                  cut, as text
  indices       {different, failedInA, failedInB, failedInBoth, unfinished, onlyInA, onlyInB}:
                  the indices of each kind, in order`;

/** Parses --tolerance: a number from 0. */
export function toleranceArgument(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`--tolerance takes a number of at least 0 (like 1e-6), not "${value}"`);
  }
  return n;
}

/** Adds `diff`. */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('compare two executions record by record (e.g. the same records scored by two versions); exit 1 when they differ')
    .argument('<executions...>', 'A then B: <service> <version> <id> of each, or the two ids alone')
    .usage('[options] <service> <version> <id> <service2> <version2> <id2>\n       mlbatch diff [options] <id> <id2>')
    .option('--tolerance <number>', 'largest absolute difference two numbers may have and still be equal', toleranceArgument, 1e-6)
    .option('--allow-size-mismatch', 'compare executions of different sizes: the common prefix, the rest counted as only in one')
    .option('--context-b <name>', 'read execution B from this context (default: the same as A)')
    .addHelpText('after', HELP)
    .addHelpText('after', EXECUTION_ID_HELP)
    .action(lazyAction(async () => (await import('./diff-action.js')).diff));
}
