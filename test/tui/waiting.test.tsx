import { EventEmitter } from 'node:events';
import { Box, render } from 'ink';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import type { AppActions } from '../../src/actions.js';
import { ExecHeader } from '../../src/components/ExecHeader.js';
import { isUtf8Locale } from '../../src/text/locale.js';
import { Waiting } from '../../src/components/Waiting.js';
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import { StoreContext } from '../../src/store/hooks.js';
import { installOutputCache } from '../../src/terminal/ink-output.js';
import { inkStdout, needsFrameAnchor } from '../../src/terminal/ink-stdout.js';
import { RENDER_OPTIONS } from '../../src/terminal/render-options.js';
import { renderHarness } from './harness.js';
import { eventually } from '../test-clock.js';

const ref = { service: 'slow-scorer', version: '1.0', id: '5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f' };

/** An execution half done whose polls now fail, with a long elapsed time and parallel count. */
function reconnecting(): AppStore {
  const store = createAppStore({ kind: 'execution', ref });
  store.getState().attach(ref, 100);
  const n = 2000;
  const states = new Uint8Array(n).map((_, i) => (i < n / 2 ? 2 : 0));
  const now = Date.now();
  store.getState().applyPoll({
    state: 'InProgress', total: n, completed: n / 2, parallelCount: 100, states, counts: [n / 2, 0, n / 2, 0, 0],
    startedAt: now - 12 * 3600_000, endedAt: null, throughput: 42, etaMs: 60_000, lastGoodPollAt: now - 12_000,
  });
  store.getState().pollFailed('connect ECONNREFUSED');
  return store;
}

/** A terminal-like stdout keeping what ink writes. */
class TtyOut extends EventEmitter {
  columns = 80;
  rows = 24;
  isTTY = true;
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}
class TtyIn extends EventEmitter {
  isTTY = true;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => null;
}

/** The frames ink sent, each from its synchronized-update begin to its end. */
const framesOf = (text: string) => text.split('\x1b[?2026h').filter((t) => t.includes('\x1b[?2026l'));

describe('waits', () => {
  const saved = { LC_ALL: process.env.LC_ALL, LANG: process.env.LANG };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('tell a UTF-8 locale from others, LC_ALL first', () => {
    expect(isUtf8Locale({ LANG: 'en_US.UTF-8' }, 'linux')).toBe(true);
    expect(isUtf8Locale({ LANG: 'C.utf8' }, 'linux')).toBe(true);
    expect(isUtf8Locale({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }, 'linux')).toBe(false);
    expect(isUtf8Locale({ LC_CTYPE: 'de_DE.ISO-8859-1' }, 'linux')).toBe(false);
    expect(isUtf8Locale({}, 'linux')).toBe(false);
    expect(isUtf8Locale({}, 'win32')).toBe(true);
  });

  it('show a still glyph and the label where no terminal would see a tick', async () => {
    const h = renderHarness(<Waiting label="Connecting…" />);
    expect(await h.waitForFrame((f) => f.length > 0, 'the wait')).toBe('* Connecting…');
    h.unmount();
  });

  it('keep the whole reconnect notice beside the spinner at 80 columns; the rest of the line is cut first', async () => {
    const store = reconnecting();
    const h = renderHarness(
      <StoreContext.Provider value={store}>
        <Box width={80} flexDirection="column">
          <ExecHeader width={80} color={false} />
        </Box>
      </StoreContext.Provider>,
    );
    const f = await h.waitForFrame((x) => x.includes('reconnecting'), 'the notice');
    const line = f.split('\n')[1];
    expect(line).toMatch(/^InProgress · parallel 100 · elapsed 12h.*… \* reconnecting, last good poll 1[2-9] s ago$/);
    expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(f.split('\n')).toHaveLength(3);
    h.unmount();
  });

  it('stand where the lists and the connect form wait: a services list loading, a login under way', async () => {
    // Server calls that never answer: the screens stay on their waits.
    const pending = new Proxy({}, { get: () => () => new Promise(() => undefined) }) as AppActions;
    const store = createAppStore({ kind: 'services' });
    store.getState().setConnection('http://127.0.0.1:12800', 'admin', true);
    const h = renderHarness(<App store={store} actions={pending} color={false} size={{ cols: 80, rows: 24 }} />, { maxRows: 23 });
    await h.waitForFrame((f) => f.startsWith('Services on http://127.0.0.1:12800 (* loading)'), 'the services loading');
    store.getState().replaceAll({ kind: 'connect' });
    await h.waitForFrame((f) => f.includes('> password'), 'the connect form');
    await h.press('x');
    h.write('\r');
    const f = await h.waitForFrame((x) => x.includes('* Connecting…'), 'the login under way');
    expect(f).not.toContain('The host is remembered');
    h.unmount();
  });

  for (const [locale, frames] of [['C.UTF-8', /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]$/], ['C', /^[-\\|/]$/]] as const) {
    it(`tick on a terminal (${locale} locale), each tick rewriting one row through the app's render path`, async () => {
      process.env.LC_ALL = locale;
      await installOutputCache();
      const stdout = new TtyOut();
      const actions = new Proxy({}, { get: () => async () => [] }) as AppActions;
      const options = { stdout: inkStdout(stdout as unknown as NodeJS.WriteStream, await needsFrameAnchor()), stdin: new TtyIn() as unknown as NodeJS.ReadStream, ...RENDER_OPTIONS };
      const instance = render(<App store={reconnecting()} actions={actions} color={false} />, options);
      try {
        await eventually(() => framesOf(stdout.text).length >= 8, 'eight frames', 10_000);
        const [first, ...ticks] = framesOf(stdout.text);
        expect(first).toContain('reconnecting');
        const glyphs = new Set<string>();
        for (const tick of ticks) {
          // ink's incremental renderer ends each row it rewrites with ESC[K.
          expect(tick.split('\x1b[K')).toHaveLength(2);
          const glyph = /(\S) reconnecting/.exec(tick)?.[1] ?? '';
          expect(glyph).toMatch(frames);
          glyphs.add(glyph);
        }
        expect(glyphs.size).toBeGreaterThan(2);
      } finally {
        instance.unmount();
        instance.cleanup();
      }
    });
  }
});
