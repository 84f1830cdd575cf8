import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFileName, ensureDirectory, safeFileName, unsafeReason, writeFileSafely } from '../../src/index.js';
import { tempDir } from '../helpers.js';

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

  // Titled by a label: the names themselves would act on the terminal showing the test report.
  it.each([
    ['a C1 CSI', 'c1\u009b2J', 'it contains control or reserved characters', 'c1_2J'],
    ['a C1 OSC', '\u009d0;t\u009c.txt', 'it contains control or reserved characters', '_0;t_.txt'],
    ['an ESC title sequence', 'esc\u001b]0;t\u0007.txt', 'it contains control or reserved characters', 'esc_]0;t_.txt'],
    ['a right-to-left override', '\u202etxt.exe', 'it contains a bidirectional control character', '_txt.exe'],
    ['isolates and a mark', 'a\u2066b\u2069\u200f.txt', 'it contains a bidirectional control character', 'a_b__.txt'],
  ])('a name with %s is refused and made safe', (_label, name, reason, safe) => {
    expect(unsafeReason(name)).toBe(reason);
    expect(safeFileName(name)).toBe(safe);
    expect(unsafeReason(safeFileName(name))).toBeUndefined();
  });

  it('names a refused file with its control characters escaped', () => {
    expect(() => checkFileName('c1\u009b2J\u202e', 'strict'))
      .toThrow('refused the server\'s file name "c1\\u009b2J\\u202e": it contains a bidirectional control character');
  });

  it('accepts ordinary names as they are', () => {
    for (const name of ['answer.csv', 'chart.png', '.hidden', 'ünïcode ok.txt', '漢字 🚀.png', 'nbsp\u00a0ok.txt']) expect(unsafeReason(name)).toBeUndefined();
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
