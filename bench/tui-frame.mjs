#!/usr/bin/env node
// bench/tui-frame: the execution screen at 120×40 for 1,000 and 100,000 indices.
// Prints ms per update after a poll (median of 50) for a steady poll and for one that changes
// every visible row, bytes written when one cell changes, and key-to-frame time while a
// 100,000-index execution is polled every second. Then the stats screen of a 100,000-record
// execution: its first draw, the time until every finished record is in its figures, and ms
// per update after a poll (MLBATCH_BENCH_STATS_ONLY=1 runs only that part).
// Run after `npm run build`:  node bench/tui-frame.mjs   (MLBATCH_BENCH_NO_CACHE=1: without the
// app's ink output cache, for comparison)
// React's production build, as the app runs it (the app sets NODE_ENV before loading ink).
process.env.NODE_ENV ??= 'production';
const { FakeStdin, FakeStdout } = await import('./fake-terminal.mjs');
const { createElement } = await import('react');
const { render } = await import('ink');
const { createAppStore } = await import('../dist/store/app-store.js');
const { App } = await import('../dist/app.js');
const { inkStdout } = await import('../dist/terminal/ink-stdout.js');
const { RENDER_OPTIONS, MAX_FPS } = await import('../dist/terminal/render-options.js');
const { installOutputCache } = await import('../dist/terminal/ink-output.js');
// As the app does before its first frame; MLBATCH_BENCH_NO_CACHE=1 measures ink as it ships.
const cached = process.env.MLBATCH_BENCH_NO_CACHE === '1' ? false : await installOutputCache();

const COLS = 120;
const ROWS = 40;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const noop = () => undefined;
// Every action resolves at once with nothing (the screens call some, such as loadLineage, as they open).
// A Proxy, not an object spread from one: a spread copies no properties of a Proxy without own keys.
const actions = new Proxy({ quit: noop }, { get: (target, key) => target[key] ?? (async () => []) });

/**
 * An execution in progress as the embedded server runs one: indices start in order, so a band
 * of finished ones (about 3% failed, as the slow scorer fails) is followed by the running ones
 * and then the pending ones. `done` is the share finished.
 */
