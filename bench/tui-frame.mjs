#!/usr/bin/env node
// bench/tui-frame: the execution screen at 120×40 for 1,000 and 100,000 indices.
// Prints ms per update after a poll (median of 50), bytes written when one cell changes, and
// key-to-frame time while a 100,000-index execution is polled every second.
// Run after `npm run build`:  node bench/tui-frame.mjs
// React's production build, as the app runs it (the app sets NODE_ENV before loading ink).
process.env.NODE_ENV ??= 'production';
const { EventEmitter } = await import('node:events');
const { createElement } = await import('react');
const { render } = await import('ink');
const { createAppStore } = await import('../dist/store/app-store.js');
const { App } = await import('../dist/tui/App.js');
const { inkStdout } = await import('../dist/tui/ink-stdout.js');
const { RENDER_OPTIONS, MAX_FPS } = await import('../dist/tui/render-options.js');

const COLS = 120;
const ROWS = 40;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** A terminal-like stdout that counts what ink writes and reports each write. */
class FakeStdout extends EventEmitter {
  columns = COLS;
  rows = ROWS;
  isTTY = true;
  bytes = 0;
  writes = 0;
  onWrite = null;
  write(chunk) {
    this.bytes += Buffer.byteLength(String(chunk));
    this.writes++;
    this.onWrite?.();
    return true;
  }
  hasColors() {
    return true;
  }
}

/** A raw-mode stdin ink can read keys from. */
class FakeStdin extends EventEmitter {
  isTTY = true;
  data = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(s) {
    this.data = s;
    this.emit('readable');
  }
}

const noop = () => undefined;
const actions = new Proxy({}, { get: () => async () => [] });

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

async function setup(n) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const ref = { service: 'slow-scorer', version: '1.0', id: '5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f' };
  const store = createAppStore({ kind: 'execution', ref });
  store.getState().attach(ref, 10);
  const { s, rand, finished } = progressStates(n);
  store.getState().applyPoll(snapshot(s, Date.now()));
  // The viewport sits where the work happens: the boundary between finished and pending.
  store.getState().jumpTo(finished);
  const instance = render(createElement(App, { store, actions: { ...actions, quit: noop }, color: true }), {
    stdout: inkStdout(stdout), stdin, ...RENDER_OPTIONS,
  });
  await sleep(300);
  return { stdout, stdin, store, instance, rand, finished };
}

/** Time from a poll's setState to the frame being written; updates 150 ms apart (outside the throttle). */
async function msPerUpdate(n, samples = 50) {
  const { stdout, store, instance, rand, finished } = await setup(n);
  const times = [];
  let front = finished;
  for (let k = 0; k < samples + 5; k++) {
    const prev = store.getState().exec.states;
    const next = new Uint8Array(prev);
    // Each poll finishes about 1% of the execution (at least 20 indices), in order, and starts the next ones.
    const step = Math.max(20, Math.floor(n / 100));
    for (let j = front; j < Math.min(n, front + step); j++) next[j] = rand() < 0.03 ? 3 : 2;
    front = Math.min(n, front + step);
    for (let j = front; j < Math.min(n, front + 10); j++) next[j] = 1;
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
    const i = store.getState().exec.states.length > 1000 ? 50_000 + k * 7 : 500 + k * 7;
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
  for (let k = 0; k < 50; k++) {
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

const fmt = (x) => x.toFixed(2);
// Interleaved halves, so that load from other processes hits both sizes alike.
const small = [];
const big = [];
const mid = [];
for (let round = 0; round < 2; round++) {
  small.push(...(await msPerUpdate(1_000, 25)));
  big.push(...(await msPerUpdate(100_000, 25)));
  mid.push(...(await msPerUpdate(10_000, 25)));
}
const b1 = await bytesPerOneCell(100_000);
const keys = await keyToFrame(100_000);
const mSmall = median(small);
const mBig = median(big);
const { loadavg, cpus } = await import('node:os');
console.log(`execution screen ${COLS}×${ROWS}, ink incrementalRendering, maxFps ${MAX_FPS}; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
console.log(`ms per update after a poll (median of 50):  1,000: ${fmt(mSmall)}   100,000: ${fmt(mBig)}   ratio ${fmt(mBig / mSmall)}   (floors: ≤ 30 ms, ratio ≤ 1.3)`);
console.log(`  (1,000 indices fill 10 of the 34 grid rows at 120×40; 10,000 fill all of them like 100,000: ${fmt(median(mid))} ms, 100,000 vs 10,000 ratio ${fmt(mBig / median(mid))})`);
console.log(`bytes written per one-cell update: median ${median(b1)}  max ${Math.max(...b1)}   (floor: ≤ 2048)`);
console.log(`key to frame at 100,000 polled every 1 s: median ${fmt(median(keys))} ms  p95 ${fmt(pct(keys, 0.95))} ms  max ${fmt(Math.max(...keys))} ms   (floor: ≤ 50 ms)`);
process.exit(0);
