import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Key } from 'ink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldText } from '../../src/components/FormField.js';
import { editField, type FieldText } from '../../src/components/use-form.js';
import { renderApp, startFixture, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};
const key = (k: Partial<Key> = {}): Key => ({ ...NO_KEY, ...k });
const INV = (ch: string) => `\x1b[7m${ch}\x1b[27m`;

/** Presses keys (`<`, `>`, `^` home, `$` end, `#` backspace, else text) on a field. */
function typeAll(start: FieldText, keys: string, accept?: (ch: string) => boolean, max?: number): FieldText {
  let t = start;
  for (const k of keys) {
    const named = { '<': { leftArrow: true }, '>': { rightArrow: true }, '^': { home: true }, $: { end: true }, '#': { backspace: true } }[k];
    t = editField(t, named ? '' : k, key(named), { accept, max });
  }
  return t;
}

describe('form fields: a cursor inside the text', () => {
  it('insert at the cursor, move with ← → Home End, delete before it', () => {
    expect(typeAll({ value: '', cursor: 0 }, 'abc<<X')).toEqual({ value: 'aXbc', cursor: 2 });
    expect(typeAll({ value: 'abcd', cursor: 4 }, '<<#')).toEqual({ value: 'acd', cursor: 1 });
    expect(typeAll({ value: 'abcd', cursor: 4 }, '^#Z$!')).toEqual({ value: 'Zabcd!', cursor: 6 });
    expect(typeAll({ value: 'ab', cursor: 2 }, '<<<<>>>>')).toEqual({ value: 'ab', cursor: 2 });
    // Wide and astral characters move as one.
    expect(typeAll({ value: '漢😀z', cursor: 3 }, '<#')).toEqual({ value: '漢z', cursor: 1 });
    expect(typeAll({ value: '漢😀z', cursor: 3 }, '<<#')).toEqual({ value: '😀z', cursor: 0 });
  });

  it('keep out control characters, Ctrl and Alt keys, and what a field does not take', () => {
    expect(editField({ value: 'ab', cursor: 1 }, 'a', key({ ctrl: true }))).toEqual({ value: 'ab', cursor: 1 });
    expect(editField({ value: 'ab', cursor: 2 }, 'x\r\ty\x1b', key())).toEqual({ value: 'abxy', cursor: 4 });
    const digits = (ch: string) => ch >= '0' && ch <= '9';
    expect(typeAll({ value: '10', cursor: 2 }, '<5a7', digits, 4)).toEqual({ value: '1570', cursor: 3 });
    expect(typeAll({ value: '1570', cursor: 4 }, '9', digits, 4)).toEqual({ value: '1570', cursor: 4 });
  });

  it('show the cursor as a block at the end or the character under it in inverse video, the cursor kept in view', () => {
    expect(fieldText('abc', 3, 10)).toBe('abc█');
    expect(fieldText('abc', 1, 10)).toBe(`a${INV('b')}c`);
    expect(fieldText('abc', null, 10)).toBe('abc');
    const long = 'abcdefghijklmnopqrstuvwxyz';
    expect(fieldText(long, 26, 10)).toBe('…stuvwxyz█');
    expect(fieldText(long, 2, 10)).toBe(`ab${INV('c')}defghi…`);
    expect(fieldText(long, 15, 10)).toBe(`…hijklmno${INV('p')}`);
  });

  describe('on the connect screen', () => {
    let fx: ServerFixture;
    const oldConfig = process.env.XDG_CONFIG_HOME;
    beforeAll(async () => {
      fx = await startFixture();
      process.env.XDG_CONFIG_HOME = join(fx.work, 'config');
      await mkdir(process.env.XDG_CONFIG_HOME);
    });
    afterAll(async () => {
      process.env.XDG_CONFIG_HOME = oldConfig;
      await fx?.stop();
    });

    it('mends a typo inside the password with ← and logs in; q is text, and ↑ and Tab move between fields', async () => {
      const app = await renderApp(null, { kind: 'connect' }, { downloadDir: join(fx.work, 'd'), start: (c) => c.store.getState().setConnection(fx.server.url, 'admin', false) });
      const { h } = app;
      await h.waitForFrame((x) => x.includes('> password  █'), 'the password field');
      for (const ch of 'test-pasword-1') await h.press(ch);
      await h.waitForFrame((x) => x.includes('> password  **************█'), 'the typed password');
      for (let i = 0; i < 6; i++) await h.press(KEYS.left);
      // The cursor stands inside: no block at the end any more.
      await h.waitForFrame((x) => /> password {2}\*{14}$/m.test(x), 'the cursor inside');
      await h.press('s');
      // q goes into the user field as text, and comes out again.
      await h.pressUntil(KEYS.up, (x) => x.includes('> user      admin█'), 'up to the user');
      await h.pressUntil('q', (x) => x.includes('> user      adminq█'), 'q typed');
      await h.pressUntil(KEYS.backspace, (x) => x.includes('> user      admin█'), 'q deleted');
      await h.pressUntil(KEYS.tab, (x) => /> password {2}\*{15}$/m.test(x), 'on to the password, its cursor where it was');
      await h.pressUntil(KEYS.enter, (x) => x.startsWith('Services on') && x.includes('slow-scorer'), 'the services screen');
      h.unmount();
    });
  });
});
