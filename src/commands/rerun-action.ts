/**
 * What `mlbatch rerun` does: a new execution with some records of an earlier one, from the journal
 * or the original records file; the journal remembers its parent and which original index each
 * new one stands for.
 */
import type { Command } from 'commander';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { groupErrors, groupIndices, snapshotSource } from '../analysis/error-groups.js';
import { readRecords, type RecordsFormat } from '../records/records.js';
import { progressOf } from '../watch/progress.js';
import { safeText } from '../text/safe-text.js';
import { ITEM_CODE, DEFAULT_PARALLEL_COUNT, type BatchRecord } from '../protocol.js';
import { IndicesError, indicesInState, parseIndices, pick, type RerunState } from '../journal/selection.js';
import { fileIdentity } from '../journal/records-file.js';
import { EXIT, ExitError, exitCodeForState } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { executionSummary, openServiceWith } from './shared.js';
import { commandJournal, keyOf, knownOf } from './journal-use.js';
import { watchExecution } from './watch.js';

interface RerunFlags {
  failed?: boolean;
  canceled?: boolean;
  notRun?: boolean;
  indices?: string;
  group?: number;
  records?: string;
  format?: RecordsFormat;
  parallel?: number;
  wait?: boolean;
  targetVersion?: string;
  failOnItemError?: boolean;
  journalMaxMb?: number;
}

/** The one selection a rerun was given (the flags are mutually exclusive); `list` is indices chosen elsewhere (e.g. an error group). */
export type Selection = { state: RerunState } | { indices: string } | { list: readonly number[]; what: string };

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

/** The indices a selection takes from the execution's item states. */
export function selectIndices(selection: Selection, items: Uint8Array): number[] {
  if ('list' in selection) return [...new Set(selection.list)].filter((i) => i >= 0 && i < items.length).sort((a, b) => a - b);
  if ('indices' in selection) {
    try {
      return parseIndices(selection.indices, items.length);
    } catch (err) {
      if (err instanceof IndicesError) throw new ExitError(EXIT.usage, err.message);
      throw err;
    }
  }
  return indicesInState(items, selection.state);
}

const WHAT: Record<RerunState, string> = { Failed: 'failed', Canceled: 'canceled', Pending: 'not run' };

/** `rerun`: starts the new execution (with --wait, follows it); resolves to the exit code. */
export async function rerun(name: string, version: string, id: string, _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<RerunFlags>(command);
  const given = selectionOf(flags);
  const { client, user, service } = await openServiceWith(command, name, version);
  const target = flags.targetVersion && flags.targetVersion !== version ? await client.getService(name, flags.targetVersion) : service;
  const parent = await new Poller(service.getBatch(id)).pollOnce();
  const selection: Selection = 'group' in given ? groupSelection(parent, id, given.group) : given;
  const indices = selectIndices(selection, parent.items);
  const what = 'list' in selection ? selection.what : 'indices' in selection ? `of --indices ${selection.indices}` : WHAT[selection.state];
  if (indices.length === 0) throw new ExitError(EXIT.usage, `execution ${id} has no ${what} records: nothing to rerun`);

  const journal = commandJournal(flags.journalMaxMb);
  const parentKey = keyOf(service, id);
  let records: readonly BatchRecord[];
  let file: { path: string; hash: string } | undefined;
  if (flags.records !== undefined) {
    ({ records } = await readRecords(flags.records, target.inputs, { format: flags.format }));
    if (records.length !== parent.totalItemCount) {
      throw new ExitError(EXIT.usage, `${flags.records} has ${records.length} records but execution ${id} has ${parent.totalItemCount}: ` +
        'give the original file (corrected values are fine, the same rows in the same order)');
    }
    file = await fileIdentity(flags.records);
  } else {
    const kept = journal.records(parentKey);
    if (!kept) {
      const entry = journal.get(parentKey);
      const why = entry ? (entry.recordsNote ?? 'they were not kept') : journal.usable ? 'the journal does not know this execution' : 'the journal cannot be read';
      throw new ExitError(EXIT.usage, `the records of execution ${id} are not in the journal (${why}): give the original file with --records FILE`);
    }
    if (kept.length !== parent.totalItemCount) {
      throw new ExitError(EXIT.usage, `the journal kept ${kept.length} records for execution ${id} but the server says it has ${parent.totalItemCount}: give the original file with --records FILE`);
    }
    records = kept;
  }

  const chosen = pick(records, indices);
  const parallelCount = flags.parallel ?? journal.get(parentKey)?.parallelCount ?? DEFAULT_PARALLEL_COUNT;
  const batch = await target.batch(chosen, { parallelCount }).start();
  const key = keyOf(target, batch.requireId());
  journal.remember({
    ...key, origin: 'rerun', user, parallelCount, recordsPath: file?.path ?? null, recordsHash: file?.hash ?? null,
    records: chosen, total: chosen.length, parentId: id, parentVersion: version, indexMap: indices,
  });
  const shownId = safeText(key.id);
  const label = `${chosen.length} ${what} record${chosen.length === 1 ? '' : 's'} of ${safeText(id)}`;
  if (!flags.wait) {
    if (flags.json) printJson({ service: name, version: target.version, executionId: key.id, parentId: id, totalItemCount: chosen.length, indexMap: indices });
    else process.stdout.write(`${shownId}\n`);
    process.stderr.write(`started execution ${shownId}: a rerun of ${label}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`started execution ${shownId}: a rerun of ${label}, ${parallelCount} at once\n`);
  const { snapshot, interrupted } = await watchExecution(batch);
  journal.noteState(key, knownOf(snapshot));
  if (interrupted) return 130;
  const failed = snapshot.counts[ITEM_CODE.Failed];
  if (flags.json) printJson({ ...executionSummary(batch, snapshot), parentId: id, indexMap: indices });
  else {
    const p = progressOf({ total: snapshot.totalItemCount, completed: snapshot.completedItemCount, counts: snapshot.counts, ended: snapshot.ended, throughput: 0 });
    process.stdout.write(`${shownId} ${snapshot.state} ${p.finished}/${p.total} done, ${failed} failed\n`);
  }
  return exitCodeForState(snapshot.state, failed, Boolean(flags.failOnItemError));
}
