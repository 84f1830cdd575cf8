/** Binary search, the one copy: grids, error groups, histograms and rate bins all find edges with it. */

/**
 * The first `i` in [from, to) for which `past(i)` holds, or `to` when none does. `past` must be
 * monotone: false up to some point, true from there on (e.g. `i => sorted[i] >= value`).
 */
export function firstWhere(from: number, to: number, past: (i: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
