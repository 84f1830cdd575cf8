/** Where records run and leave their files, and which file names may ever be served. */
import { lstat, rmdir } from 'node:fs/promises';
import { extname, join } from 'node:path';

const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Why `name` cannot be an artifact file name, or undefined when it is a plain file name. */
export function checkFileName(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 255) return 'is longer than 255 characters';
  if (name === '.' || name === '..') return 'is not a file name';
  if (/[/\\]/.test(name)) return 'contains a path separator';
  if (name.includes('\0')) return 'contains a NUL character';
  if (/^[A-Za-z]:/.test(name)) return 'is a drive path';
  if (DEVICE_NAMES.test(name)) return 'is a device name';
  return undefined;
}

/** The directory holding every record directory of one execution. */
export function executionDir(dataDir: string, executionId: string): string {
  return join(dataDir, 'executions', executionId);
}

/** The record's own directory, holding its artifacts (only records that left some have one). */
export function recordDir(dataDir: string, executionId: string, index: number): string {
  return join(dataDir, 'executions', executionId, String(index));
}

/** The names in `dir` that are plain files (a symbolic link left by service code could point anywhere). */
export async function plainFiles(dir: string, names: string[]): Promise<string[]> {
  const ok = await Promise.all(
    names.map((n) => lstat(join(dir, n)).then((s) => s.isFile(), () => false)),
  );
  return names.filter((_, i) => ok[i]);
}

/** Removes a directory only when it is empty (an execution whose records left no files). */
export async function dropIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch(() => {});
}

const TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
};

/** Content type of an artifact, from its extension. */
export function contentTypeOf(fileName: string): string {
  return TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}
