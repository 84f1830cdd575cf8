/**
 * Figures over many values, for the stats screen, `mlbatch stats` and comparisons of executions:
 * percentiles, histograms, min/mean/max and most frequent values. Values come from a server, so
 * NaN, ±Infinity and numbers near the double's limit are expected: non-finite values are
 * counted apart and never reach a sum, a range or a bin.
 */

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
  let n = Math.max(1, Math.floor(bins));
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
  if (min === max) return { min, max, step: 0, counts: [countFinite(values, length)] };
  let step: number;
  if (integers && max - min < Number.MAX_SAFE_INTEGER) {
    step = Math.ceil((max - min + 1) / n);
    n = Math.ceil((max - min + 1) / step);
  } else {
    step = (max / n - min / n);
  }
  const counts = new Array<number>(n).fill(0);
  const half = max / 2 - min / 2;
  for (let i = 0; i < length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    const bin = integers ? Math.floor((x - min) / step) : Math.floor(((x / 2 - min / 2) / half) * n);
    counts[Math.min(n - 1, bin)]++;
  }
  return { min, max, step, counts };
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
 * in when the order is asked for, so a poll that adds k values to n costs O(n + k log k), not a
 * sort of everything.
 */
export class SortedNumbers {
  private sorted = new Float64Array(0);
  private pending = new NumberList();

  /** Adds one finite value (others are ignored: they have no rank). */
  add(x: number): void {
    if (Number.isFinite(x)) this.pending.push(x);
  }

  /** How many values there are. */
  get length(): number {
    return this.sorted.length + this.pending.length;
  }

  /** Every value in ascending order. */
  values(): Float64Array {
    if (this.pending.length === 0) return this.sorted;
    const fresh = this.pending.view().slice().sort();
    const out = new Float64Array(this.sorted.length + fresh.length);
    let a = 0;
    let b = 0;
    let o = 0;
    const old = this.sorted;
    while (a < old.length && b < fresh.length) out[o++] = old[a] <= fresh[b] ? old[a++] : fresh[b++];
    while (a < old.length) out[o++] = old[a++];
    while (b < fresh.length) out[o++] = fresh[b++];
    this.sorted = out;
    this.pending = new NumberList();
    return out;
  }
}

/** The figures of a distribution: count, min, mean, p50, p95, p99 and max. */
export interface Distribution extends NumericSummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Count, min, mean, max and the nearest-rank p50, p95 and p99 of ascending values. */
export function distributionOf(sorted: Float64Array): Distribution {
  const base = numericSummary(sorted);
  return { ...base, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
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
