/** Safe file writing: inside the destination only, via `NAME.part` + rename, never clobbering by surprise. */
import { mkdir, readFile, rename, lstat, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, dirname } from 'node:path';
import { MlBatchUsageError } from './errors.js';
import { checkFileName } from './safe-names.js';
import { safeText } from '../text/safe-text.js';

/** What happened to one file. */
export type WriteOutcome = 'written' | 'overwritten' | 'identical' | 'kept';

/** Options of `writeFileSafely`. */
export interface WriteOptions {
  /** Replace an existing different file (default false: that is an error). */
  overwrite?: boolean;
  /** Unsafe names: refuse them (default) or write them under a safe form. */
  names?: 'strict' | 'sanitize';
  /** @internal The caller created `dir` itself and writes each name once. */
  knownEmptyDirectory?: boolean;
}

/** Creates `dir` (and parents) or explains why it cannot be used as a destination. */
export async function ensureDirectory(dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    await makeDirectories(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file (not a directory) is in the way'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
        : code === 'EROFS' ? 'the file system is read-only'
          : code === 'ENOENT' ? 'its parent does not accept new directories' : String(code ?? err);
    throw new MlBatchUsageError(`cannot use ${abs} as the destination: ${why}`);
  }
  const s = await stat(abs);
  if (!s.isDirectory()) throw new MlBatchUsageError(`cannot use ${abs} as the destination: it is not a directory`);
  return abs;
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir spins forever under a parent that
 * exists but refuses new entries with ENOENT (e.g. /proc), so a typo in --dest would hang.
 */
async function makeDirectories(abs: string): Promise<void> {
  const missing: string[] = [];
  for (let d = abs; ; d = dirname(d)) {
    const found = await stat(d).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
    if (found || dirname(d) === d) break;
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}

/**
 * Creates `<root>/<sub>` (one level, `root` existing); resolves true when this call created it,
 * so the caller knows it is empty, false when it was there already.
 */
export async function makeSubdirectory(root: string, sub: string): Promise<boolean> {
  const dir = join(root, sub);
  try {
    await mkdir(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!(await lstat(dir)).isDirectory()) {
      throw new MlBatchUsageError(`cannot use ${dir}: a file (not a directory) is in the way`);
    }
    return false;
  }
}

/** Writes `bytes` as `name` inside `dir`; returns the path and what was done. */
export async function writeFileSafely(
  dir: string,
  name: string,
  bytes: Uint8Array,
  options: WriteOptions = {},
): Promise<{ path: string; outcome: WriteOutcome }> {
  const safe = checkFileName(name, options.names ?? 'strict');
  const root = resolve(dir);
  const target = join(root, safe);
  // Belt and braces: the checked name cannot escape, but the resolved path is checked anyway.
  if (dirname(target) !== root) throw new MlBatchUsageError(`refused to write ${safeText(JSON.stringify(name))}: outside ${root}`);
  let existed = false;
  // In a directory this run created, nothing can be in the way: skip the look.
  const current = options.knownEmptyDirectory ? undefined : await lstat(target).catch(() => undefined);
  if (current) {
    if (!current.isFile()) {
      throw new MlBatchUsageError(`${target} exists and is not a regular file; not touched`);
    }
    existed = true;
    if (current.size === bytes.byteLength && Buffer.from(await readFile(target)).equals(bytes)) {
      return { path: target, outcome: 'identical' };
    }
    if (!options.overwrite) {
      throw new MlBatchUsageError(`${target} exists with different content; use --overwrite to replace it`);
    }
  }
  const part = `${target}.part`;
  // 'wx' never follows a planted symlink at NAME.part; a leftover .part is removed and replaced.
  try {
    await writeFile(part, bytes, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await unlink(part);
    await writeFile(part, bytes, { flag: 'wx', mode: 0o644 });
  }
  await rename(part, target);
  return { path: target, outcome: existed ? 'overwritten' : 'written' };
}
