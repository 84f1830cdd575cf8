// Throughput of the embedded server, against the built dist/ (run `npm run build` first):
//   node bench/server-throughput.mjs [--quick]
// Prints: records/s for 10,000 no-op records at parallelCount 10; efficiency (ideal wall ÷
// measured wall) for 200 records of a 100 ms service at parallelCount 20, after one warm-up
// batch that starts the 20 workers (medians of three runs each: the machine is shared); and the
// time to answer a poll of a finished 100,000-record execution next to JSON.stringify of the
// same body, measured in the same run (plus the same poll once after a restart, uncached).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startServer } from '../dist/server/index.js';

const quick = process.argv.includes('--quick');
const N_FAST = quick ? 2_000 : 10_000;
const N_POLL = quick ? 20_000 : 100_000;
const dataDir = mkdtempSync(join(tmpdir(), 'mlbatch-bench-'));
let server = await startServer({
  port: 0,
  dataDir,
  adminPassword: 'bench',
  maxWorkers: 20,
  limits: { maxRecords: 200_000, maxParallelCount: 100 },
});
let base = server.url;
let token = '';

async function call(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text;
}

async function publish(name, code) {
  await call('POST', `/services/${name}/1.0`, {
    runtimeType: 'JavaScript',
    code,
    inputParameterDefinitions: [{ name: 'i', type: 'integer' }],
    outputParameterDefinitions: [{ name: 'i', type: 'integer' }],
  });
}

/** Starts a batch and polls (cheaply, without results) until it ends; returns the wall ms. */
async function runBatch(name, n, parallelCount, pollMs = 20) {
  const records = Array.from({ length: n }, (_, i) => ({ i }));
  const t0 = performance.now();
  const { batchExecutionId: id } = JSON.parse(
    await call('POST', `/api/${name}/1.0/batch?parallelCount=${parallelCount}`, records),
  );
  for (;;) {
    const r = JSON.parse(await call('GET', `/api/${name}/1.0/batch/${id}?showPartialResults=false`));
    if (['Complete', 'Failed', 'Canceled'].includes(r.state)) {
      if (r.completedItemCount !== n) throw new Error(`${name}: ${r.completedItemCount} of ${n} done`);
      return { id, ms: performance.now() - t0, state: r.state };
    }
    await new Promise((res) => setTimeout(res, pollMs));
  }
}

/** GET over a plain HTTP request; resolves with the raw bytes once the last one has arrived. */
function getRaw(path) {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

try {
  token = JSON.parse(await call('POST', '/login', { username: 'admin', password: 'bench' })).access_token;
  await publish('noop', '');
  await publish('sleep100', 'await new Promise((r) => setTimeout(r, 100));');

  // 1. Throughput of a no-op service (after a small warm-up batch that starts its workers).
  // The machine is shared: three runs, the median counts, all three are shown.
  await runBatch('noop', 200, 10);
  const fastRuns = [];
  for (let k = 0; k < 3; k++) fastRuns.push(N_FAST / ((await runBatch('noop', N_FAST, 10, 50)).ms / 1000));
  console.log(`no-op throughput: ${N_FAST} records at parallelCount 10: ${median(fastRuns).toFixed(0)} records/s (median of ${fastRuns.map((r) => r.toFixed(0)).join(', ')}; floor 2000)`);

  // 2. Efficiency of a 100 ms service; the warm-up batch starts all 20 workers first.
  await runBatch('sleep100', 20, 20);
  const ideal = (200 / 20) * 100;
  const effRuns = [];
  for (let k = 0; k < 3; k++) effRuns.push(ideal / (await runBatch('sleep100', 200, 20, 10)).ms);
  console.log(`100 ms service: 200 records at parallelCount 20, ideal ${ideal} ms: efficiency ${median(effRuns).toFixed(3)} (median of ${effRuns.map((e) => e.toFixed(3)).join(', ')}; floor 0.85; workers warmed first)`);

  // 3. Poll answer of a finished big execution vs JSON.stringify of the same body.
  const big = await runBatch('noop', N_POLL, 10, 200);
  console.log(`(${N_POLL} no-op records ran in ${big.ms.toFixed(0)} ms = ${(N_POLL / (big.ms / 1000)).toFixed(0)} records/s)`);
  const path = `/api/noop/1.0/batch/${big.id}`;
  // The first poll after the end is answered from the item texts kept in memory, later ones from
  // the cached answer; both are measured (time until the client holds the last byte).
  const pollTimes = [];
  let bytes = Buffer.alloc(0);
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    bytes = await getRaw(path);
    pollTimes.push(performance.now() - t0);
  }
  const text = bytes.toString();
  const body = JSON.parse(text);
  if (body.batchExecutionResults.length !== N_POLL) throw new Error('poll body is not complete');
  const strTimes = [];
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    const s = JSON.stringify(body);
    strTimes.push(performance.now() - t0);
    if (s !== text) throw new Error('JSON.stringify of the parsed poll body differs from the body');
  }
  const poll = median(pollTimes);
  const str = median(strTimes);
  console.log(`poll of a finished ${N_POLL}-record execution (${(text.length / 1e6).toFixed(1)} MB): ${poll.toFixed(1)} ms (median of 7 over HTTP, first ${pollTimes[0].toFixed(1)} ms); JSON.stringify of the same body: ${str.toFixed(1)} ms (median of 7); ratio ${(poll / str).toFixed(2)} (floor ≤ 2)`);
  // After a restart nothing is cached: the answer is rebuilt from SQLite once.
  await server.close();
  server = await startServer({ port: 0, dataDir, adminPassword: 'bench', maxWorkers: 20 });
  base = server.url;
  token = JSON.parse(await call('POST', '/login', { username: 'admin', password: 'bench' })).access_token;
  const t0 = performance.now();
  const cold = await getRaw(path);
  const coldMs = performance.now() - t0;
  if (!cold.equals(bytes)) throw new Error('the poll answer after a restart differs');
  console.log(`same poll right after a restart (answer rebuilt from SQLite): ${coldMs.toFixed(1)} ms, ratio ${(coldMs / str).toFixed(2)}`);
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
