/**
 * A rerun, one way for `mlbatch rerun` and the app's `R`: which records of an execution it takes,
 * where they come from, the check that they still are that execution's (as many as the server
 * says it has), and the start of the new execution with its lineage in the journal.
 */
import type { Batch } from '../client/batch.js';
import type { Service } from '../client/service.js';
import { readRecords, type RecordsFormat } from '../records/records.js';
import { DEFAULT_PARALLEL_COUNT, type BatchRecord } from '../protocol.js';
import { EXIT, ExitError } from '../session/exit.js';
import type { Journal, JournalKey } from './journal.js';
import { fileIdentity } from './records-file.js';
import { IndicesError, indicesInState, parseIndices, pick, type RerunState } from './selection.js';

/** The one selection a rerun was given; `list` is indices chosen elsewhere (an error group, the app's failed records). */
export type Selection = { state: RerunState } | { indices: string } | { list: readonly number[]; what: string };

/** Where a rerun's records come from (the journal's, unless said). */
export type RecordSource =
  /** A records file, read against the inputs of the service the rerun starts on (corrected values allowed). */
  | { file: string; format?: RecordsFormat }
  /** Records the caller holds (the app: those it started the execution with, or the journal's it showed). */
  | { held: readonly BatchRecord[] }
  /** The records the journal kept of the execution. */
  | { journal: true };

/** What a rerun starts from. */
export interface RerunRequest {
  journal: Journal | null;
  /** The execution rerun from. */
  parent: JournalKey;
  /** How messages name it (default `execution <id>`; the app, whose screen shows the id, says `this execution`). */
  parentName?: string;
  /** Its record count, as the server says now: the records must be as many. */
  total: number;
  /** The parent's indices to run again (see `rerunIndices`). */
  indices: readonly number[];
  source: RecordSource;
  /** Where the rerun starts: the parent's service, or another version of it. */
  target: Service;
  user: string | null;
  /** The context the rerun is started in (the journal records it). */
  context?: string | null;
  /** Records run at once; default the parent's as journaled, else `fallbackParallelCount`, else 10. */
  parallelCount?: number;
  fallbackParallelCount?: number;
}

/** A started rerun: its batch, its journal key, the records it runs (index i is the parent's `indices[i]`). */
export interface StartedRerun {
  batch: Batch;
  key: JournalKey;
  records: BatchRecord[];
  parallelCount: number;
}

/** What a command (and, in its own words, the app's status line) says to do when the records are not the execution's. */
const GIVE_FILE = 'give the original file with --records FILE';

const WHAT: Record<RerunState, string> = { Failed: 'failed', Canceled: 'canceled', Pending: 'not run' };

const recordsText = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

/** A refusal before anything is started: a command exits 2 with it, the app shows it as the reason. */
function refused(message: string): ExitError {
  return new ExitError(EXIT.usage, message);
}

/** How a selection reads before `records` in a sentence: `failed`, `of --indices 3,7-9`. */
export function selectionWhat(selection: Selection): string {
  return 'list' in selection ? selection.what : 'indices' in selection ? `of --indices ${selection.indices}` : WHAT[selection.state];
}

/** The indices a selection takes from the execution's item states; a refusal for a bad list, or when there are none. */
export function rerunIndices(selection: Selection, items: Uint8Array, id: string): number[] {
  let indices: number[];
  if ('list' in selection) indices = [...new Set(selection.list)].filter((i) => i >= 0 && i < items.length).sort((a, b) => a - b);
  else if ('state' in selection) indices = indicesInState(items, selection.state);
  else {
    try {
      indices = parseIndices(selection.indices, items.length);
    } catch (err) {
      throw err instanceof IndicesError ? refused(err.message) : err;
    }
  }
  if (indices.length === 0) throw refused(`execution ${id} has no ${selectionWhat(selection)} records: nothing to rerun`);
  return indices;
}

/**
 * The parent's records from `source`, refused (naming where they came from and both counts)
 * unless they are as many as the server says the parent has.
 */
export async function rerunRecords(req: Pick<RerunRequest, 'journal' | 'parent' | 'parentName' | 'total' | 'source' | 'target'>): Promise<{ records: readonly BatchRecord[]; file?: { path: string; hash: string } }> {
  const { journal, parent, total, source } = req;
  const name = req.parentName ?? `execution ${parent.id}`;
  if ('file' in source) {
    const { records } = await readRecords(source.file, req.target.inputs, { format: source.format });
    if (records.length !== total) {
      throw refused(`${source.file} has ${recordsText(records.length)} but ${name} has ${total}: ` +
        'give the original file (corrected values are fine, the same rows in the same order)');
    }
    return { records, file: await fileIdentity(source.file) };
  }
  const entry = journal?.get(parent);
  const from = entry?.recordsPath ? ` (read from ${entry.recordsPath})` : '';
  // The counts come first: a status line one row wide keeps them.
  if ('held' in source) {
    if (source.held.length !== total) {
      throw refused(`${name} has ${recordsText(total)} but ${source.held.length} ${source.held.length === 1 ? 'is' : 'are'} kept for it${from}: ${GIVE_FILE}`);
    }
    return { records: source.held };
  }
  const kept = journal?.records(parent);
  if (!kept) {
    const why = entry ? (entry.recordsNote ?? 'they were not kept') : journal?.usable ? 'the journal does not know this execution' : 'the journal cannot be read';
    throw refused(`the records of ${name} are not in the journal (${why}): ${GIVE_FILE}`);
  }
  if (kept.length !== total) {
    throw refused(`${name} has ${recordsText(total)} but the journal kept ${kept.length}${from}: ${GIVE_FILE}`);
  }
  return { records: kept };
}

/**
 * Starts the parent's records at `indices` as a new execution (never retried: a retry could start
 * a second one) and journals it with its parent and index map. Refused, with nothing started,
 * when the records are not the parent's (see `rerunRecords`).
 */
export async function startRerun(req: RerunRequest): Promise<StartedRerun> {
  const beyond = req.indices.find((i) => i < 0 || i >= req.total);
  if (beyond !== undefined) throw refused(`${req.parentName ?? `execution ${req.parent.id}`} has ${recordsText(req.total)}: index ${beyond} is not one of them`);
  const { records, file } = await rerunRecords(req);
  const chosen = pick(records, req.indices);
  const parallelCount = req.parallelCount ?? req.journal?.get(req.parent)?.parallelCount ?? req.fallbackParallelCount ?? DEFAULT_PARALLEL_COUNT;
  const batch = await req.target.batch(chosen, { parallelCount }).start();
  const key: JournalKey = { host: req.target.http.host, service: req.target.name, version: req.target.version, id: batch.requireId() };
  req.journal?.remember({
    ...key, origin: 'rerun', context: req.context ?? null, user: req.user, parallelCount, recordsPath: file?.path ?? null, recordsHash: file?.hash ?? null,
    records: chosen, total: chosen.length, parentId: req.parent.id, parentVersion: req.parent.version, indexMap: [...req.indices],
  });
  return { batch, key, records: chosen, parallelCount };
}
