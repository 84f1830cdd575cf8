/** Downloads many artifacts of one execution at once, with bounded concurrency and progress. */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Batch } from './batch.js';
import { ensureDirectory, makeSubdirectory, writeFileSafely, type WriteOutcome } from './files.js';
import { checkFileName } from './safe-names.js';
import { pool } from './pool.js';

/** Progress of a bulk download, reported after every file. */
export interface BulkProgress {
  indicesListed: number;
  indicesTotal: number;
  /** Files known so far (grows while indices are listed). */
  filesTotal: number;
  filesDone: number;
  bytes: number;
  failed: number;
}

/** Options of `downloadMany`. */
export interface BulkDownloadOptions {
  /** Record indices whose files to fetch. */
  indices: readonly number[];
  /** Files land in `<destination>/<index>/<file>`. */
  destination: string;
  /** Calls in flight at once (default 16: enough to hide latency, few enough for a one-box server). */
  concurrency?: number;
  /** Replace different existing files (default false: reported as failed). */
  overwrite?: boolean;
  /** Skip files already complete on disk without fetching them (default false: fetch and compare). */
  resume?: boolean;
  /** Unsafe server names: refuse (default) or write under a safe form. */
  names?: 'strict' | 'sanitize';
  onProgress?: (progress: BulkProgress) => void;
  signal?: AbortSignal;
  /**
   * File names already known for an index (e.g. from a poll, see `artifactNamesFromResults`);
   * undefined means "ask the server". Saves one listing call per index.
   */
  knownFiles?: (index: number) => readonly string[] | undefined;
}

/** One file's fate. */
export interface BulkFileResult {
  index: number;
  fileName: string;
  path?: string;
  outcome?: WriteOutcome | 'skipped';
  error?: string;
}

/** What a bulk download did. */
export interface BulkDownloadResult {
  files: BulkFileResult[];
  bytes: number;
  failed: number;
}

type Task = { kind: 'list'; index: number } | { kind: 'file'; index: number; fileName: string };

/** Lists and fetches every artifact of `indices`; one file's failure does not stop the others. */
export async function downloadMany(batch: Batch, options: BulkDownloadOptions): Promise<BulkDownloadResult> {
  const root = await ensureDirectory(options.destination);
  const names = options.names ?? 'strict';
  const lists: Task[] = [];
  const fetches: Task[] = [];
  let known = 0;
  for (const index of options.indices) {
    const names = options.knownFiles?.(index);
    if (names === undefined) lists.push({ kind: 'list', index });
    else {
      for (const fileName of names) fetches.push({ kind: 'file', index, fileName });
      known++;
    }
  }
  const files: BulkFileResult[] = [];
  const progress: BulkProgress = {
    indicesListed: known, indicesTotal: options.indices.length, filesTotal: fetches.length, filesDone: 0, bytes: 0, failed: 0,
  };
  const report = () => options.onProgress?.({ ...progress });
  const madeDirs = new Map<number, Promise<boolean>>();
  const namesWritten = new Map<number, Set<string>>();

  const fileTask = async (index: number, fileName: string): Promise<BulkFileResult> => {
    const dir = join(root, String(index));
    const safeName = checkFileName(fileName, names);
    if (options.resume && (await lstat(join(dir, safeName)).catch(() => undefined))?.isFile()) {
      return { index, fileName, path: join(dir, safeName), outcome: 'skipped' };
    }
    const bytes = await batch.artifact(index, fileName, { signal: options.signal });
    // One directory per index, created once however many files it holds.
    let made = madeDirs.get(index);
    if (!made) madeDirs.set(index, (made = makeSubdirectory(root, String(index))));
    const fresh = await made;
    // A name seen twice in one index (a server listing it twice, or two names made safe alike)
    // goes through the full existing-file check.
    let seen = namesWritten.get(index);
    if (!seen) namesWritten.set(index, (seen = new Set()));
    const knownEmptyDirectory = fresh && !seen.has(safeName);
    seen.add(safeName);
    const { path, outcome } = await writeFileSafely(dir, fileName, bytes, { overwrite: options.overwrite, names, knownEmptyDirectory });
    progress.bytes += bytes.byteLength;
    return { index, fileName, path, outcome };
  };

  const run = async (task: Task): Promise<void> => {
    if (task.kind === 'list') {
      try {
        const listed = await batch.listArtifacts(task.index, { signal: options.signal });
        for (const fileName of listed) fetches.push({ kind: 'file', index: task.index, fileName });
        progress.filesTotal += listed.length;
      } catch (err) {
        if (options.signal?.aborted) throw err;
        files.push({ index: task.index, fileName: '', error: messageOf(err) });
        progress.failed++;
      }
      progress.indicesListed++;
      report();
      return;
    }
    let result: BulkFileResult;
    try {
      result = await fileTask(task.index, task.fileName);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      result = { index: task.index, fileName: task.fileName, error: messageOf(err) };
      progress.failed++;
    }
    files.push(result);
    progress.filesDone++;
    report();
  };

  // Fetching known files goes before listing more indices, so files flow from the start and
  // the queue of known files stays short.
  await pool(options.concurrency ?? 16, () => fetches.shift() ?? lists.shift(), run, options.signal);
  files.sort((a, b) => a.index - b.index || a.fileName.localeCompare(b.fileName));
  return { files, bytes: progress.bytes, failed: progress.failed };
}

/**
 * File lists from results already polled: a result's `changedFiles` limited to the service's
 * declared `outputFileNames` (the files a run can leave as artifacts). Undefined (so the index
 * is listed by a call) when the result is missing or names no file.
 */
export function artifactNamesFromResults(
  result: (index: number) => { raw: { changedFiles: string[] } } | undefined,
  outputFileNames: readonly string[],
): (index: number) => readonly string[] | undefined {
  const declared = new Set(outputFileNames);
  return (index) => {
    if (declared.size === 0) return undefined;
    const changed = result(index)?.raw.changedFiles;
    if (!changed || changed.length === 0) return undefined;
    const names = changed.filter((n) => declared.has(n));
    return names.length > 0 ? names : undefined;
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
