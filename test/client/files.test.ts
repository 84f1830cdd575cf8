/** Destinations: created when missing, or a clear error (never a hang) when they cannot be. */
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDirectory, MlBatchUsageError } from '../../src/index.js';
import { tempDir } from '../helpers.js';

describe('ensureDirectory', () => {
  it('creates missing parents and accepts an existing directory', async () => {
    const dir = join(await tempDir(), 'a', 'b', 'c');
    expect(await ensureDirectory(dir)).toBe(dir);
    expect((await stat(dir)).isDirectory()).toBe(true);
    expect(await ensureDirectory(dir)).toBe(dir);
  });

  it('says a file is in the way, at the destination or above it', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'f'), 'x');
    await expect(ensureDirectory(join(root, 'f'))).rejects.toThrow(`cannot use ${join(root, 'f')} as the destination: it is not a directory`);
    await expect(ensureDirectory(join(root, 'f', 'sub'))).rejects.toThrow(/a file \(not a directory\) is in the way/);
  });

  it.runIf(existsSync('/proc/self'))('refuses a parent that accepts no new directories (/proc) instead of spinning', async () => {
    const err = await ensureDirectory('/proc/mlbatch-no-such/dest').catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchUsageError);
    expect(err.message).toBe('cannot use /proc/mlbatch-no-such/dest as the destination: its parent does not accept new directories');
  }, 10_000);
});
