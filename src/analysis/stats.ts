/**
 * Figures over many values, for the stats screen, `mlbatch stats` and comparisons of executions:
 * percentiles, histograms, min/mean/max and most frequent values. Values come from a server, so
 * NaN, ±Infinity and numbers near the double's limit are expected: non-finite values are
 * counted apart and never reach a sum, a range or a bin.
 */
import { firstWhere } from './search.js';

/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value with at least
 * `p` % of the values at or below it (p50 of 1..10 is 5, p95 is 10). Null when there is none.
 */
export function percentile(sorted: ArrayLike<number>, p: number, length = sorted.length): number | null {
  if (length <= 0 || !Number.isFinite(p)) return null;
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * length);
  return sorted[Math.min(length - 1, Math.max(0, rank - 1))];
}

/** Equal-width bins from `min`: bin k holds [min + k·step, min + (k+1)·step); the last one also holds max. */
export interface Histogram {
  min: number;
  max: number;
  step: number;
  counts: number[];
}

/**
 * `values` (the first `length` of them) in at most `bins` equal-width bins over their own range;
 * null when no value is finite. Whole numbers (milliseconds, counts) get a whole-number step, and
 * so as many bins as that step needs: 100 values 100..199 in 80 bins would otherwise fill some
 * bins twice and others once, a comb that is not in the data. One value, or all equal, make one
 * bin. The range is taken by halves, so -1.7e308..1.7e308 does not overflow to Infinity.
 */
export function histogram(values: ArrayLike<number>, bins: number, length = values.length): Histogram | null {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    if (integers && !Number.isInteger(x)) integers = false;
  }
  if (min > max) return null;
  const plan = binPlan(min, max, bins, integers);
  if (!plan) return { min, max, step: 0, counts: [countFinite(values, length)] };
  const counts = new Array<number>(plan.n).fill(0);
  for (let i = 0; i < length; i++) {
    const x = values[i];
    if (Number.isFinite(x)) counts[plan.binOf(x)]++;
  }
  return { min, max, step: plan.step, counts };
}

function countFinite(values: ArrayLike<number>, length: number): number {
  let c = 0;
  for (let i = 0; i < length; i++) if (Number.isFinite(values[i])) c++;
  return c;
}

/** Count, min, mean and max of the finite values; `nonFinite` counts NaN and ±Infinity. */
export interface NumericSummary {
  count: number;
  nonFinite: number;
  min: number | null;
  mean: number | null;
  max: number | null;
}

/**
 * A running count, min, mean and max. The mean moves by `x/n - mean/n`, so it neither overflows
 * on values near the double's limit (a plain sum would) nor loses small values beside big ones.
 */
export class RunningSummary {
  private n = 0;
  private bad = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private m = 0;

  /** Takes one value. */
  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.bad++;
      return;
    }
    this.n++;
    this.m = this.n === 1 ? x : this.m + (x / this.n - this.m / this.n);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  /** The figures so far. */
  summary(): NumericSummary {
    const any = this.n > 0;
    return { count: this.n, nonFinite: this.bad, min: any ? this.lo : null, mean: any ? this.m : null, max: any ? this.hi : null };
  }
}

/** Min/mean/max of values in one go (see RunningSummary). */
export function numericSummary(values: Iterable<number>): NumericSummary {
  const r = new RunningSummary();
  for (const x of values) r.add(x);
  return r.summary();
}

/** A growable array of doubles: a typed array, so 100,000 values are 800 kB and no boxes. */
export class NumberList {
  private data = new Float64Array(256);
  length = 0;

  /** Appends one value. */
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  /** The values so far (a view: valid until the next push). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Values kept in ascending order as they arrive: new ones wait in a small buffer and are merged
 * in, from the end and in place, when the order is asked for. A poll that adds k values to n
 * moves only the values above the smallest new one (few, for times that only grow) and sorts k.
 */
export class SortedNumbers {
  private data = new Float64Array(256);
  private n = 0;
  private pending = new NumberList();
  /** True while every value is a whole number. */
  integers = true;

  /** Adds one finite value (others are ignored: they have no rank). */
  add(x: number): void {
    if (!Number.isFinite(x)) return;
    if (this.integers && !Number.isInteger(x)) this.integers = false;
    this.pending.push(x);
  }

  /** How many values there are. */
  get length(): number {
    return this.n + this.pending.length;
  }

