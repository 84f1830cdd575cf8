import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDirectory, safeFileName, unsafeReason, writeFileSafely } from '../../src/batch/index.js';
import { tempDir } from './helpers.js';

describe('server file names', () => {
  it.each([
    ['../x', 'it contains a path separator', 'x'],
    ['/etc/passwd', 'it is an absolute path', 'passwd'],
    ['C:\\boot.ini', 'it is an absolute path', 'boot.ini'],
    ['a\u0000b', 'it contains a NUL byte', 'ab'],
    ['..', 'it names a directory', '_'],
    ['aux.txt', 'it is a Windows device name', '_aux.txt'],
    ['a<b|c', 'it contains control or reserved characters', 'a_b_c'],
    ['trailing.', 'it ends with a dot or space', 'trailing'],
  ])('%j is refused (%s) and made safe as %j', (name, reason, safe) => {
    expect(unsafeReason(name)).toBe(reason);
    expect(safeFileName(name)).toBe(safe);
    expect(unsafeReason(safeFileName(name))).toBeUndefined();
  });

  it('accepts ordinary names as they are', () => {
    for (const name of ['answer.csv', 'chart.png', '.hidden', 'ünïcode ok.txt']) expect(unsafeReason(name)).toBeUndefined();
  });
});

describe('writeFileSafely', () => {
  it('writes via .part, skips identical content, refuses different content unless asked', async () => {
    const dir = await tempDir();
    expect((await writeFileSafely(dir, 'a.txt', Buffer.from('one'))).outcome).toBe('written');
    expect((await writeFileSafely(dir, 'a.txt', Buffer.from('one'))).outcome).toBe('identical');
    await expect(writeFileSafely(dir, 'a.txt', Buffer.from('two'))).rejects.toThrow(/exists with different content; use --overwrite/);
    expect((await writeFileSafely(dir, 'a.txt', Buffer.from('two'), { overwrite: true })).outcome).toBe('overwritten');
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('does not follow a planted NAME.part symlink', async () => {
    const dir = await tempDir();
    const outside = join(await tempDir(), 'victim.txt');
    await writeFile(outside, 'keep me');
    await symlink(outside, join(dir, 'b.txt.part'));
    await writeFileSafely(dir, 'b.txt', Buffer.from('new'));
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('new');
  });

  it('explains a destination that cannot be created', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    await expect(ensureDirectory(join(dir, 'file', 'sub'))).rejects.toThrow(/cannot use .*file\/sub as the destination: a file \(not a directory\) is in the way/);
  });
});
