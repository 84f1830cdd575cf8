/** The stats screen at 80×24 over a fake actions port: charts, durations, outputs, live updates, ASCII in a C locale. */
import { afterEach, describe, expect, it } from 'vitest';
import { ID, renderApp, showExecution, snapshotOf, type ExecSpec } from './app-fixture.js';
import { KEYS } from './harness.js';

const ref = { service: 'slow-scorer', version: '1.0', id: ID };
const T0 = Date.UTC(2024, 0, 1);
const lines = (f: string) => f.split('\n');

/**
 * `done` finished records of `total`, every tenth failed (3, 13, …); record i starts at
 * T0 + 50·i ms and runs 100 + i ms. Outputs: score i/100, a label, a flag, and one output
 * whose name carries an escape sequence.
 */
function spec(total: number, done: number, state: ExecSpec['state'] = 'InProgress'): ExecSpec {
  return {
    states: Array.from({ length: total }, (_, i) => (i < done ? (i % 10 === 3 ? 'X' : '#') : i < done + 5 ? '>' : '.')).join(''),
    state,
    parallelCount: 5,
    detail: (i, code) => ({
      startMs: T0 + 50 * i,
      endMs: T0 + 50 * i + 100 + i,
      durationMs: 100 + i,
      outputs: code === 3 ? {} : { score: i / 100, label: i % 2 ? 'odd' : 'even', flag: i % 3 === 0, '\x1b[2Jevil': 1 },
    }),
  };
}

const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_CTYPE: process.env.LC_CTYPE };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('stats screen', () => {
  it('in a C locale: ASCII only, figures of the finished records, live as polls come, outputs scroll, q goes back', async () => {
    process.env.LC_ALL = 'C';
    const { h, store } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, spec(200, 100)) });
    await h.waitForFrame((x) => x.includes('cursor 0'), 'the execution screen');
    let f = await h.press('s');
    // Records are read in slices after the first frame, which says so until all are in.
    f = await h.waitForFrame((x) => x.includes('durations') && !x.includes('reading'), 'the stats screen with every record read');
    expect(lines(f)[0]).toBe(`stats  slow-scorer 1.0  ${ID}`);
    expect(lines(f)[1]).toMatch(/^InProgress \| 100\/200 finished \| 10 failed \| rates from record end times/);
    expect(f).toContain('throughput /s');
    expect(f).toContain('failed %');
    // Durations 100..199 ms (nearest rank): p50 the 50th, p95 the 95th, p99 the 99th.
    expect(f).toContain('durations  p50 0.149s  p95 0.194s  p99 0.198s  max 0.199s  (100)');
    expect(f).toMatch(/\| score +\| 90 +\| 0 +\| 0\.4967 +\| 0\.99 +\|/);
    expect(lines(f).length).toBeLessThanOrEqual(23);
    // Not one byte outside printable ASCII, escape sequences included (ESC aside).
    const bytes = [...Buffer.from(h.rawFrame())].filter((b) => b !== 0x1b && b !== 0x0a);
    expect(bytes.filter((b) => b > 0x7e || b < 0x20)).toEqual([]);

    // A poll finishes every record: the figures follow without a key.
    showExecution(store, ref, spec(200, 200, 'Complete'));
    f = await h.waitForFrame((x) => x.includes('(200)') && !x.includes('reading'), 'the figures of all 200 records');
    expect(lines(f)[1]).toMatch(/^Complete \| 200\/200 finished \| 20 failed/);
    expect(f).toContain('durations  p50 0.199s  p95 0.289s  p99 0.297s  max 0.299s  (200)');

    // Two rows of four outputs fit at 80×24 (one says how many more): the rest scroll into view; the hostile name shows as escapes.
    expect(f).toContain('~ 3 more');
    f = await h.press('G');
    expect(f).toMatch(/\| flag +\| 180 +\| +\| +\| +\| "false" 120, "true" 60/);
    expect(f).toContain('\\u001b[2Jevil');
    f = await h.press('q');
    expect(f).toContain('cursor 0');
    h.unmount();
  });

  it('in a UTF-8 locale: box-drawn table and block sparklines, ASCII charts; without record times, rates come from the polls seen', async () => {
    process.env.LC_ALL = 'en_US.UTF-8';
    const untimed: ExecSpec = { ...spec(50, 40), detail: (i) => ({ outputs: { score: i } }), lastGoodPollAt: T0 };
    const { h, store } = renderApp({ kind: 'stats', ref }, { setup: (s) => showExecution(s, ref, untimed) });
    const f = await h.waitForFrame((x) => x.includes('durations') && / 40 +\u2502/.test(x), 'the stats screen with every record read');
    expect(f).toContain('durations  the server gives no record start and end times');
    // One poll seen, no record times: no rates yet.
    expect(lines(f)[1]).toContain('rates after two polls');
    // Charts and bars are ASCII in every locale (ink measures a non-ASCII line character by character, every frame).
    const chartRows = lines(f).slice(3, 9);
    expect(chartRows.every((l) => /^[\x20-\x7e]*$/.test(l))).toBe(true);
    expect(chartRows.join('\n')).toMatch(/^ +1\.00\+/m);
    expect(f).toContain('┌');
    expect(f).toMatch(/│ score +│ 40 +│ 0 +│ 19\.5 +│ 39 +│ [▁▂▃▄▅▆▇█]+ +│/);
    // A second poll, 10 s later with 10 more finished: rates come from the polls the app saw.
    store.getState().applyPoll(snapshotOf({ ...untimed, ...spec(50, 50), detail: untimed.detail, lastGoodPollAt: T0 + 10_000 }));
    const next = await h.waitForFrame((x) => x.includes('rates from 2 polls'), 'rates from the polls');
    expect(lines(next)[1]).toMatch(/ · rates from 2 polls \(no record times\)$/);
    expect(next).toContain('throughput /s (0.');
    await h.press(KEYS.escape);
    h.unmount();
  });
});
