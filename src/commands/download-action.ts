/** What `mlbatch download` does (and `run --download`): files into DIR/<index>/<file>, progress on stderr. */
import type { Command } from 'commander';
import type { Batch } from '../client/batch.js';
import { artifactNamesFromResults, downloadMany, type BulkDownloadResult } from '../client/bulk-download.js';
import { Poller } from '../watch/poller.js';
import { formatBytes } from '../text/units.js';
import { safeText } from '../text/safe-text.js';
import { EXIT, ExitError } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { printJson, ProgressWriter } from './print.js';
import { openBatch } from './shared.js';
import { executionArgs } from './execution-query.js';

interface DownloadFlags {
  all?: boolean;
  dest: string;
  overwrite?: boolean;
  resume?: boolean;
  sanitize?: boolean;
  concurrency: number;
}

/** Bulk download with progress lines on stderr; returns the result and a JSON-ready summary. */
export async function downloadWithProgress(
  batch: Batch,
  indices: number[],
  dest: string,
  options: {
    overwrite?: boolean; resume?: boolean; sanitize?: boolean; concurrency?: number;
    knownFiles?: (index: number) => readonly string[] | undefined;
  } = {},
) {
  const progress = new ProgressWriter();
  let lastLine = 0;
  const result: BulkDownloadResult = await downloadMany(batch, {
    indices, destination: dest, overwrite: options.overwrite, resume: options.resume,
    names: options.sanitize ? 'sanitize' : 'strict', concurrency: options.concurrency, knownFiles: options.knownFiles,
    onProgress: (p) => {
      // Without a TTY one line per change would be one per file: report about once a second.
      const now = Date.now();
      const finished = p.indicesListed === p.indicesTotal && p.filesDone === p.filesTotal;
      if (!finished && now - lastLine < 1000) return;
      lastLine = now;
      progress.update(`downloading: ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytes)}, ` +
        `${p.indicesListed}/${p.indicesTotal} indices listed${p.failed ? `, ${p.failed} failed` : ''}`);
    },
  });
  progress.finish();
  for (const f of result.files) if (f.error) process.stderr.write(`error: index ${f.index} ${safeText(f.fileName)}: ${safeText(f.error)}\n`);
  const tally = (o: string) => result.files.filter((f) => f.outcome === o).length;
  const summary = {
    destination: dest, files: result.files.length, bytes: result.bytes, failed: result.failed,
    written: tally('written') + tally('overwritten'), identical: tally('identical'), skipped: tally('skipped'),
    paths: result.files.filter((f) => f.path).map((f) => f.path as string),
  };
  return { result, summary };
}

/** `download`: one record's files, or every record's (--all); resolves to the exit code. */
export async function download(args: string[], _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<DownloadFlags>(command);
  const { query, index } = executionArgs('download', args, 'optional');
  if ((index === undefined) === !flags.all) {
    throw new ExitError(EXIT.usage, 'give either a record <index> or --all (not both)');
  }
  const batch = await openBatch(command, query);
  let indices: number[];
  let knownFiles;
  if (index !== undefined) indices = [index];
  else {
    // One full poll names most files (changedFiles), sparing a listing call per index.
    const snapshot = await new Poller(batch).pollOnce();
    indices = Array.from({ length: snapshot.totalItemCount }, (_, i) => i);
    knownFiles = artifactNamesFromResults(snapshot.result, batch.service.definition.outputFileNames ?? []);
  }
  const { result, summary } = await downloadWithProgress(batch, indices, flags.dest, { ...flags, knownFiles });
  if (flags.json) printJson(summary);
  else process.stdout.write(`${summary.written} written, ${summary.identical} identical, ${summary.skipped} skipped, ` +
    `${summary.failed} failed, ${formatBytes(summary.bytes)} into ${flags.dest}\n`);
  return result.failed > 0 ? EXIT.failed : EXIT.ok;
}
