/**
 * Which records of one execution changed, in order: a bounded ring of indices numbered by a
 * sequence. A delta poll reads the entries after its cursor's number, so its cost follows the
 * changes since then, never the execution's size; a number older than the ring holds is refused.
 */

/** Most changes one execution remembers (two per record: started, finished). */
export const MAX_CHANGES = 65_536;

/** The changes of one execution since some sequence number. */
export class ChangeLog {
  /** Number of changes so far; the cursor of "everything up to now". */
  seq = 0;
  private readonly ring: Int32Array;

  constructor(records: number, capacity = MAX_CHANGES) {
    // A small execution needs no more room than two changes per record (and a few re-runs).
    this.ring = new Int32Array(Math.max(16, Math.min(capacity, records * 2 + 16)));
  }

  /** Notes that record `index` changed (its state or its result). */
  add(index: number): void {
    this.ring[this.seq % this.ring.length] = index;
    this.seq++;
  }

  /** True when every change after `since` is still held. */
  covers(since: number): boolean {
    return Number.isSafeInteger(since) && since <= this.seq && since >= this.seq - this.ring.length;
  }

  /** Distinct indices changed after `since` (which must be covered), in the order they last changed. */
  since(since: number): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    // Newest first, so a record that changed twice is listed once, at its latest state.
    for (let s = this.seq - 1; s >= since; s--) {
      const index = this.ring[s % this.ring.length];
      if (seen.has(index)) continue;
      seen.add(index);
      out.push(index);
    }
    return out.reverse();
  }
}

/** A cursor as the wire carries it: `<epoch>.<sequence>`, or `ended.f` (FINAL_CURSOR) once the execution has ended. */
export interface ParsedCursor {
  epoch: string;
  /** The sequence number, or 'final'. */
  seq: number | 'final';
}

/** Reads a cursor; undefined when it is not one this server could have made. */
/**
 * The cursor of an ended execution. Nothing changes after the end, in any run of the server, so
 * it names no run: an ended execution's answer reads the same after a restart.
 */
export const FINAL_CURSOR = 'ended.f';

export function parseCursor(raw: unknown): ParsedCursor | undefined {
  if (typeof raw !== 'string' || raw.length > 64) return undefined;
  const m = /^([0-9a-z]{1,32})\.(f|\d{1,15})$/.exec(raw);
  if (!m) return undefined;
  return { epoch: m[1], seq: m[2] === 'f' ? 'final' : Number(m[2]) };
}
