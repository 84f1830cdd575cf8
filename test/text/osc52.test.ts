/** The clipboard: OSC 52's bytes (plain, and in tmux's passthrough), where they can go, and what the status line says. */
import { describe, expect, it } from 'vitest';
import { OSC52_MAX_BYTES, osc52 } from '../../src/text/osc52.js';
import { clipboardReach, followClipboard } from '../../src/terminal/clipboard.js';
import { copyOutcome } from '../../src/store/copy.js';
import { createAppStore } from '../../src/store/app-store.js';

const ID = '4f53c9cf-1234-4abc-8def-0123456789ab';
const B64 = Buffer.from(ID).toString('base64');

describe('OSC 52', () => {
  it('is ESC ] 52 ; c ; base64 BEL, and in tmux the same inside ESC P tmux; … ESC \\ with each ESC doubled', () => {
    expect(osc52(ID)).toBe(`\x1b]52;c;${B64}\x07`);
    expect(osc52(ID, { tmux: true })).toBe(`\x1bPtmux;\x1b\x1b]52;c;${B64}\x07\x1b\\`);
    // UTF-8 text, newlines and all, travels as its bytes.
    expect(osc52('é\nx')).toBe(`\x1b]52;c;${Buffer.from('é\nx', 'utf8').toString('base64')}\x07`);
    expect(Buffer.from(osc52('x'.repeat(OSC52_MAX_BYTES)).slice(7, -1), 'base64').length).toBe(OSC52_MAX_BYTES);
    expect(osc52('x'.repeat(OSC52_MAX_BYTES)).length - 8).toBe(100_000);
  });

  it('goes to a terminal (through tmux when $TMUX is set), never without one, to TERM=dumb or the Linux console', () => {
    expect(clipboardReach({ TERM: 'xterm-256color' }, true)).toEqual({ osc52: true, tmux: false });
    expect(clipboardReach({ TERM: 'tmux-256color', TMUX: '/tmp/tmux-0/default,1,0' }, true)).toEqual({ osc52: true, tmux: true });
    expect(clipboardReach({ TERM: 'xterm' }, false)).toEqual({ osc52: false, why: 'not a terminal' });
    expect(clipboardReach({ TERM: 'dumb' }, true)).toEqual({ osc52: false, why: 'TERM=dumb' });
    expect(clipboardReach({ TERM: 'linux' }, true)).toMatchObject({ osc52: false });
  });

  it('says what was copied, shortened and made safe; or shows the text itself where it cannot be copied', () => {
    const tmux = { osc52: true, tmux: true } as const;
    expect(copyOutcome(ID, 'execution id', tmux)).toEqual({ status: `Copied execution id: ${ID}`, level: 'info', send: true });
    const error = `bad value\u001b[2J in ${'x'.repeat(60)}`;
    const said = copyOutcome(error, 'the error of index 3', tmux).status;
    expect(said).toMatch(/^Copied the error of index 3: bad value\\u001b\[2J in x+…$/);
    expect(said.length).toBeLessThan(80);
    expect(copyOutcome(ID, 'execution id', { osc52: false, why: 'TERM=dumb' })).toEqual({ status: `Cannot copy here (TERM=dumb); select it: ${ID}`, level: 'info', send: false });
    expect(copyOutcome('y'.repeat(OSC52_MAX_BYTES + 1), 'the outputs of index 0', tmux)).toMatchObject({ send: false, level: 'error' });
  });

  it('is written once per copy the store asks for, and only where it can go', () => {
    const store = createAppStore({ kind: 'services' });
    const writes: string[] = [];
    const stop = followClipboard(store, (chunk) => writes.push(chunk));
    // Before the terminal says it can take OSC 52 (a test, a pipe), the text is only shown.
    store.getState().copy(ID, 'execution id');
    expect(writes).toEqual([]);
    expect(store.getState().status?.text).toBe(`Cannot copy here (not a terminal); select it: ${ID}`);
    store.getState().setClipboard({ osc52: true, tmux: false });
    store.getState().copy(ID, 'execution id');
    store.getState().setStatus('something else');
    store.getState().setClipboard({ osc52: true, tmux: true });
    store.getState().copy(ID, 'execution id');
    expect(writes).toEqual([osc52(ID), osc52(ID, { tmux: true })]);
    stop();
    store.getState().copy(ID, 'execution id');
    expect(writes).toHaveLength(2);
  });
});
