/** What `mlbatch run` does: reads the records, starts the batch, and with --wait follows it to the end. */
import type { Command } from 'commander';
import { artifactNamesFromResults } from '../client/bulk-download.js';
import { ensureDirectory } from '../client/files.js';
import { readRecords, type RecordsFormat } from '../records/records.js';
import { safeText } from '../text/safe-text.js';
import { EXIT } from '../session/exit.js';
import { printJson } from './print.js';
import { flagsOf } from './flags.js';
import { openServiceWith } from './shared.js';
import { commandJournal, keyOf, knownOf } from './journal-use.js';
import { fileIdentity } from '../journal/records-file.js';
import { EndWait, printEnd, type WaitFlags } from './wait.js';
import { downloadWithProgress } from './download-action.js';

interface RunFlags extends WaitFlags {
  records: string;
  format?: RecordsFormat;
  parallel: number;
  download?: string;
  overwrite?: boolean;
  journalMaxMb?: number;
}

/** `run`: starts a batch from a records file; resolves to the exit code. */
export async function run(name: string, version: string, _opts: unknown, command: Command): Promise<number> {
  const flags = flagsOf<RunFlags>(command);
  // --download waits for the end too.
  const waiting = EndWait.of(flags, Boolean(flags.wait) || flags.download !== undefined);
  const { service, user, context } = await openServiceWith(command, name, version);
  // Every bad value is reported here, before anything is sent.
  const { records, warnings } = await readRecords(flags.records, service.inputs, { format: flags.format });
  for (const w of warnings) process.stderr.write(`warning: ${safeText(w)}\n`);
  // A destination that cannot be used is found out now, not after the whole run.
  if (flags.download !== undefined) await ensureDirectory(flags.download);
  const file = await fileIdentity(flags.records);
  const batch = await service.batch(records, { parallelCount: flags.parallel }).start();
  // Remembered for history and rerun: where the records came from, and the records themselves.
  const journal = commandJournal(flags.journalMaxMb);
  const key = keyOf(service, batch.requireId());
  journal.remember({ ...key, origin: 'run', context, user, parallelCount: flags.parallel, recordsPath: file.path, recordsHash: file.hash, records, total: records.length });
  // The id is the server's word: shown only once made safe.
  const shownId = safeText(batch.executionId ?? '');
  if (!waiting.wanted) {
    if (flags.json) printJson({ service: name, version, executionId: batch.executionId, totalItemCount: records.length });
    else process.stdout.write(`${shownId}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`started execution ${shownId} (${records.length} record${records.length === 1 ? '' : 's'}, ${flags.parallel} at once)\n`);
  const snapshot = await waiting.follow(batch, (s) => journal.noteState(key, knownOf(s)));
  if (!snapshot) return waiting.exitCode(snapshot);
  let download;
  if (flags.download !== undefined) {
    const indices = Array.from({ length: snapshot.totalItemCount }, (_, i) => i);
    download = await downloadWithProgress(batch, indices, flags.download, {
      overwrite: flags.overwrite,
      knownFiles: artifactNamesFromResults(snapshot.result, service.definition.outputFileNames ?? []),
    });
  }
  printEnd(batch, snapshot, flags.json, { download: download?.summary });
  const code = waiting.exitCode(snapshot);
  return code === EXIT.ok && download && download.result.failed > 0 ? EXIT.failed : code;
}
