import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { fieldText } from '../../src/components/FormField.js';
import { editField, type FieldText } from '../../src/hooks/use-form.js';
import { renderApp } from './app-fixture.js';
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

  it('on the connect screen, a typo inside the password is mended with ← before logging in; q is text, and ↑ and Tab move between fields', async () => {
    const { h, actions } = renderApp({ kind: 'connect' }, { setup: (store) => store.getState().setConnection('http://127.0.0.1:12800', 'admin', false) });
    await h.waitForFrame((x) => x.includes('> password  █'), 'the password field');
    await h.type('test-pasword-1');
    await h.waitForFrame((x) => x.includes('> password  **************█'), 'the typed password');
    for (let i = 0; i < 6; i++) await h.press(KEYS.left);
    // The cursor stands inside: no block at the end any more.
    await h.waitForFrame((x) => /> password {2}\*{14}$/m.test(x), 'the cursor inside');
    await h.press('s');
    await h.waitForFrame((x) => /> password {2}\*{15}$/m.test(x), 'the mended password');
    // q goes into the user field as text, and comes out again.
    h.write(KEYS.up);
    await h.waitForFrame((x) => x.includes('> user      admin█'), 'up to the user');
    h.write('q');
    await h.waitForFrame((x) => x.includes('> user      adminq█'), 'q typed');
    h.write(KEYS.backspace);
    await h.waitForFrame((x) => x.includes('> user      admin█'), 'q deleted');
    h.write(KEYS.tab);
    await h.waitForFrame((x) => /> password {2}\*{15}$/m.test(x), 'on to the password, its cursor where it was');
    h.write(KEYS.enter);
    await h.waitForFrame((x) => x.startsWith('Services on'), 'the services screen');
    expect(actions.callsOf('connect')).toEqual([['http://127.0.0.1:12800', 'admin', 'test-password-1']]);
    h.unmount();
  });

  it('on the connect screen, Enter on the host and the user moves on (as in the compose form); only on the password does it log in', async () => {
    const { h, actions } = renderApp({ kind: 'connect' });
    await h.waitForFrame((x) => x.includes('> host      █'), 'the host field');
    await h.type('http://h:1');
    let f = await h.press(KEYS.enter);
    expect(f).toContain('> user      admin█');
    f = await h.press(KEYS.enter);
    expect(f).toContain('> password  █');
    expect(actions.callsOf('connect')).toEqual([]);
    await h.type('pw');
    h.write(KEYS.enter);
    await h.waitForFrame((x) => x.startsWith('Services on'), 'the services screen');
    expect(actions.callsOf('connect')).toEqual([['http://h:1', 'admin', 'pw']]);
    h.unmount();
  });
});
