/** The copy key (y): the selected execution's id, or an index's error or outputs, to the clipboard, and the status line saying what. */
import { describe, expect, it } from 'vitest';
import { followClipboard } from '../../src/terminal/clipboard.js';
import { osc52 } from '../../src/text/osc52.js';
import { copyText } from '../../src/screens/IndexScreen.js';
import { ID, renderApp, serviceNamed, showExecution } from './app-fixture.js';
import { KEYS } from './harness.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const ref = { service: 'flaky', version: '1.0', id: ID };
/** The status line: the row above the hint bar. */
const statusOf = (f: string) => {
  const rows = f.split('\n');
  return rows[rows.findIndex((l) => /^q back/.test(l)) - 1] ?? '';
};

describe('the copy key', () => {
  it('copies the selected execution of a list, through tmux when the app runs in it', async () => {
    const writes: string[] = [];
    const { h, store, actions } = renderApp({ kind: 'executions', service: serviceNamed('flaky') }, {
      setup: (s) => s.getState().setClipboard({ osc52: true, tmux: true }),
    });
    const stop = followClipboard(store, (chunk) => writes.push(chunk));
    actions.executions = [
      { id: A, state: 'Complete', total: 2, completed: 2 },
      { id: B, state: 'Complete', total: 2, completed: 2 },
    ];
    await h.waitForFrame((x) => x.includes(B), 'the list');
    await h.press('j');
    const f = await h.press('y');
    expect(statusOf(f)).toBe(`Copied execution id: ${B}`);
    expect(writes).toEqual([osc52(B, { tmux: true })]);
    expect(writes[0]).toBe(`\x1bPtmux;\x1b\x1b]52;c;${Buffer.from(B).toString('base64')}\x07\x1b\\`);
    stop();
    h.unmount();
  });

  it('copies the execution on screen; where the terminal cannot take it, shows the id to select by hand', async () => {
    const writes: string[] = [];
    const { h, store } = renderApp({ kind: 'execution', ref }, {
      setup: (s) => {
        showExecution(s, ref, { states: '#X', state: 'Complete' });
        s.getState().setClipboard({ osc52: false, why: 'TERM=dumb' });
      },
    });
    const stop = followClipboard(store, (chunk) => writes.push(chunk));
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('Complete'), 'the execution');
    const f = await h.press('y');
    expect(f).toContain(`Cannot copy here (TERM=dumb); select it: ${ID}`);
    expect(writes).toEqual([]);
    stop();
    h.unmount();
  });

  it("copies an index's error message, else its outputs; an unfinished index has nothing to copy yet", async () => {
    const writes: string[] = [];
    const { h, store } = renderApp({ kind: 'execution', ref }, {
      setup: (s) => {
        showExecution(s, ref, {
          states: '#X>', state: 'InProgress',
          detail: (i) => (i === 0 ? { outputs: { score: 0.53 } } : i === 1 ? { error: 'value must not be negative, got -1' } : {}),
        });
        s.getState().setClipboard({ osc52: true, tmux: false });
      },
    });
    const stop = followClipboard(store, (chunk) => writes.push(chunk));
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('InProgress'), 'the execution');
    await h.press(KEYS.enter);
    let f = await h.waitForFrame((x) => x.includes('index 0'), 'index 0');
    f = await h.press('y');
    expect(statusOf(f)).toBe('Copied the output score of index 0: 0.53');
    await h.press('q');
    await h.press('l');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('index 1'), 'index 1');
    f = await h.press('y');
    expect(statusOf(f)).toBe('Copied the error of index 1: value must not be negative, got -1');
    await h.press('q');
    await h.press('l');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('index 2'), 'index 2');
    f = await h.press('y');
    expect(statusOf(f)).toBe('The index has not finished: no error or output to copy yet');
    expect(writes).toEqual([osc52('0.53'), osc52('value must not be negative, got -1')]);
    stop();
    h.unmount();
  });

  it('takes several outputs as JSON, and one text output as it is', () => {
    const detail = { index: 0, state: 'Complete' as const, inputs: null, consoleOutput: '', error: '', durationMs: null };
    expect(copyText({ ...detail, outputs: { label: 'a "b"' } })).toEqual({ text: 'a "b"', what: 'output label' });
    expect(copyText({ ...detail, outputs: { score: 0.5, label: 'a' } })).toEqual({ text: '{"score":0.5,"label":"a"}', what: 'outputs' });
    expect(copyText({ ...detail, outputs: {} })).toBeUndefined();
  });
});
