/**
 * Failed records grouped by their error message's pattern (see error-masks.ts): how many, what
 * share of the failures, the first indices, and one sample message in full.
 *
 * ```ts
 * const grouper = new ErrorGrouper();
 * grouper.update(snapshot.items, results);   // after every poll: only changed indices are read
 * grouper.groups.groups[0]                    // { number: 1, pattern, count, share, indices, sample, … }
 * ```
 * Groups are ordered by count (most first), then by their first index, and numbered from 1 in
 * that order: the same results always give the same numbers (`rerun --group N` relies on it).
 */
import { ITEM_CODE } from '../protocol.js';
import { pick } from '../client/decode.js';
import { MaskCache } from './error-masks.js';
import type { PollSnapshot } from '../watch/poller.js';
import type { ResultSource } from '../client/result-source.js';
import { safeText } from '../text/safe-text.js';
import { firstWhere } from './search.js';

export { maskMessage } from './error-masks.js';

/** How many first indices a group lists. */
export const FIRST_INDICES = 5;
/** Longest sample message kept (characters); a longer one is cut and says how much is left out. */
export const MAX_SAMPLE_CHARS = 4000;
/** What a failed record without any message is grouped under. */
export const NO_MESSAGE = '(no error message)';

/** One group of failures sharing a pattern. */
export interface ErrorGroup {
  /** 1-based position in the order (count desc, then first index). */
  number: number;
  /** The masked message, safe for a terminal (one line, escapes for control characters). */
  pattern: string;
  count: number;
  /** count / all failures, 0..1. */
  share: number;
  /** Every index in the group, ascending. */
  indices: readonly number[];
  /** The first FIRST_INDICES indices. */
  first: readonly number[];
  /** The first index's message in full (safe for a terminal, lines kept, bounded). */
  sample: string;
}

/** All groups of one execution's failures. */
export interface ErrorGroups {
  /** Failed records in all. */
  failed: number;
  groups: readonly ErrorGroup[];
}

/** The error message of one raw result element ('' when it has none). */
export function errorMessageOf(raw: unknown): string {
  const m = pick(raw, 'errorMessage');
  return typeof m === 'string' ? m : m == null ? '' : String(m);
}

/** A sample message as shown: escapes for control characters, lines kept, cut past MAX_SAMPLE_CHARS. */
export function sampleText(message: string): string {
  if (message === '') return NO_MESSAGE;
  const cut = message.length > MAX_SAMPLE_CHARS ? `${message.slice(0, MAX_SAMPLE_CHARS)}… (${message.length - MAX_SAMPLE_CHARS} more characters)` : message;
  return safeText(cut, { multiline: true });
}

interface Group {
  key: string;
  pattern: string;
  indices: number[];
  sample: string;
  sampleOf: number;
  /** Copies of `indices` handed out (never mutated afterwards); null once the group changed. */
  frozen: { indices: readonly number[]; first: readonly number[] } | null;
}

/** Where a sorted array holds `value`, or where it would go. */
function lowerBound(a: readonly number[], value: number): number {
  return firstWhere(0, a.length, (i) => a[i] >= value);
}

/**
 * Groups failures incrementally: it keeps the states it last saw and, per index, its group, so
 * an update reads only the results of indices whose state changed since (a poll's new states
 * array is compared with the last one; the same array means nothing changed).
 */
export class ErrorGrouper {
  private seen = new Uint8Array(0);
  private lastStates: Uint8Array | null = null;
  private groupOf = new Int32Array(0);
  private readonly byKey = new Map<string, number>();
  private readonly all: Group[] = [];
  private failed = 0;
  private dirty = true;
  private built: ErrorGroups = { failed: 0, groups: [] };
  private results: ResultSource | null = null;
  private readonly masks = new MaskCache();
  /** Bumped whenever the groups change. */
  version = 0;

