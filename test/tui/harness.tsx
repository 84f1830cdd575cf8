/** The one ink-testing-library helper: `press` waits for the next frame, `waitForFrame` for a condition. */
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';

/** Named keys as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  ctrlC: '\x03',
  backspace: '\x7f',
} as const;

/** A rendered tree driven by keys. */
export interface Harness {
  frame(): string;
  /** Sends a key and resolves once a new frame was drawn (or after `quietMs` if none comes). */
  press(key: string, quietMs?: number): Promise<string>;
  /** Resolves with the first frame that satisfies `predicate`; fails with the last frame after `timeoutMs`. */
  waitForFrame(predicate: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** `press`, then `waitForFrame`: frames from timers or polls may come before the key's own. */
  pressUntil(key: string, predicate: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** Renders `tree` with ink-testing-library; with `maxRows`, any taller frame fails the test. */
export function renderHarness(tree: ReactElement, options: { maxRows?: number } = {}): Harness {
  const r = render(tree);
  const frame = () => {
    const f = plain(r.lastFrame());
    const rows = f.split('\n').length;
    if (options.maxRows !== undefined && rows > options.maxRows) {
      throw new Error(`a frame of ${rows} rows is taller than ${options.maxRows}:\n${f}`);
    }
    return f;
  };
  const self: Harness = {
    frame,
    async press(key, quietMs = 1000) {
      const before = r.frames.length;
      // Let effects of the previous frame settle so the key reaches the current handlers.
      await new Promise((res) => setTimeout(res, 20));
      r.stdin.write(key);
      const until = Date.now() + quietMs;
      while (r.frames.length === before && Date.now() < until) await new Promise((res) => setTimeout(res, 10));
      return frame();
    },
    async waitForFrame(predicate, what, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const f = frame();
        if (predicate(f)) return f;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    },
    async pressUntil(key, predicate, what, timeoutMs) {
      await self.press(key, 50);
      return this.waitForFrame(predicate, what, timeoutMs);
    },
    unmount: () => {
      r.unmount();
      r.cleanup();
    },
  };
  return self;
}
