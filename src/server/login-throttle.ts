/**
 * Slows password guessing. Failed logins count against the user name and against the address;
 * after `FREE_FAILURES`, each further failure closes that key for a delay that doubles up to
 * `MAX_DELAY_MS`, and attempts while it is closed answer 429 with `Retry-After` without a password
 * being checked. The right password works again once the delay is over (and clears both counts),
 * so a guesser can hold the admin off for a minute at a time, never lock them out for good.
 * Attempts of one user or address take turns, so a burst of parallel guesses is counted as it
 * goes instead of all passing before the first has failed. Kept in memory: a restart forgets it.
 */
import { HttpError, tooManyRequests } from './errors.js';

/** Failures per key before any delay (a mistyped password or two costs nothing). */
const FREE_FAILURES = 5;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
/** A key with no failure for this long starts afresh. */
const FORGET_MS = 15 * 60_000;
/** Most keys kept; past it the least recently failed are dropped (addresses are many, memory is not). */
const MAX_KEYS = 10_000;

interface Entry {
  failures: number;
  closedUntil: number;
  last: number;
}

/** Counts failed logins per user name and per address. */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly turns = new Map<string, Promise<void>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `login` in turn with other attempts of the same user or address; 429 while either is closed. */
  async attempt<T>(user: string, address: string, login: () => Promise<T>): Promise<T> {
    const keys = [`user:${user.slice(0, 256)}`, `address:${address}`];
    const before = keys.map((k) => this.turns.get(k));
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    for (const k of keys) this.turns.set(k, mine);
    try {
      await Promise.all(before);
      const wait = this.waitMs(keys);
      if (wait > 0) {
        const s = Math.ceil(wait / 1000);
        throw tooManyRequests(`too many failed logins for this user or address: try again in ${s} s`, s);
      }
      try {
        const result = await login();
        for (const k of keys) this.entries.delete(k);
        return result;
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 401) this.failed(keys);
        throw err;
      }
    } finally {
      done();
      for (const k of keys) if (this.turns.get(k) === mine) this.turns.delete(k);
    }
  }

  private waitMs(keys: string[]): number {
    const now = this.now();
    return Math.max(0, ...keys.map((k) => (this.entries.get(k)?.closedUntil ?? 0) - now));
  }

  private failed(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      let e = this.entries.get(key);
      if (!e || now - e.last > FORGET_MS) e = { failures: 0, closedUntil: 0, last: now };
      e.failures++;
      e.last = now;
      const over = e.failures - FREE_FAILURES;
      if (over > 0) e.closedUntil = now + Math.min(FIRST_DELAY_MS * 2 ** (over - 1), MAX_DELAY_MS);
      this.entries.delete(key); // re-inserted last: the map stays in order of last failure
      this.entries.set(key, e);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= MAX_KEYS) break;
      this.entries.delete(key);
    }
  }
}
