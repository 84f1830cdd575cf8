/** `mlbatch artifacts` and `mlbatch download`: files land in DIR/<index>/<file>. */
import type { Command } from 'commander';
import type { Batch } from '../batch/batch.js';
import { artifactNamesFromResults, downloadMany, type BulkDownloadResult } from '../batch/bulk-download.js';
import { Poller } from '../batch/poller.js';
import { formatBytes } from '../batch/units.js';
import { safeText } from '../batch/safe-text.js';
import { EXIT, ExitError } from '../session/exit.js';
import { action, printJson, ProgressWriter } from './output.js';
import { flagsOf, indexArgument, openBatch, wholeNumber } from './shared.js';

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

/** Adds artifacts and download. */
export function registerDownloadCommands(program: Command): void {
  program
    .command('artifacts')
    .description('list the files one record produced')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id')
    .argument('<index>', 'record index (0-based)', indexArgument)
    .action(action(async (name: string, version: string, id: string, index: number, _o: unknown, command: Command) => {
      const batch = await openBatch(command, name, version, id);
      const files = await batch.listArtifacts(index);
      if (flagsOf(command).json) printJson(files);
      else if (files.length > 0) process.stdout.write(`${files.map((f) => safeText(f)).join('\n')}\n`);
      else process.stderr.write(`index ${index} has no files\n`);
    }));

  program
    .command('download')
    .description('download one record\'s files, or every record\'s (--all), into DIR/<index>/<file>')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id')
    .argument('[index]', 'record index (0-based)', indexArgument)
    .option('--all', 'every record of the execution')
    .requiredOption('--dest <dir>', 'destination directory (created when missing)')
    .option('--overwrite', 'replace existing files whose content differs')
    .option('--resume', 'skip files already downloaded without fetching them again')
    .option('--sanitize', 'write unsafe server file names under a safe form instead of refusing them')
    .option('--concurrency <n>', 'files fetched at once', wholeNumber('--concurrency', 1), 16)
    .action(action(async (name: string, version: string, id: string, index: number | undefined, _o: unknown, command: Command) => {
      const flags = flagsOf<DownloadFlags>(command);
      if ((index === undefined) === !flags.all) {
        throw new ExitError(EXIT.usage, 'give either a record <index> or --all (not both)');
      }
      const batch = await openBatch(command, name, version, id);
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
    }));
}
