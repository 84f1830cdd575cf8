import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/index.js';

// Every character a terminal may act on: what must never reach one raw.
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const RAW_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('safeText', () => {
  it.each([
    ['clear screen', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['window title', '\u001b]0;pwned\u0007', '\\u001b]0;pwned\\u0007'],
    ['C1 CSI', 'c1\u009b2J', 'c1\\u009b2J'],
    ['C1 OSC and ST', '\u009d0;t\u009c', '\\u009d0;t\\u009c'],
    ['NUL and DEL', 'a\u0000b\u007f', 'a\\u0000b\\u007f'],
    ['CR overwriting a line', 'ok\rFAIL', 'ok\\rFAIL'],
    ['right-to-left override', '\u202etxt.exe', '\\u202etxt.exe'],
    ['isolates and marks', '\u2066a\u2069\u200e\u200f\u061c', '\\u2066a\\u2069\\u200e\\u200f\\u061c'],
    ['newline and tab (one line by default)', 'a\nb\tc', 'a\\nb\\tc'],
  ])('escapes %s visibly', (_what, raw, escaped) => {
    expect(safeText(raw)).toBe(escaped);
    expect(safeText(raw)).not.toMatch(RAW);
  });

  it('leaves ordinary text alone and returns the same string when nothing needs escaping', () => {
    for (const s of ['', 'plain ascii ~!@#$%^&*()', 'ünïcödé', '漢字とかな', 'emoji 👩‍👩‍👧 🚀', 'a\\u001b stays as typed', 'U+00A0\u00a0nbsp']) {
      expect(safeText(s)).toBe(s);
    }
    const long = 'x'.repeat(1_000_000);
    expect(safeText(long)).toBe(long);
  });

  it('keeps LF and TAB only when asked, reads CRLF as LF then, and still escapes a lone CR', () => {
    expect(safeText('one\ntwo\tcols', { multiline: true })).toBe('one\ntwo\tcols');
    expect(safeText('a\r\nb', { multiline: true })).toBe('a\nb');
    expect(safeText('a\rb\u001b[K', { multiline: true })).toBe('a\\rb\\u001b[K');
  });

  it('is idempotent, and keeps JSON text the same JSON value', () => {
    const hostile = 'e\u001b[2J c\u009b b\u202e d\u007f n\u0000 \r\n\t';
    expect(safeText(safeText(hostile))).toBe(safeText(hostile));
    const doc = { name: hostile, list: [hostile, 1], nested: { [hostile]: true } };
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
      const safe = safeText(text, { multiline: true });
      expect(safe).not.toMatch(RAW_BUT_LF);
      expect(JSON.parse(safe)).toEqual(doc);
    }
  });
});
