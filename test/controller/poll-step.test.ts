/** One poll of the watched execution as the user sees it: the header, the stall alarm, the end notice and the bell. */
import { describe, expect, it } from 'vitest';
import { ServiceResponse } from '../../src/client/responses.js';
import { FRESH_WATCH, endNotice, pollStep, type StepContext, type WatchEffect } from '../../src/controller/poll-step.js';
import { isEndedState, type BatchRecord, type ExecutionState } from '../../src/protocol.js';
import { createAppStore } from '../../src/store/app-store.js';
import type { ExecRef } from '../../src/store/types.js';
import { progressLine, stateLine } from '../../src/views/header-lines.js';
import type { PollSnapshot } from '../../src/watch/poller.js';
import { StallWatch } from '../../src/watch/stall.js';

const REF: ExecRef = { service: 'flaky', version: '1.0', id: '1a2b3c4d-5e6f-4a0b-8c9d-0e1f2a3b4c5d' };
/** When the app began watching (epoch ms). */
const WATCH_START = Date.parse('2025-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A poll of states written `.>#X-` (Pending, Running, Complete, Failed, Canceled), at `at`. */
function poll(states: string, at: number, options: { state?: ExecutionState; version?: number; parallelCount?: number | null; times?: (i: number) => [number, number?] | undefined } = {}): PollSnapshot {
  const items = Uint8Array.from([...states].map((c) => '.>#X-'.indexOf(c)));
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const c of items) counts[c]++;
  const state = options.state ?? 'InProgress';
  return {
    executionId: REF.id, state, rawState: state, ended: isEndedState(state), totalItemCount: items.length, completedItemCount: counts[2] + counts[3],
    items, counts, itemStatesReported: true, runningSource: 'reported', parallelCount: options.parallelCount ?? null,
    parallelReported: options.parallelCount != null, resultsAsOf: at, bytesReceived: 0, version: options.version ?? 1, throughput: 0, etaMs: undefined,
    lastGoodPollAt: at, lastError: undefined, consecutiveErrors: 0, polls: 1, lastPollKind: 'full',
    result: (i) => {
      const t = options.times?.(i);
      return t ? new ServiceResponse({ startTime: iso(t[0]), endTime: t[1] === undefined ? undefined : iso(t[1]), outputParameters: { score: i } }) : undefined;
    },
  };
}

/** The watch of REF as the flow runs it, over a real store; `shown` says whether the execution's screen is on top. */
function watching(context: Partial<StepContext> = {}) {
  const store = createAppStore({ kind: 'execution', ref: REF });
  store.getState().attach(REF, 0);
  const stall = new StallWatch();
  let memory = FRESH_WATCH;
  return {
    store,
    /** Folds one poll in at its own time and returns what the user should notice besides the screen. */
    poll(snap: PollSnapshot, shown = true): WatchEffect[] {
      const at = snap.lastGoodPollAt!;
      const step = pollStep(snap, memory, { ref: REF, startedAt: WATCH_START, parallelCount: null, alarm: stall.observePoll(at, snap), shown, now: at, ...context });
      memory = step.memory;
      store.getState().applyPoll(step.patch, step.changed);
      return step.effects;
    },
    /** The execution screen's state and progress lines at `now`, without colour. */
    header: (now: number) => `${stateLine(store.getState().exec, now, false)}\n${progressLine(store.getState().exec, 80, false)}`,
  };
}

