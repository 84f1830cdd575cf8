import { describe, expect, it } from 'vitest';
import { runTimeOf, STALL_FLOOR_MS, StallWatch, type StallInput } from '../../src/watch/stall.js';
import { ITEM_CODE } from '../../src/protocol.js';

const { Pending: P, Running: R, Complete: C } = ITEM_CODE;

/** A poll of these item codes (counts from them). */
function poll(codes: number[], ended = false): StallInput {
  const items = Uint8Array.from(codes);
  const counts = [0, 0, 0, 0, 0];
  for (const c of codes) counts[c]++;
  return { items, counts, completed: counts[C] + counts[ITEM_CODE.Failed], ended };
}

describe('StallWatch (an injected clock: no waiting)', () => {
  it('alarms once after 30 s without a finish while records run, clears on the next finish, alarms again', () => {
    const w = new StallWatch();
    const second = () => 1000; // records take a second: the 30 s floor decides
    expect(w.observe(0, poll([C, R, R, P]), second).stalledSince).toBeNull();
    expect(w.observe(29_999, poll([C, R, R, P])).stalledSince).toBeNull();
    const first = w.observe(30_000, poll([C, R, R, P]));
    expect(first).toMatchObject({ stalledSince: 0, fresh: true, thresholdMs: STALL_FLOOR_MS });
    // Still stalled later: the same stall, not a new alarm.
    expect(w.observe(120_000, poll([C, R, R, P]))).toMatchObject({ stalledSince: 0, fresh: false });
    // A record finishes: no stall, and the next silence alarms afresh.
    expect(w.observe(121_000, poll([C, C, R, R]), second).stalledSince).toBeNull();
    expect(w.observe(151_000, poll([C, C, R, R]), second)).toMatchObject({ stalledSince: 121_000, fresh: true });
  });

  it('stays quiet with nothing running, and once the execution has ended', () => {
    const w = new StallWatch();
    w.observe(0, poll([C, P]));
    expect(w.observe(60_000, poll([C, P])).stalledSince).toBeNull();
    const v = new StallWatch();
    v.observe(0, poll([C, R]));
    expect(v.observe(60_000, poll([C, R], true)).stalledSince).toBeNull();
  });

  it('counts unfinished records as running when the server does not report item states', () => {
    const w = new StallWatch();
    w.observe(0, { ...poll([C, P, P]), statesReported: false });
    expect(w.observe(30_000, { ...poll([C, P, P]), statesReported: false }).fresh).toBe(true);
    const reported = new StallWatch();
    reported.observe(0, poll([C, P, P]));
    expect(reported.observe(30_000, poll([C, P, P])).stalledSince).toBeNull();
  });

  it('waits 10 × the p95 record time when records are slow', () => {
    const w = new StallWatch();
    // Records of 10 s each: the alarm waits 100 s, not 30.
    w.observe(0, poll([C, C, R]), () => 10_000);
    expect(w.thresholdMs).toBe(100_000);
    expect(w.observe(99_000, poll([C, C, R])).stalledSince).toBeNull();
    expect(w.observe(100_000, poll([C, C, R])).fresh).toBe(true);
  });

  it('without record times, takes the gaps between finishes for them', () => {
    const w = new StallWatch();
    w.observe(0, poll([R, R, P]));
    w.observe(20_000, poll([C, R, R]));
    w.observe(40_000, poll([C, C, R]));
    expect(w.thresholdMs).toBe(200_000);
    expect(w.observe(200_000, poll([C, C, R])).stalledSince).toBeNull();
    expect(w.observe(240_000, poll([C, C, R])).stalledSince).toBe(40_000);
  });

  it('reads a record time from ISO start and end times', () => {
    expect(runTimeOf('2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.500Z')).toBe(1500);
    expect(runTimeOf(undefined, '2024-01-01T00:00:01Z')).toBeNull();
  });
});
