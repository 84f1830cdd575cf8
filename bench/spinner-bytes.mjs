#!/usr/bin/env node
// bench/spinner-bytes: what a ticking spinner costs on the wire. The execution screen at 80×24,
// polls failing (the header's "reconnecting" spinner ticks), drawn through the app's own render
// path (ink output cache, frame anchor, incremental rendering, the app's render options).
// Prints bytes and rows written per tick, and a full frame's bytes for comparison.
// Run after `npm run build`:  node bench/spinner-bytes.mjs
process.env.NODE_ENV ??= 'production';
const { FakeStdin, FakeStdout } = await import('./fake-terminal.mjs');
const { createElement } = await import('react');
const { render } = await import('ink');
const { createAppStore } = await import('../dist/store/app-store.js');
const { App } = await import('../dist/app.js');
const { inkStdout, needsFrameAnchor } = await import('../dist/terminal/ink-stdout.js');
const { RENDER_OPTIONS } = await import('../dist/terminal/render-options.js');
const { installOutputCache } = await import('../dist/terminal/ink-output.js');

const cached = await installOutputCache();
const anchored = await needsFrameAnchor();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const N = 2000;
const ref = { service: 'slow-scorer', version: '1.0', id: '5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f' };
const store = createAppStore({ kind: 'execution', ref });
store.getState().attach(ref, 10);
const states = new Uint8Array(N).map((_, i) => (i < N / 2 ? 2 : i < N / 2 + 10 ? 1 : 0));
const counts = [0, 0, 0, 0, 0];
for (const s of states) counts[s]++;
const now = Date.now();
store.getState().applyPoll({ state: 'InProgress', total: N, completed: N / 2, parallelCount: 10, states, counts, startedAt: now - 60_000, endedAt: null, throughput: 42, etaMs: 120_000, lastGoodPollAt: now });
store.getState().pollFailed('connect ECONNREFUSED 127.0.0.1:12800');

const stdout = new FakeStdout(80, 24, true);
const actions = new Proxy({}, { get: () => async () => [] });
const instance = render(createElement(App, { store, actions, color: true }), { stdout: inkStdout(stdout, anchored), stdin: new FakeStdin(), ...RENDER_OPTIONS });
await sleep(500);
const fullFrame = Buffer.byteLength(stdout.chunks.find((c) => c.includes('reconnecting')) ?? '');
stdout.chunks = [];
const SECONDS = 5;
await sleep(SECONDS * 1000);
instance.unmount();
// A frame goes out as ink's synchronized-update begin (ESC[?2026h), the frame, and its end: one
// tick is everything from one begin to the next. ink's cursor show on unmount is left out.
const ticks = stdout.chunks.join('').split('\x1b[?2026h').filter((t) => t.includes('\x1b[?2026l')).map((t) => `\x1b[?2026h${t.slice(0, t.indexOf('\x1b[?2026l') + 8)}`);
const bytes = ticks.map((c) => Buffer.byteLength(c));
// ink's incremental renderer ends each rewritten row with erase-to-end-of-line (ESC[K).
const rows = ticks.map((c) => c.split('\x1b[K').length - 1);
console.log(`output cache ${cached ? 'on' : 'off'}, frame anchor ${anchored ? 'on' : 'off'}, 80×24, execution screen, polls failing`);
console.log(`ticks in ${SECONDS} s: ${ticks.length} (${(ticks.length / SECONDS).toFixed(1)} a second)`);
console.log(`bytes per tick: median ${median(bytes)}, max ${Math.max(...bytes)}; rows rewritten per tick: median ${median(rows)}, max ${Math.max(...rows)}`);
console.log(`a full frame: ${fullFrame} bytes (a tick is ${(fullFrame / median(bytes)).toFixed(0)}× smaller); ${((median(bytes) * ticks.length) / SECONDS / 1024).toFixed(2)} KB/s while waiting`);
