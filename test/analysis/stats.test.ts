/** Figures of an execution against hand-computed values: percentiles, histograms, rates, charts. */
import { describe, expect, it } from 'vitest';
import { barRows, lineChart, sparkline } from '../../src/report/charts.js';
import { ExecutionStats, STATS_LIMITS, type RecordFacts } from '../../src/analysis/execution-stats.js';
import { appendSample, MAX_POLL_SAMPLES, rateSeries } from '../../src/analysis/rate-series.js';
import { histogram, numericSummary, percentile, SortedNumbers, sortedHistogram, ValueCounter } from '../../src/analysis/stats.js';
import { formatNumber } from '../../src/text/units.js';

const T0 = Date.UTC(2024, 0, 1);
const asciiOnly = (lines: string[]) => lines.every((l) => [...Buffer.from(l)].every((b) => b >= 0x20 && b <= 0x7e));

describe('percentile (nearest rank)', () => {
  const ten = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  it.each([
    [50, 5], [95, 10], [99, 10], [10, 1], [11, 2], [0, 1], [100, 10],
  ])('p%i of 1..10 is %i', (p, v) => expect(percentile(ten, p)).toBe(v));

  it('of 1..200: p50 100, p95 190, p99 198; none of nothing', () => {
    const xs = Float64Array.from({ length: 200 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 95), percentile(xs, 99)]).toEqual([100, 190, 198]);
    expect(percentile(new Float64Array(0), 50)).toBeNull();
  });
});