function progressStates(n, done = 0.5, seed = 1) {
  let a = seed;
  const rand = () => ((a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const s = new Uint8Array(n);
  const finished = Math.floor(n * done);
  for (let i = 0; i < n; i++) s[i] = i < finished ? (rand() < 0.03 ? 3 : 2) : i < finished + 10 ? 1 : 0;
  return { s, rand, finished };
}

function countsOf(states) {
  const c = [0, 0, 0, 0, 0];
  for (let i = 0; i < states.length; i++) c[states[i]]++;
  return c;
}

function snapshot(states, now) {
  return {
    state: 'InProgress', total: states.length, completed: 0, parallelCount: 10, states, counts: countsOf(states),
    startedAt: now - 60_000, endedAt: null, throughput: 42, etaMs: 120_000, lastGoodPollAt: now,
  };
}

async function setup(n, done = 0.1) {
  const stdout = new FakeStdout(COLS, ROWS);
  const stdin = new FakeStdin();
  const ref = { service: 'slow-scorer', version: '1.0', id: '5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f' };
  const store = createAppStore({ kind: 'execution', ref });
  store.getState().attach(ref, 10);
  const { s, rand, finished } = progressStates(n, done);
  store.getState().applyPoll(snapshot(s, Date.now()));
  const instance = render(createElement(App, { store, actions, color: true }), {
    stdout: inkStdout(stdout), stdin, ...RENDER_OPTIONS,
  });
  await sleep(300);
  // The viewport sits where the work happens: the front of finished indices on its top row.
  const { cellsPerRow, bodyRows } = store.getState().view;
  store.getState().jumpTo(Math.min(n - 1, finished + (bodyRows - 1) * cellsPerRow));
  store.getState().jumpTo(finished);
  await sleep(150);
  return { stdout, stdin, store, instance, rand, finished };
}

/** Indices a steady poll finishes: the same at every size, since throughput does not grow with the execution. */
const STEP = 15;

/**
 * Time from a poll's setState to the frame being written; updates 150 ms apart (outside the throttle).
 * 'steady': as the server runs records in index order, a poll finishes the next STEP indices and
 * starts the ten after them, and the front stays in view for every sample.
 * 'every-row': a poll changes one index in every visible grid row, the most a poll can redraw.
 */
async function msPerUpdate(n, samples, model) {
  const { stdout, store, instance, rand, finished } = await setup(n);
  const times = [];
  let front = finished;
  for (let k = 0; k < samples + 5; k++) {
    const next = new Uint8Array(store.getState().exec.states);
    if (model === 'steady') {
      for (let j = front; j < Math.min(n, front + STEP); j++) next[j] = rand() < 0.03 ? 3 : 2;
      front = Math.min(n, front + STEP);
      for (let j = front; j < Math.min(n, front + 10); j++) next[j] = 1;
    } else {
      const { top, bodyRows, cellsPerRow } = store.getState().view;
      for (let r = top; r < top + bodyRows; r++) {
        const j = r * cellsPerRow + Math.floor(rand() * cellsPerRow);
        if (j < n) next[j] = next[j] === 2 ? 3 : 2;
      }
    }
    const snap = snapshot(next, Date.now());
    const written = new Promise((r) => (stdout.onWrite = r));
    const t0 = performance.now();
    store.getState().applyPoll(snap);
    await written;
    const dt = performance.now() - t0;
    stdout.onWrite = null;
    if (k >= 5) times.push(dt);
    await sleep(150);
  }
  instance.unmount();
  return times;
}

/** Bytes written for a frame where exactly one visible cell changed state. */
async function bytesPerOneCell(n) {
  const { stdout, store, instance } = await setup(n);
  const results = [];
  for (let k = 0; k < 10; k++) {
    const prev = store.getState().exec.states;
    const next = new Uint8Array(prev);
    const i = store.getState().view.cursor + 150 + k * 7;
    next[i] = next[i] === 2 ? 3 : 2;
    await sleep(150);
    const before = stdout.bytes;
    store.getState().applyPoll(snapshot(next, store.getState().exec.lastGoodPollAt));
    await sleep(150);
    results.push(stdout.bytes - before);
  }
  instance.unmount();
  return results;
}

/** Key press to next frame while polls (1% change) arrive every second. */
async function keyToFrame(n) {
  const { stdout, stdin, store, instance, rand } = await setup(n);
  const poll = setInterval(() => {
    const next = new Uint8Array(store.getState().exec.states);
    for (let j = 0; j < n / 100; j++) next[Math.floor(rand() * n)] = rand() < 0.03 ? 3 : 2;
    store.getState().applyPoll(snapshot(next, Date.now()));
  }, 1000);
  const times = [];
  // 200 presses over about 27 polls: enough for the p95 to include presses that land just after a poll's frame.
  for (let k = 0; k < 200; k++) {
    await sleep(137);
    const written = new Promise((r) => (stdout.onWrite = r));
    const t0 = performance.now();
    stdin.press(k % 2 ? 'l' : 'j');
    await written;
    times.push(performance.now() - t0);
    stdout.onWrite = null;
  }
  clearInterval(poll);
  instance.unmount();
  return times;
}

/** Bytes and frames a second while a key is held (repeating every 33 ms) on a 100,000-index grid. */
async function heldKey(n) {
  const { stdout, stdin, instance } = await setup(n);
  const bytes = stdout.bytes;
  const writes = stdout.writes;
  const t0 = performance.now();
  for (let k = 0; k < 60; k++) {
    stdin.press('l');
    await sleep(33);
  }
  const s = (performance.now() - t0) / 1000;
  instance.unmount();
  return { bytesPerS: (stdout.bytes - bytes) / s, writesPerS: (stdout.writes - writes) / s };
}

const { finishedExecution } = await import('./stats-execution.mjs');
const { isUtf8Locale } = await import('../dist/text/locale.js');
const STATS_REF = { service: 'slow-scorer', version: '1.0', id: '5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f' };

/** The states of `exec` with its first `done` records finished, ten running after them, the rest pending. */
function statesOf(exec, done) {
  const s = new Uint8Array(exec.codes.length);
  s.set(exec.codes.subarray(0, done));
  s.fill(1, done, Math.min(s.length, done + 10));
  return s;
}

/** Whether the stats screen's latest counts line no longer says it is reading records. */
function allRead(stdout) {
  for (let k = stdout.chunks.length - 1; k >= 0; k--) {
    if (stdout.chunks[k].includes(' finished ')) return !stdout.chunks[k].includes(' reading ');
  }
  return false;
}

/** Opens the stats screen on `exec` with `done` records finished: ms to the first frame and until all are read. */
async function statsFirstDraw(exec, done) {
  const stdout = new FakeStdout(COLS, ROWS, true);
  const store = createAppStore({ kind: 'stats', ref: STATS_REF });
  store.getState().attach(STATS_REF, 10);
  store.getState().applyPoll({ ...snapshot(statesOf(exec, done), Date.now()), detail: exec.detail });
  const first = new Promise((r) => (stdout.onWrite = r));
  const t0 = performance.now();
  const instance = render(createElement(App, { store, actions, color: true }), {
    stdout: inkStdout(stdout), stdin: new FakeStdin(), ...RENDER_OPTIONS,
  });
  await first;
  const firstMs = performance.now() - t0;
  stdout.onWrite = null;
  while (!allRead(stdout)) await sleep(2);
  const allMs = performance.now() - t0;
  return { firstMs, allMs, stdout, store, instance };
}

/** Ms from a poll's setState to the stats screen's frame, each poll finishing the next STEP records (half of 100,000 done). */
async function statsUpdates(exec, samples) {
  let front = exec.codes.length / 2;
  const { stdout, store, instance } = await statsFirstDraw(exec, front);
  const times = [];
  for (let k = 0; k < samples + 5; k++) {
    await sleep(150);
    front += STEP;
    const snap = snapshot(statesOf(exec, front), Date.now());
    const written = new Promise((r) => (stdout.onWrite = r));
    const t0 = performance.now();
    store.getState().applyPoll(snap);
    await written;
    if (k >= 5) times.push(performance.now() - t0);
    stdout.onWrite = null;
  }
  instance.unmount();
  return times;
}

/** First draws on fresh executions (a record once read stays decoded in the poll state), and updates. */
async function statsBench() {
  const draws = [];
  for (let k = 0; k < 3; k++) {
    const run = await statsFirstDraw(finishedExecution(100_000, k + 1), 100_000);
    run.instance.unmount();
    draws.push(run);
  }
  const updates = await statsUpdates(finishedExecution(100_000, 9), 50);
  return { draws, updates };
}

const fmt = (x) => x.toFixed(2);
if (process.env.MLBATCH_BENCH_STATS_ONLY === '1') {
  await printStats();
  process.exit(0);
}

async function printStats() {
  // The execution screen's steady update at 100,000, measured in the same run: a machine's load hits both alike.
  const baseline = await msPerUpdate(100_000, 25, 'steady');
  const { draws, updates } = await statsBench();
  const first = draws.map((d) => d.firstMs);
  const all = draws.map((d) => d.allMs);
  console.log(`stats screen ${COLS}×${ROWS}, 100,000 finished records: first draw median ${fmt(median(first))} ms  max ${fmt(Math.max(...first))} ms   (floor: ≤ 150 ms); every record in the figures after ${fmt(median(all))} ms (median of 3)`);
  console.log(`stats screen, 100,000 records half done, ms per update after a poll finishing the next ${STEP}: median ${fmt(median(updates))}  p95 ${fmt(pct(updates, 0.95))}  max ${fmt(Math.max(...updates))}   (floor: ≤ 20 ms); the execution screen's in the same run: median ${fmt(median(baseline))}, ratio ${fmt(median(updates) / median(baseline))}   (locale ${isUtf8Locale() ? 'UTF-8' : 'not UTF-8: ASCII charts'})`);
}
/** Medians of 50 updates at 1,000 and 100,000 indices, in interleaved halves so that load from other processes hits both alike. */
async function pair(model) {
  const small = [];
  const big = [];
  for (let round = 0; round < 2; round++) {
    small.push(...(await msPerUpdate(1_000, 25, model)));
    big.push(...(await msPerUpdate(100_000, 25, model)));
  }
  return [median(small), median(big)];
}
const [steadySmall, steadyBig] = await pair('steady');
const [everySmall, everyBig] = await pair('every-row');
const b1 = await bytesPerOneCell(100_000);
const keys = await keyToFrame(100_000);
const held = await heldKey(100_000);
const { loadavg, cpus } = await import('node:os');
console.log(`execution screen ${COLS}×${ROWS}, ink incrementalRendering, maxFps ${MAX_FPS}, output cache ${cached ? 'on' : 'OFF'}; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
console.log(`ms per update after a poll finishing the next ${STEP} indices (median of 50):  1,000: ${fmt(steadySmall)}   100,000: ${fmt(steadyBig)}   ratio ${fmt(steadyBig / steadySmall)}   (floors: ≤ 30 ms, ratio ≤ 1.3)`);
console.log(`ms per update after a poll changing every visible grid row:  1,000: ${fmt(everySmall)}   100,000: ${fmt(everyBig)}   ratio ${fmt(everyBig / everySmall)}   (1,000 indices fill 10 of the 34 grid rows, 100,000 all of them)`);
console.log(`bytes written per one-cell update: median ${median(b1)}  max ${Math.max(...b1)}   (floor: ≤ 2048)`);
console.log(`a held key (repeating every 33 ms) at 100,000: ${Math.round(held.bytesPerS)} bytes/s in ${held.writesPerS.toFixed(1)} writes/s`);
console.log(`key to frame at 100,000 polled every 1 s: median ${fmt(median(keys))} ms  p95 ${fmt(pct(keys, 0.95))} ms  max ${fmt(Math.max(...keys))} ms   (floor: ≤ 50 ms)`);
await printStats();
process.exit(0);