describe('one poll of the watched execution', () => {
  it('shows its counts, elapsed time from its first record, and the parallelCount it was started with until the server says one', () => {
    const w = watching({ parallelCount: 2 });
    const firstStart = WATCH_START - 5_000;
    const t = WATCH_START + 1_000;
    expect(w.poll(poll('#X>>..', t, { times: (i) => (i === 0 ? [firstStart, firstStart + 500] : undefined) }))).toEqual([]);
    expect(w.header(t + 2_000)).toBe([
      'InProgress · parallel 2 · elapsed 8s · 0/s · ETA — · polled 2 s ago',
      '██████████░░░░░░░░░░░░░░░░░░░░  33% 2/6  # 1  X 1  > 2  . 2  - 0',
    ].join('\n'));
    w.poll(poll('##>>.X', t + 3_000, { version: 2, parallelCount: 4 }));
    expect(w.header(t + 3_000)).toMatch(/^InProgress · parallel 4 · elapsed 9s · .* · polled 0 s ago\n.* 50% 3\/6 {2}# 2 {2}X 1 {2}> 2 {2}\. 1 {2}- 0$/);
  });

  it('without record times, counts elapsed time from when watching began', () => {
    const w = watching();
    w.poll(poll('>>..', WATCH_START + 12_000));
    expect(w.header(WATCH_START + 12_000)).toMatch(/^InProgress · parallel — · elapsed 12s · /);
  });

  it('re-attached after it ended, it ended when its last record did (not when it was attached), and nothing is announced', () => {
    const w = watching();
    const times = (i: number): [number, number] => [WATCH_START - 20_000 + i * 1_000, WATCH_START - 10_000 + i * 1_000];
    expect(w.poll(poll('##X#', WATCH_START + 60_000, { state: 'Complete', times }), false)).toEqual([]);
    expect(w.store.getState().exec.endedAt).toBe(WATCH_START - 7_000);
    expect(w.header(WATCH_START + 90_000)).toBe([
      'Complete · parallel — · elapsed 13s · 0.3/s · ETA — · final',
      '██████████████████████████████ 100% 4/4  # 3  X 1  > 0  . 0  - 0',
    ].join('\n'));
  });

  it('ending while another screen is shown, it says so in the status line and rings the bell, once', () => {
    const w = watching();
    const end = WATCH_START + 4_000;
    expect(w.poll(poll('>>..', WATCH_START + 1_000), false)).toEqual([]);
    expect(w.poll(poll('##X#', end, { state: 'Complete', version: 2, times: (i) => [WATCH_START, WATCH_START + 100 * i] }), false)).toEqual([
      { kind: 'status', text: 'Execution 1a2b3c4d (flaky 1.0) ended: Complete, 4/4 done, 1 failed' },
      { kind: 'bell' },
    ]);
    // Watched to its end, it ended when the poll that saw it end was answered.
    expect(w.store.getState().exec.endedAt).toBe(end);
    expect(w.header(end + 30_000)).toMatch(/^Complete · parallel — · elapsed 4.0s · 1.0\/s · ETA — · final\n/);
    expect(w.poll(poll('##X#', end + 500, { state: 'Complete', version: 2 }), false)).toEqual([]);
  });

  it('ending on its own screen, it needs no notice', () => {
    const w = watching();
    w.poll(poll('>>..', WATCH_START + 1_000));
    expect(w.poll(poll('#-..', WATCH_START + 2_000, { state: 'Canceled', version: 2 }))).toEqual([]);
    expect(w.header(WATCH_START + 3_000)).toMatch(/^Canceled · .* · final\n/);
  });

  it('the end notice counts failures only when there are some, and shortens the id', () => {
    expect(endNotice(REF, poll('#-..', 0, { state: 'Canceled' }))).toBe('Execution 1a2b3c4d (flaky 1.0) ended: Canceled, 1/4 done');
  });

  it('raises the stall alarm after 30 s of running records without a finish: the header says so, the bell rings once; a finish clears it', () => {
    const w = watching();
    const t0 = WATCH_START;
    const running = poll('#>>.', t0);
    expect(w.poll(running)).toEqual([]);
    expect(w.poll({ ...running, lastGoodPollAt: t0 + 29_000 })).toEqual([]);
    expect(w.header(t0 + 29_000)).not.toContain('stalled');
    expect(w.poll({ ...running, lastGoodPollAt: t0 + 31_000 })).toEqual([{ kind: 'bell' }]);
    expect(w.header(t0 + 31_000)).toMatch(/^InProgress · stalled 31s · /);
    expect(w.poll({ ...running, lastGoodPollAt: t0 + 40_000 })).toEqual([]);
    expect(w.header(t0 + 40_000)).toMatch(/^InProgress · stalled 40s · /);
    expect(w.poll(poll('##>.', t0 + 45_000, { version: 2 }))).toEqual([]);
    expect(w.header(t0 + 45_000)).not.toContain('stalled');
  });

  it('an index shows the inputs of a batch started here, its outputs and its run time', () => {
    const records: BatchRecord[] = [{ id: 1, value: 0.5 }, { id: 2, value: -1 }];
    const w = watching({ records });
    w.poll(poll('#.', WATCH_START + 1_000, { times: (i) => (i === 0 ? [WATCH_START, WATCH_START + 250] : undefined) }));
    expect(w.store.getState().detail(0)).toMatchObject({ state: 'Complete', inputs: records[0], outputs: { score: 0 }, durationMs: 250 });
    expect(w.store.getState().detail(1)).toMatchObject({ state: 'Pending', inputs: records[1] });
  });
});
