/**
 * Throughput and failure rate over time, in equal time bins: from the records' own end times
 * when the server gives them (the embedded server does), else from the polls the client saw
 * (a real ML Server gives no per-record times).
 */
import { firstWhere } from './search.js';

/** What one good poll said, for rates over time when records carry no times. */
export interface PollSample {
  /** Epoch ms of the poll. */
  at: number;
  /** Records finished (complete, failed) and failed by then. */
  finished: number;
  failed: number;
}

/** Samples kept at most; past that every other one is dropped (the first and last stay). */
export const MAX_POLL_SAMPLES = 512;

/**
 * `history` with `sample` appended (a new array; the old one is not changed). A sample no newer
 * than the last is dropped. Past MAX_POLL_SAMPLES the history is thinned to half, so a run of
 * days keeps a bounded, evenly spread history.
 */
export function appendSample(history: readonly PollSample[], sample: PollSample): readonly PollSample[] {
  const last = history[history.length - 1];
  if (last && sample.at <= last.at) return history;
  const next = [...history, sample];
  if (next.length <= MAX_POLL_SAMPLES) return next;
  return next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
}

/** Finished records per second and failed share (%) per bin, from `startMs` in bins of `binMs`. */
export interface RateSeries {
  source: 'records' | 'polls';
  startMs: number;
  binMs: number;
  perSecond: number[];
  /** Failed records as a percentage of those finished in the bin; an empty bin keeps the one before. */
  failedPercent: number[];
}

/** End times (epoch ms) of finished records and of the failed ones, each ascending; `start`: the earliest record start. */
export interface EndTimes {
  ends: ArrayLike<number>;
  failedEnds: ArrayLike<number>;
  start: number | null;
}

/** The rate series from record end times when there are any, else from poll history; null with neither. */
export function rateSeries(times: EndTimes, history: readonly PollSample[], bins: number): RateSeries | null {
  const n = Math.max(1, Math.floor(bins));
  return times.ends.length > 0 ? fromEndTimes(times, n) : fromPolls(history, n);
}

/** Ends per bin of ascending `ends`, by binary search of each bin's upper edge (O(bins · log n)). */
function perBin(ends: ArrayLike<number>, from: number, binMs: number, n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  const binOf = (t: number) => Math.min(n - 1, Math.floor((t - from) / binMs));
  let at = 0;
  for (let b = 0; b < n && at < ends.length; b++) {
    const lo = firstWhere(at, ends.length, (i) => binOf(ends[i]) > b);
    counts[b] = lo - at;
    at = lo;
  }
  return counts;
}

function fromEndTimes({ ends, failedEnds, start }: EndTimes, n: number): RateSeries {
  const first = ends[0];
  const last = ends[ends.length - 1];
  // From the first start, so the first bin does not hold everything that ran before any end.
  const from = start !== null && start < first ? start : first;
  const binMs = Math.max(1, (last - from) / n);
  return series('records', from, binMs, perBin(ends, from, binMs, n), perBin(failedEnds, from, binMs, n));
}

function fromPolls(history: readonly PollSample[], n: number): RateSeries | null {
  if (history.length < 2) return null;
  const from = history[0].at;
  const to = history[history.length - 1].at;
  const binMs = Math.max(1, (to - from) / n);
  const done = new Array<number>(n).fill(0);
  const bad = new Array<number>(n).fill(0);
  // Each interval between two polls spreads what finished in it evenly over the time it spans.
  for (let k = 1; k < history.length; k++) {
    const a = history[k - 1];
    const b = history[k];
    const span = b.at - a.at;
    const dDone = Math.max(0, b.finished - a.finished);
    const dBad = Math.max(0, b.failed - a.failed);
    if (span <= 0 || (dDone === 0 && dBad === 0)) continue;
    for (let bin = Math.floor((a.at - from) / binMs); bin < n; bin++) {
      const lo = Math.max(a.at, from + bin * binMs);
      const hi = Math.min(b.at, from + (bin + 1) * binMs);
      if (hi <= lo) {
        if (lo >= b.at) break;
        continue;
      }
      const share = (hi - lo) / span;
      done[bin] += dDone * share;
      bad[bin] += dBad * share;
    }
  }
  return series('polls', from, binMs, done, bad);
}

function series(source: RateSeries['source'], startMs: number, binMs: number, done: number[], bad: number[]): RateSeries {
  let carried = 0;
  const failedPercent = done.map((d, i) => (carried = d > 0 ? Math.min(100, (bad[i] / d) * 100) : carried));
  return { source, startMs, binMs, perSecond: done.map((d) => d / (binMs / 1000)), failedPercent };
}
