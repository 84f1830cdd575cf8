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
  /** The last frame, without escape sequences. */
  frame(): string;
  /** The last frame as ink wrote it, escape sequences and all. */
  rawFrame(): string;
  /** Writes a key and resolves with the next frame; fails (with the last frame) if none comes. */
  press(key: string): Promise<string>;
  /** Presses each character of `text` in turn, each waiting for its frame. */
  type(text: string): Promise<string>;
  /** Writes a key without waiting: for keys that change nothing, proven later by a frame that does. */
  write(key: string): void;
  /** Resolves with the first frame that satisfies `predicate`; fails with the last frame after `timeoutMs`. */
  waitForFrame(predicate: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** Renders `tree` with ink-testing-library; with `maxRows`, any taller frame fails the test. */
export function renderHarness(tree: ReactElement, options: { maxRows?: number; timeoutMs?: number } = {}): Harness {
  const r = render(tree);
  const timeoutMs = options.timeoutMs ?? 5000;
  const frame = () => {
    const f = plain(r.lastFrame());
    const rows = f.split('\n').length;
    if (options.maxRows !== undefined && rows > options.maxRows) {
      throw new Error(`a frame of ${rows} rows is taller than ${options.maxRows}:\n${f}`);
    }
    return f;
  };
  // Every frame ink writes wakes whoever waits for one: no polling, no sleeps.
  const waiters = new Set<() => void>();
  const write = r.stdout.write;
  r.stdout.write = (f: string) => {
    write(f);
    for (const wake of [...waiters]) wake();
  };
  const nextFrame = (what: string, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(frame());
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`no frame came for ${what} within ${ms} ms; last frame:\n${frame()}`));
      }, ms);
      waiters.add(wake);
    });
  // Lets effects scheduled by the last frame run (a yield to the event loop, not a wait).
  const settle = () => new Promise<void>((res) => setImmediate(res));
  const self: Harness = {
    frame,
    rawFrame: () => r.lastFrame() ?? '',
    async press(key) {
      await settle();
      const next = nextFrame(`the key ${JSON.stringify(key)}`, timeoutMs);
      r.stdin.write(key);
      return next;
    },
    async type(text) {
      let f = frame();
      for (const ch of text) f = await self.press(ch);
      return f;
    },
    write(key) {
      r.stdin.write(key);
    },
    async waitForFrame(predicate, what, ms = timeoutMs) {
      const until = Date.now() + ms;
      for (;;) {
        const f = frame();
        if (predicate(f)) return f;
        const left = until - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
        await nextFrame(what, left).catch(() => undefined);
      }
    },
    unmount: () => {
      r.unmount();
      r.cleanup();
    },
  };
  return self;
}
