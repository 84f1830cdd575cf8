/** The login throttle on its own, with a clock the test moves: delays, their cap, forgetting, and the bound on keys. */
import { describe, expect, it } from 'vitest';
import { HttpError, unauthorized } from '../../src/server/errors.js';
import { LoginThrottle } from '../../src/server/login-throttle.js';
import { TestClock } from '../test-clock.js';

/** How an attempt ended: 'ok', 401, or 429 with its Retry-After seconds. */
type Outcome = 'ok' | 401 | { retryAfter: number };

function setup() {
  const clock = new TestClock();
  const throttle = new LoginThrottle(clock.now);
  const attempt = (user: string, address: string, right = false): Promise<Outcome> =>
    throttle.attempt(user, address, async () => {
      if (!right) throw unauthorized('wrong user name or password');
      return 'ok' as const;
    }).catch((err: unknown) => {
      if (!(err instanceof HttpError)) throw err;
      return err.statusCode === 429 ? { retryAfter: Number(err.headers['retry-after']) } : (err.statusCode as 401);
    });
  /** `n` wrong passwords in a row, each answered 401. */
  const fail = async (n: number, user: string, address: string) => {
    for (let i = 0; i < n; i++) expect(await attempt(user, address)).toBe(401);
  };
  return { clock, attempt, fail };
}

describe('login throttle', () => {
  it('lets 5 failures pass, then closes for 1 s, doubling with each failure up to a 60 s cap', async () => {
    const { clock, attempt, fail } = setup();
    await fail(6, 'admin', '10.0.0.1');
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const closed = await attempt('admin', '10.0.0.1', true);
      expect(closed).toEqual({ retryAfter: expect.any(Number) });
      const { retryAfter } = closed as { retryAfter: number };
      waits.push(retryAfter);
      // Still closed a moment before the delay is over, even for the right password...
      clock.advance(retryAfter * 1000 - 1);
      expect(await attempt('admin', '10.0.0.1', true)).toEqual({ retryAfter: 1 });
      clock.advance(1);
      // ...open once it is: the next wrong guess is checked (401) and closes it for longer.
      expect(await attempt('admin', '10.0.0.1')).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('opens for the right password once the delay is over, and that clears both counts', async () => {
    const { clock, attempt, fail } = setup();
    await fail(6, 'admin', '10.0.0.1');
    // The user is closed from every address, and the address for every user.
    expect(await attempt('admin', '10.0.0.2', true)).toEqual({ retryAfter: 1 });
    expect(await attempt('eve', '10.0.0.1', true)).toEqual({ retryAfter: 1 });
    expect(await attempt('eve', '10.0.0.2')).toBe(401);
    clock.advance(1000);
    expect(await attempt('admin', '10.0.0.1', true)).toBe('ok');
    // Five free failures again before any delay.
    await fail(5, 'admin', '10.0.0.1');
    expect(await attempt('admin', '10.0.0.1', true)).toBe('ok');
  });

  it('forgets a key after 15 minutes without a failure', async () => {
    const { clock, attempt, fail } = setup();
    await fail(5, 'admin', '10.0.0.1');
    clock.advance(15 * 60_000);
    // Exactly 15 minutes on: still remembered, so the sixth failure closes the key.
    await fail(1, 'admin', '10.0.0.1');
    expect(await attempt('admin', '10.0.0.1', true)).toEqual({ retryAfter: 1 });
    clock.advance(15 * 60_000 + 1);
    // A quarter of an hour and a moment since the last failure: counted from nothing again.
    await fail(5, 'admin', '10.0.0.1');
    expect(await attempt('admin', '10.0.0.1', true)).toBe('ok');
  });

  it('keeps 10,000 keys at most, dropping the ones that failed least lately', async () => {
    const { attempt, fail } = setup();
    await fail(4, 'kept', '10.0.0.1');
    await fail(5, 'dropped', '10.0.0.2');
    // A later failure puts a key last in line again.
    await fail(1, 'kept', '10.0.0.1');
    // 4,999 more users from as many addresses: 9,998 keys, 2 too many with the 4 above.
    for (let i = 0; i < 4999; i++) expect(await attempt(`user${i}`, `10.1.${i >> 8}.${i & 255}`)).toBe(401);
    // 'kept' is remembered: its sixth failure closes it.
    await fail(1, 'kept', '10.0.0.1');
    expect(await attempt('kept', '10.0.0.1', true)).toEqual({ retryAfter: 1 });
    // 'dropped' (and its address) went first: this failure is its first again, nothing closes.
    await fail(1, 'dropped', '10.0.0.2');
    expect(await attempt('dropped', '10.0.0.2', true)).toBe('ok');
  });
});