  /** Folds in the latest states and results; true when any group changed. */
  update(states: Uint8Array, results: ResultSource): boolean {
    this.results = results;
    if (states === this.lastStates) return false;
    this.lastStates = states;
    if (states.length > this.seen.length) this.grow(states.length);
    const seen = this.seen;
    const n = Math.max(states.length, seen.length);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const code = i < states.length ? states[i] : ITEM_CODE.Pending;
      const old = seen[i];
      if (code === old) continue;
      seen[i] = code;
      if (old === ITEM_CODE.Failed) {
        this.remove(i);
        changed = true;
      }
      if (code === ITEM_CODE.Failed) {
        this.add(i, errorMessageOf(results.present(i) ? results.raw(i) : undefined));
        changed = true;
      }
    }
    if (changed) {
      this.dirty = true;
      this.version++;
    }
    return changed;
  }

  /** The groups, in order and numbered (rebuilt only after a change). */
  get groups(): ErrorGroups {
    if (!this.dirty) return this.built;
    const live = this.all.filter((g) => g.indices.length > 0);
    live.sort((a, b) => b.indices.length - a.indices.length || a.indices[0] - b.indices[0]);
    const failed = this.failed;
    const groups = live.map((g, i) => ({ ...this.build(g, failed), number: i + 1 }));
    this.built = { failed, groups };
    this.dirty = false;
    return this.built;
  }

  private build(g: Group, failed: number): Omit<ErrorGroup, 'number'> {
    if (g.sampleOf !== g.indices[0]) {
      // The index the sample came from left the group (rare): read the new first one's message.
      const first = g.indices[0];
      g.sampleOf = first;
      g.sample = sampleText(errorMessageOf(this.results?.present(first) ? this.results.raw(first) : undefined));
    }
    // Only a changed group copies its indices: an update that adds a few failures copies few.
    g.frozen ??= { indices: g.indices.slice(), first: g.indices.slice(0, FIRST_INDICES) };
    const count = g.indices.length;
    return { pattern: g.pattern, count, share: failed > 0 ? count / failed : 0, ...g.frozen, sample: g.sample };
  }

  private grow(length: number): void {
    const seen = new Uint8Array(length);
    seen.set(this.seen);
    this.seen = seen;
    const groupOf = new Int32Array(length).fill(-1);
    groupOf.set(this.groupOf);
    this.groupOf = groupOf;
  }

  private add(index: number, message: string): void {
    const key = message === '' ? NO_MESSAGE : this.masks.mask(message);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.all.length;
      this.byKey.set(key, id);
      this.all.push({ key, pattern: safeText(key), indices: [], sample: '', sampleOf: -1, frozen: null });
    }
    const g = this.all[id];
    const at = g.indices.length === 0 || g.indices[g.indices.length - 1] < index ? g.indices.length : lowerBound(g.indices, index);
    g.indices.splice(at, 0, index);
    if (at === 0) {
      g.sample = sampleText(message);
      g.sampleOf = index;
    }
    g.frozen = null;
    this.groupOf[index] = id;
    this.failed++;
  }

  private remove(index: number): void {
    const id = this.groupOf[index];
    if (id < 0) return;
    const g = this.all[id];
    const at = lowerBound(g.indices, index);
    if (g.indices[at] === index) g.indices.splice(at, 1);
    g.frozen = null;
    this.groupOf[index] = -1;
    this.failed--;
  }
}

/** The failures of one set of results, grouped (one pass; use an ErrorGrouper to follow a running execution). */
export function groupErrors(states: Uint8Array, results: ResultSource): ErrorGroups {
  const grouper = new ErrorGrouper();
  grouper.update(states, results);
  return grouper.groups;
}

/** The indices of group `number` (1-based), or undefined when there is no such group. */
export function groupIndices(groups: ErrorGroups, number: number): readonly number[] | undefined {
  return groups.groups[number - 1]?.indices;
}

/** A poll snapshot's results as a ResultSource (each index decoded through the snapshot, as screens read it). */
export function snapshotSource(snap: Pick<PollSnapshot, 'items' | 'result'>): ResultSource {
  return { length: snap.items.length, present: (i) => snap.result(i) !== undefined, raw: (i) => snap.result(i)?.raw };
}