describe('histogram', () => {
  it('bins fractions by equal widths; the last bin holds the max', () => {
    // Range 0..1 in 4 bins of 0.25: [0, .25) [.25, .5) [.5, .75) [.75, 1].
    expect(histogram([0, 0.1, 0.25, 0.5, 0.6, 0.74, 1], 4)).toEqual({ min: 0, max: 1, step: 0.25, counts: [2, 1, 3, 1] });
  });

  it('gives whole numbers a whole step: 100..199 in at most 80 bins is 50 bins of 2', () => {
    const h = histogram(Array.from({ length: 100 }, (_, i) => 100 + i), 80)!;
    expect(h.step).toBe(2);
    expect(h.counts).toEqual(new Array(50).fill(2));
    expect(histogram([1, 2, 2, 3, 10], 3)).toEqual({ min: 1, max: 10, step: 4, counts: [4, 0, 1] });
  });

  it('leaves NaN and Infinity out, survives the double range, and is null with nothing finite', () => {
    expect(histogram([NaN, 1.5, Infinity, 3, -Infinity], 2)).toEqual({ min: 1.5, max: 3, step: 0.75, counts: [1, 1] });
    const huge = histogram([-1.7e308, 0, 1.7e308], 2)!;
    expect(huge.counts).toEqual([1, 2]);
    expect(Number.isFinite(huge.step)).toBe(true);
    expect(histogram([NaN, Infinity], 4)).toBeNull();
    expect(histogram([5, 5, 5], 4)).toEqual({ min: 5, max: 5, step: 0, counts: [3] });
  });

  it('of sorted values by binary search is the same histogram, fractions and whole numbers alike', () => {
    let a = 1;
    const rand = () => ((a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (const whole of [false, true]) {
      const xs = Array.from({ length: 5000 }, () => (whole ? Math.floor(rand() * 777) : rand() * 3 - 1));
      const sorted = Float64Array.from(xs).sort();
      for (const bins of [1, 7, 80]) expect(sortedHistogram(sorted, bins, whole)).toEqual(histogram(xs, bins));
    }
    expect(sortedHistogram(new Float64Array(0), 4, true)).toBeNull();
  });
});

describe('numeric summaries', () => {
  it('min, mean and max of the finite values; near the double limit the mean stays finite', () => {
    expect(numericSummary([1, 2, 3, 6, NaN, Infinity])).toEqual({ count: 4, nonFinite: 2, min: 1, mean: 3, max: 6 });
    expect(numericSummary([1.7e308, 1.7e308]).mean).toBe(1.7e308);
    expect(numericSummary([]).mean).toBeNull();
  });

  it('keeps values sorted across batches', () => {
    const s = new SortedNumbers();
    for (const x of [5, 1, 4]) s.add(x);
    expect([...s.values()]).toEqual([1, 4, 5]);
    for (const x of [3, NaN, 9, 0]) s.add(x);
    expect([...s.values()]).toEqual([0, 1, 3, 4, 5, 9]);
    expect(s.integers).toBe(true);
    for (let x = 300; x > 0; x--) s.add(x + 0.5);
    expect(s.values()).toHaveLength(306);
    expect([...s.values()].every((x, i, all) => i === 0 || all[i - 1] <= x)).toBe(true);
    expect(s.integers).toBe(false);
  });

  it('counts values with bounded distinct values and lengths', () => {
    const c = new ValueCounter(2, 5);
    for (const v of ['b', 'a', 'b', 'c', 'a', 'b', 'abcdefgh']) c.add(v);
    expect(c.top(5)).toEqual([{ value: 'b', count: 3 }, { value: 'a', count: 2 }]);
    expect([c.other, c.total, c.distinct]).toEqual([2, 7, 2]);
    const long = new ValueCounter(5, 5);
    long.add('abcdefgh');
    expect(long.top(1)[0].value).toBe('abcd…');
  });

  it('formats numbers for a cell', () => {
    expect([0.53123, 1200, 3.2e12, 1.5e-7, NaN, null].map(formatNumber)).toEqual(['0.5312', '1200', '3.2e+12', '1.5e-7', 'NaN', '—']);
  });
});

/** Record i: started at T0 + 1000·i, ran 100·(i+1) ms, failed when i is 3; outputs score i/10 and label. */
const facts = (i: number): RecordFacts => ({
  failed: i === 3,
  startMs: T0 + 1000 * i,
  endMs: T0 + 1000 * i + 100 * (i + 1),
  outputs: i === 3 ? {} : { score: i / 10, label: i % 2 ? 'odd' : 'even', ok: i < 2 },
});

describe('ExecutionStats', () => {
  it('reads only records that finished since the last update, and gives their figures', () => {
    const stats = new ExecutionStats([{ name: 'score', type: 'numeric' }]);
    const read: number[] = [];
    const factsOf = (i: number) => (read.push(i), facts(i));
    // Codes: 0 pending, 1 running, 2 complete, 3 failed.
    expect(stats.update(Uint8Array.from([2, 2, 1, 0, 0]), factsOf)).toBe(true);
    expect(stats.update(Uint8Array.from([2, 2, 2, 3, 1]), factsOf)).toBe(true);
    expect(stats.update(Uint8Array.from([2, 2, 2, 3, 2]), factsOf)).toBe(true);
    expect(read).toEqual([0, 1, 2, 3, 4]);
    const s = stats.summary({ bins: 5 });
    expect([s.records, s.failed, s.timed]).toEqual([5, 1, 5]);
    // Durations 100, 200, 300, 400, 500 ms.
    expect(s.durations).toMatchObject({ count: 5, min: 100, mean: 300, p50: 300, p95: 500, p99: 500, max: 500 });
    const score = s.outputs.find((o) => o.name === 'score');
    expect(score).toMatchObject({ kind: 'numeric', count: 4, min: 0, max: 0.4 });
    expect(score?.kind === 'numeric' && score.mean).toBeCloseTo(0.175, 10);
    expect(s.outputs.find((o) => o.name === 'label')).toMatchObject({ kind: 'values', count: 4, top: [{ value: 'even', count: 3 }, { value: 'odd', count: 1 }] });
    expect(s.outputs.find((o) => o.name === 'ok')).toMatchObject({ kind: 'values', top: [{ value: 'false', count: 2 }, { value: 'true', count: 2 }] });
  });

  it('stops at the deadline and goes on where it stopped', () => {
    const stats = new ExecutionStats();
    const states = new Uint8Array(1000).fill(2);
    let calls = 0;
    expect(stats.update(states, (i) => (calls++, facts(i)), performance.now() - 1)).toBe(false);
    expect(calls).toBe(63);
    expect(stats.update(states, (i) => (calls++, facts(i)))).toBe(true);
    expect(calls).toBe(1000);
    expect(stats.summary({ bins: 4 }).records).toBe(1000);
  });

  it('bounds what a hostile server can make it keep: outputs, names, times, values', () => {
    const stats = new ExecutionStats();
    const many: Record<string, unknown> = {};
    for (let k = 0; k < 100; k++) many[`o${k}`] = k;
    many['x'.repeat(10_000)] = 1;
    stats.add({ failed: false, startMs: -8.64e15, endMs: Number.NaN, outputs: many });
    stats.add({ failed: false, startMs: T0, endMs: T0 + 40 * 86_400_000, outputs: { o0: Infinity, o1: 'text', o2: null } });
    const s = stats.summary({ bins: 4 });
    expect(s.outputs).toHaveLength(STATS_LIMITS.maxOutputs);
    expect(s.outputsLeftOut).toBe(100 - STATS_LIMITS.maxOutputs + 1);
    // A time outside 2000..2100 is no time, and a 40-day record no duration.
    expect(s.durations).toBeNull();
    expect(s.outputs[0]).toMatchObject({ name: 'o0', count: 1, nonFinite: 1, min: 0, max: 0 });
    expect(s.outputs[1]).toMatchObject({ name: 'o1', count: 1, other: 1 });
  });
});

describe('rate series', () => {
  it('from record end times: finished per second and the failed share per bin', () => {
    // Starts at 0 s; ends at 1, 1.5, 3 and 4 s, the one at 3 s failed: two bins of 2 s, two ends in each.
    const ends = [1000, 1500, 3000, 4000].map((t) => T0 + t);
    const r = rateSeries({ ends, failedEnds: [T0 + 3000], start: T0 }, [], 2)!;
    expect(r).toMatchObject({ source: 'records', startMs: T0, binMs: 2000 });
    expect(r.perSecond).toEqual([1, 1]);
    expect(r.failedPercent).toEqual([0, 50]);
  });

  it('from polls when records carry no times: each interval spread over the bins it spans', () => {
    const history = [
      { at: T0, finished: 0, failed: 0 },
      { at: T0 + 2000, finished: 10, failed: 0 },
      { at: T0 + 4000, finished: 30, failed: 5 },
    ];
    const r = rateSeries({ ends: [], failedEnds: [], start: null }, history, 4)!;
    expect(r.source).toBe('polls');
    expect(r.perSecond).toEqual([5, 5, 10, 10]);
    expect(r.failedPercent).toEqual([0, 0, 25, 25]);
    expect(rateSeries({ ends: [], failedEnds: [], start: null }, history.slice(0, 1), 4)).toBeNull();
  });

  it('keeps a bounded poll history, thinned evenly, first and last kept', () => {
    let h: readonly { at: number; finished: number; failed: number }[] = [];
    for (let k = 0; k <= MAX_POLL_SAMPLES; k++) h = appendSample(h, { at: k, finished: k, failed: 0 });
    expect(h.length).toBeLessThanOrEqual(MAX_POLL_SAMPLES / 2 + 1);
    expect([h[0].at, h[1].at, h.at(-1)!.at]).toEqual([0, 2, MAX_POLL_SAMPLES]);
    expect(appendSample(h, { at: 3, finished: 0, failed: 0 })).toBe(h);
  });
});

describe('charts', () => {
  it('a line chart is exactly height × width, and pure ASCII when asked', () => {
    const lines = lineChart([0, 2, 5, 3, NaN, 1], 20, 5, true);
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => l.length === 20)).toBe(true);
    expect(asciiOnly(lines)).toBe(true);
    expect(lines[0]).toMatch(/^ {2}5\.00/);
    expect(lines[4]).toMatch(/^ {2}0\.00\+/);
    expect(lineChart([0, 0], 20, 4, false)).toHaveLength(4);
  });

  it('bars and sparklines scale to the largest count; a non-zero count always shows', () => {
    // 4, 2, 0, 1 of 4 in two rows: 16, 8, 0 and 4 eighths.
    expect(barRows([4, 2, 0, 1], 2, true)).toEqual(['#   ', '## :']);
    expect(barRows([8, 4, 1], 1, true)).toEqual(['#:.']);
    expect(barRows([8, 1], 1, false)).toEqual(['█▁']);
    // Ramps of eight steps: 50 of 100 is step 4.
    expect(sparkline([0, 1, 100, 50], true)).toBe(' .@=');
    expect(sparkline([0, 8, 4], false)).toBe(' █▄');
  });
});
