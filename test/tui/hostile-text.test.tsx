/** Text from a server reaches the app's screen only as visible escapes: no control or bidi character gets through. */
import { describe, expect, it } from 'vitest';
import type { WebService } from '../../src/protocol.js';
import { ID, renderApp, SERVICES, showExecution } from './app-fixture.js';
import { KEYS } from './harness.js';

const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;owned\x07';
const HOSTILE = `esc${CLEAR}title${TITLE}c1\x9b2Jbell\x07nul\x00cr\rbidi\u202etxt.exe\u2066`;

/** A frame as ink wrote it, less ink's own SGR colour sequences: anything control-like left came from outside. */
function outsideControls(raw: string): string[] {
  const rest = raw.replace(/\x1b\[[0-9;]*m/g, '');
  return [...rest.matchAll(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g)].map((m) => JSON.stringify(m[0]));
}

describe('server text in the app', () => {
  it('service names and descriptions are shown escaped on the services and actions screens', async () => {
    const bad: WebService = { ...SERVICES[0], name: `svc${HOSTILE}`, version: `1${CLEAR}`, description: HOSTILE, outputFileNames: [HOSTILE] };
    const { h, actions } = renderApp({ kind: 'services' }, { cols: 120, rows: 30 });
    actions.services = [bad];
    let f = await h.waitForFrame((x) => x.includes('svcesc\\u001b[2J'), 'the hostile service listed');
    expect(outsideControls(h.rawFrame())).toEqual([]);
    f = await h.press(KEYS.enter);
    expect(f).toContain('\\u202etxt.exe');
    expect(outsideControls(h.rawFrame())).toEqual([]);
    h.unmount();
  });

  it("an index's error, console, outputs and artifact names, and the status line, are shown escaped", async () => {
    const ref = { service: 'chart', version: '1.0', id: ID };
    const { h, actions, store } = renderApp({ kind: 'execution', ref }, { cols: 120, rows: 30, setup: (s) => showExecution(s, ref, {
      states: 'X',
      state: 'Failed',
      detail: () => ({ inputs: { model: HOSTILE }, outputs: { title: HOSTILE }, error: `boom ${HOSTILE}`, consoleOutput: `line1 ${HOSTILE}\nline2${CLEAR}` }),
    }) });
    actions.artifacts = () => [`a${HOSTILE}.txt`];
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('Failed'), 'the execution');
    let f = await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('artifacts (1)'), 'the index with its artifact');
    expect(f).toContain('boom esc\\u001b[2J');
    expect(f).toContain('line2\\u001b[2J');
    expect(outsideControls(h.rawFrame())).toEqual([]);
    store.getState().setStatus(`Cancel failed (server said: ${HOSTILE})`, 'error');
    f = await h.waitForFrame((x) => x.includes('server said: esc'), 'the status');
    expect(outsideControls(h.rawFrame())).toEqual([]);
    h.unmount();
  });
});
