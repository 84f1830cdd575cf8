import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { ASCII_GLYPH, asciiText } from '../../src/text/glyphs.js';
import { colorsOfEntry, terminfoColors } from '../../src/terminal/terminfo.js';
import { prepareUiEnv } from '../../src/launch/app-command.js';

/** A compiled terminfo entry (the 16-bit format) with `colors` set, or absent when null. */
function entry(name: string, colors: number | null): Buffer {
  const names = Buffer.from(`${name}|test terminal\0`);
  const bools = Buffer.from([1, 1, 0]);
  const numCount = colors === null ? 5 : 15;
  const nums = Buffer.alloc(numCount * 2, 0xff);
  if (colors !== null) nums.writeInt16LE(colors, 13 * 2);
  const header = Buffer.alloc(12);
  [0o432, names.length, bools.length, numCount, 0, 0].forEach((v, i) => header.writeInt16LE(v, i * 2));
  const pad = (names.length + bools.length) % 2 ? Buffer.from([0]) : Buffer.alloc(0);
  return Buffer.concat([header, names, bools, pad, nums]);
}

describe('the terminal type decides colours; the locale decides glyphs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlbatch-terminfo-'));
    await mkdir(join(dir, 'v'));
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'v', 'vt-mono'), entry('vt-mono', null));
    await writeFile(join(dir, 'v', 'vt-minus'), entry('vt-minus', -1));
    await writeFile(join(dir, 'x', 'xt-color'), entry('xt-color', 8));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads the colours of a terminfo entry: none for a monochrome type, 8 for a colour one, unknown when absent', () => {
    const env = { TERMINFO: dir, HOME: dir };
    expect(terminfoColors('vt-mono', env)).toBe(-1);
    expect(terminfoColors('vt-minus', env)).toBe(-1);
    expect(terminfoColors('xt-color', env)).toBe(8);
    expect(terminfoColors('no-such-terminal-type', { ...env, TERMINFO_DIRS: dir })).toBeUndefined();
    expect(terminfoColors('../etc/passwd', env)).toBeUndefined();
    expect(colorsOfEntry(Buffer.from('not terminfo'))).toBeUndefined();
  });

  it('turns colours off before chalk loads for a terminal type without them (unless FORCE_COLOR says otherwise)', () => {
    const mono: NodeJS.ProcessEnv = { TERM: 'vt-mono', TERMINFO: dir, HOME: dir };
    prepareUiEnv(mono, true);
    expect(mono.FORCE_COLOR).toBe('0');
    const color: NodeJS.ProcessEnv = { TERM: 'xt-color', TERMINFO: dir, HOME: dir };
    prepareUiEnv(color, true);
    expect(color.FORCE_COLOR).toBeUndefined();
    const forced: NodeJS.ProcessEnv = { TERM: 'vt-mono', TERMINFO: dir, HOME: dir, FORCE_COLOR: '1' };
    prepareUiEnv(forced, true);
    expect(forced.FORCE_COLOR).toBe('1');
  });

  it('puts every glyph of the table, and any other script, in ASCII cell for cell', () => {
    for (const [glyph, stand] of Object.entries(ASCII_GLYPH)) {
      expect(stringWidth(glyph)).toBe(1);
      expect(stand).toMatch(/^[\x20-\x7e]$/);
    }
    const line = '██░░  52% · ETA — ↑↓ ┌─┐ 名前 é…';
    const ascii = asciiText(line);
    expect(ascii).toBe('__..  52% | ETA - ^v +-+ ???? ?~');
    expect(stringWidth(ascii)).toBe(stringWidth(line));
    expect(asciiText('\x1b[1mplain\x1b[0m')).toBe('\x1b[1mplain\x1b[0m');
  });
});