  /** Every value in ascending order (a view: valid until the next call). */
  values(): Float64Array {
    const k = this.pending.length;
    if (k > 0) {
      const fresh = this.pending.view().sort();
      if (this.n + k > this.data.length) {
        const bigger = new Float64Array(Math.max(this.data.length * 2, this.n + k));
        bigger.set(this.data.subarray(0, this.n));
        this.data = bigger;
      }
      const d = this.data;
      let i = this.n - 1;
      let j = k - 1;
      for (let o = this.n + k - 1; j >= 0; o--) d[o] = i >= 0 && d[i] > fresh[j] ? d[i--] : fresh[j--];
      this.n += k;
      this.pending.length = 0;
    }
    return this.data.subarray(0, this.n);
  }
}

/** The first index of ascending `sorted` whose bin (a non-decreasing function) is above `bin`. */
function firstAbove(sorted: ArrayLike<number>, from: number, to: number, binOf: (x: number) => number, bin: number): number {
  return firstWhere(from, to, (i) => binOf(sorted[i]) > bin);
}

/**
 * The same histogram as `histogram`, of ascending finite values, in O(bins · log n): each bin's
 * end is found by binary search, so a poll of a 100,000-record execution does not pass over
 * every value again. `integers`: whether every value is a whole number (see SortedNumbers).
 */
export function sortedHistogram(sorted: ArrayLike<number>, bins: number, integers: boolean, length = sorted.length): Histogram | null {
  if (length === 0) return null;
  const plan = binPlan(sorted[0], sorted[length - 1], bins, integers);
  if (!plan) return { min: sorted[0], max: sorted[0], step: 0, counts: [length] };
  const counts = new Array<number>(plan.n).fill(0);
  let at = 0;
  for (let b = 0; b < plan.n && at < length; b++) {
    const next = b === plan.n - 1 ? length : firstAbove(sorted, at, length, plan.binOf, b);
    counts[b] = next - at;
    at = next;
  }
  return { min: sorted[0], max: sorted[length - 1], step: plan.step, counts };
}

/** Bins over [min, max]: how many, their step, and the bin of a value (non-decreasing); null when min is max. */
function binPlan(min: number, max: number, bins: number, integers: boolean) {
  if (min === max) return null;
  let n = Math.max(1, Math.floor(bins));
  if (integers && max - min < Number.MAX_SAFE_INTEGER) {
    const step = Math.ceil((max - min + 1) / n);
    n = Math.ceil((max - min + 1) / step);
    return { n, step, binOf: (x: number) => Math.min(n - 1, Math.floor((x - min) / step)) };
  }
  const half = max / 2 - min / 2;
  const step = max / n - min / n;
  return { n, step, binOf: (x: number) => Math.min(n - 1, Math.floor(((x / 2 - min / 2) / half) * n)) };
}

/** The figures of a distribution: count, min, mean, p50, p95, p99 and max. */
export interface Distribution extends NumericSummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One value and how often it came. */
export interface ValueCount {
  value: string;
  count: number;
}

/** Most frequent values first, then in order of value; ties broken alike everywhere. */
function byCount(a: ValueCount, b: ValueCount): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/**
 * Counts of text values, bounded: each value is cut to `maxLength` characters and at most
 * `maxDistinct` values are told apart; later new values are counted in `other` (a server can
 * send a million distinct strings, or one of a megabyte).
 */
export class ValueCounter {
  private readonly counts = new Map<string, number>();
  /** Values that came once `maxDistinct` were already told apart. */
  other = 0;
  total = 0;

  constructor(
    private readonly maxDistinct = 1000,
    private readonly maxLength = 200,
  ) {}

  /** Counts one value. */
  add(value: string): void {
    const key = value.length > this.maxLength ? `${value.slice(0, this.maxLength - 1)}…` : value;
    this.total++;
    const seen = this.counts.get(key);
    if (seen !== undefined) this.counts.set(key, seen + 1);
    else if (this.counts.size < this.maxDistinct) this.counts.set(key, 1);
    else this.other++;
  }

  /** How many values are told apart. */
  get distinct(): number {
    return this.counts.size;
  }

  /** The `k` most frequent values with their counts. */
  top(k: number): ValueCount[] {
    return topValues(this.counts, k);
  }
}

/** The `k` most frequent entries of a count map, most frequent first (ties by value). */
export function topValues(counts: ReadonlyMap<string, number>, k: number): ValueCount[] {
  const all: ValueCount[] = [];
  for (const [value, count] of counts) all.push({ value, count });
  return all.sort(byCount).slice(0, Math.max(0, k));
}
