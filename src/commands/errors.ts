/** `mlbatch errors`: an execution's failed records grouped by their error message's pattern. */
import type { Command } from 'commander';
import { groupErrors, snapshotSource, type ErrorGroups } from '../batch/error-groups.js';
import { Poller } from '../batch/poller.js';
import { safeText } from '../batch/safe-text.js';
import { EXIT } from '../session/exit.js';
import { action, printJson } from './output.js';
import { flagsOf, openBatch } from './shared.js';

/** The groups as text: one header line, then per group its count, share and pattern, first indices and sample. */
export function errorGroupLines(groups: ErrorGroups, total: number): string[] {
  if (groups.failed === 0) return [`no failed record of ${total}`];
  const out = [`${groups.failed} failed of ${total}, in ${groups.groups.length} group${groups.groups.length === 1 ? '' : 's'}`];
  for (const g of groups.groups) {
    const more = g.count > g.first.length ? ', …' : '';
    out.push(
      '',
      `#${g.number}  ${g.count} (${(g.share * 100).toFixed(1)}%)  ${g.pattern}`,
      `    indices ${g.first.join(', ')}${more}`,
      // The sample keeps its own lines, each indented under the group.
      `    sample (index ${g.first[0]}): ${g.sample.split('\n').join('\n      ')}`,
    );
  }
  return out;
}

/** Adds `errors`. */
export function registerErrorsCommand(program: Command): void {
  program
    .command('errors')
    .description('failed records grouped by error message (numbers, ids, paths and quoted values masked)')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id')
    .addHelpText('after', `
Groups are numbered by size (most failures first, then by first index): the same results
always give the same numbers. --json lists every index of every group.`)
    .action(action(async (name: string, version: string, id: string, _o: unknown, command: Command) => {
      const batch = await openBatch(command, name, version, id);
      const snapshot = await new Poller(batch).pollOnce();
      const groups = groupErrors(snapshot.items, snapshotSource(snapshot));
      if (flagsOf(command).json) {
        printJson({ service: name, version, executionId: id, state: snapshot.state, totalItemCount: snapshot.totalItemCount, ...groups });
      } else {
        process.stdout.write(`${errorGroupLines(groups, snapshot.totalItemCount).join('\n')}\n`);
      }
      if (!snapshot.ended) process.stderr.write(`note: execution ${safeText(id)} is still ${snapshot.state}; records still running are not counted\n`);
      return EXIT.ok;
    }));
}
