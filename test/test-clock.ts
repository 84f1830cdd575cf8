/** A clock for tests: time stands still until something sleeps on it or the test moves it. */
import type { Clock } from '../src/index.js';

/** What a sleep does before it returns (e.g. wait for an event, or never settle); told the sleep's length and number (from 1). */
export type SleepHook = (ms: number, count: number) => unknown;

/**
 * Records every sleep; a sleep moves the time on by its length and returns at once (after the
 * hook, when there is one), so a test sees the waits code asked for without waiting them. An
 * aborted signal cuts a sleep short as the real one does. `now` and `sleep` are bound: pass them
 * on as functions (e.g. a server's `now`).
 */
export class TestClock implements Clock {
  /** Every sleep asked for, in milliseconds, in order. */
  readonly sleeps: number[] = [];
  private t: number;

  constructor(start = Date.UTC(2030, 0, 1), private readonly hook?: SleepHook) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  /** Moves the time on without anyone sleeping (a token ages, a throttle's delay runs out). */
  advance(ms: number): void {
    this.t += ms;
  }

  readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([
        // A macrotask at least, so sockets and timers get their turn between sleeps.
        Promise.resolve(this.hook?.(ms, this.sleeps.length)).then(() => new Promise((r) => setImmediate(r))),
        aborted,
      ]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    this.t += ms;
  };
}

/** A hook whose sleeps never end by themselves: only an abort (pollNow, a stop) ends them. */
export const never: SleepHook = () => new Promise(() => {});

/** Polls `check` every 20 ms until it is truthy; fails after `timeoutMs`, naming what it waited for. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
