/** What `mlbatch errors` does: one poll, the failures grouped, as text or JSON. */
import type { Command } from 'commander';
import { groupErrors, snapshotSource, type ErrorGroups } from '../analysis/error-groups.js';
import { Poller } from '../watch/poller.js';
import { safeText } from '../text/safe-text.js';
import { EXIT } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { openExecution } from './shared.js';
import { executionArgs } from './execution-query.js';

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

/** `errors`: groups one execution's failures. */
export async function errors(args: string[], _o: unknown, command: Command): Promise<number> {
  const { service, id, batch } = await openExecution(command, executionArgs('errors', args).query);
  const snapshot = await new Poller(batch).pollOnce();
  const groups = groupErrors(snapshot.items, snapshotSource(snapshot));
  if (flagsOf(command).json) {
    printJson({ service: service.name, version: service.version, executionId: id, state: snapshot.state, totalItemCount: snapshot.totalItemCount, ...groups });
  } else {
    process.stdout.write(`${errorGroupLines(groups, snapshot.totalItemCount).join('\n')}\n`);
  }
  if (!snapshot.ended) process.stderr.write(`note: execution ${safeText(id)} is still ${snapshot.state}; records still running are not counted\n`);
  return EXIT.ok;
}
