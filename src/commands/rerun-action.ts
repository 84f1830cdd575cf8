/**
 * What `mlbatch rerun` does: a new execution with some records of an earlier one, from the journal
 * or the original records file (the rerun itself, and its checks, are journal/rerun.ts's, as in
 * the app); with --wait, follows it to the end.
 */
import type { Command } from 'commander';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { groupErrors, groupIndices, snapshotSource } from '../analysis/error-groups.js';
import type { RecordsFormat } from '../records/records.js';
import { safeText } from '../text/safe-text.js';
import { rerunIndices, selectionWhat, startRerun, type Selection } from '../journal/rerun.js';
import { EXIT, ExitError } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { openExecution } from './shared.js';
import { executionArgs } from './execution-query.js';
import { commandJournal, knownOf } from './journal-use.js';
import { EndWait, printEnd, type WaitFlags } from './wait.js';

interface RerunFlags extends WaitFlags {
  failed?: boolean;
  canceled?: boolean;
  notRun?: boolean;
  indices?: string;
  group?: number;
  records?: string;
  format?: RecordsFormat;
  parallel?: number;
  targetVersion?: string;
  journalMaxMb?: number;
}

function selectionOf(flags: RerunFlags): Selection | { group: number } {
  const given: (Selection | { group: number })[] = [];
  if (flags.failed) given.push({ state: 'Failed' });
  if (flags.canceled) given.push({ state: 'Canceled' });
  if (flags.notRun) given.push({ state: 'Pending' });
  if (flags.indices !== undefined) given.push({ indices: flags.indices });
  if (flags.group !== undefined) given.push({ group: flags.group });
  if (given.length !== 1) {
    throw new ExitError(EXIT.usage, `rerun takes one of --failed, --canceled, --not-run, --group N or --indices LIST (${given.length === 0 ? 'none was' : `${given.length} were`} given)`);
  }
  return given[0];
}

/** An error group's failures (grouped as `mlbatch errors` groups them), or a usage error naming the group. */
function groupSelection(parent: PollSnapshot, id: string, number: number): Selection {
  const groups = groupErrors(parent.items, snapshotSource(parent));
  const list = groupIndices(groups, number);
  if (!list) {
    const count = groups.groups.length;
    throw new ExitError(EXIT.usage, `--group ${number}: execution ${id} has ${count === 0 ? 'no error group' : count === 1 ? 'one error group' : `${count} error groups`} (see mlbatch errors)`);
  }
  return { list, what: `of error group ${number}` };
}

/** `rerun`: starts the new execution (with --wait, follows it); resolves to the exit code. */
export async function rerun(args: string[], _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<RerunFlags>(command);
  const given = selectionOf(flags);
  const waiting = EndWait.of(flags);
  const { query } = executionArgs('rerun', args);
  // A rerun starts an execution on a server the user may have marked read-only: refused there, as the app's R is.
  const { client, user, context, service, id, batch: parentBatch } = await openExecution(command, query, { dangerous: 'rerun' });
  const { name, version } = service;
  const target = flags.targetVersion && flags.targetVersion !== version ? await client.getService(name, flags.targetVersion) : service;
  const parent = await new Poller(parentBatch).pollOnce();
  const selection: Selection = 'group' in given ? groupSelection(parent, id, given.group) : given;
  const indices = rerunIndices(selection, parent.items, id);

  const journal = commandJournal(flags.journalMaxMb);
  const { batch, key, records, parallelCount } = await startRerun({
    journal, parent: { host: service.http.host, service: name, version, id }, total: parent.totalItemCount, indices, target, user, context,
    source: flags.records !== undefined ? { file: flags.records, format: flags.format } : { journal: true }, parallelCount: flags.parallel,
  });
  const shownId = safeText(key.id);
  const label = `${records.length} ${selectionWhat(selection)} record${records.length === 1 ? '' : 's'} of ${safeText(id)}`;
  if (!waiting.wanted) {
    if (flags.json) printJson({ service: name, version: target.version, executionId: key.id, parentId: id, totalItemCount: records.length, indexMap: indices });
    else process.stdout.write(`${shownId}\n`);
    process.stderr.write(`started execution ${shownId}: a rerun of ${label}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`started execution ${shownId}: a rerun of ${label}, ${parallelCount} at once\n`);
  const snapshot = await waiting.follow(batch, (s) => journal.noteState(key, knownOf(s)));
  if (!snapshot) return waiting.exitCode(snapshot);
  printEnd(batch, snapshot, flags.json, { parentId: id, indexMap: indices });
  return waiting.exitCode(snapshot);
}
