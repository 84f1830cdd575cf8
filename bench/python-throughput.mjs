#!/usr/bin/env node
// Records/s of a no-op Python service next to the same no-op JavaScript service, in the same run:
// (1) straight through the worker pool with 10 records in flight; (2) through the embedded server,
// batches at parallelCount 10. Floor: Python ≥ 0.5× JavaScript.
//   npm run build && node bench/python-throughput.mjs [records per round]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorkerPool, probePython } from '../dist/server/runtime/pool.js';
import { startServer } from '../dist/server/index.js';

const RECORDS = Number(process.argv[2] ?? 2000);
const ROUNDS = 5;
const WARMUP = 200;
const PARALLEL = 10;
const root = mkdtempSync(path.join(tmpdir(), 'mlbatch-bench-'));
let dirs = 0;

const noop = (runtimeType, code) => ({
  key: `bench-${runtimeType}`,
  name: `noop-${runtimeType.toLowerCase()}`,
  version: '1.0',
  runtimeType,
  initCode: '',
  code,
  inputs: [{ name: 'x', type: 'numeric' }],
  outputs: [{ name: 'y', type: 'numeric' }],
  outputFileNames: [],
});

/** Runs `count` records, `PARALLEL` at a time; returns records/s and the failures seen. */
async function drive(pool, service, count) {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const workDir = path.join(root, String(dirs++));
      mkdirSync(workDir);
      const out = await pool.run({ service, inputs: { x: i }, workDir, timeoutMs: 60_000 });
      if (!out.success) failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  return { perSecond: count / ((performance.now() - t0) / 1000), failed };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const services = { JavaScript: noop('JavaScript', 'const y = x;'), Python: noop('Python', 'y = x') };

/** Alternating rounds, so a change in the machine's load falls on both runtimes alike. */
async function compare(title, runRound) {
  const rates = { JavaScript: [], Python: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const label of Object.keys(services)) rates[label].push(await runRound(label));
  }
  const js = median(rates.JavaScript);
  const py = median(rates.Python);
  const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`${title}: ${ROUNDS} alternating rounds of ${RECORDS} no-op records, ${PARALLEL} in flight`);
  console.log(`  JavaScript  median ${js.toFixed(0).padStart(6)} records/s   (rounds: ${fmt(rates.JavaScript)})`);
  console.log(`  Python      median ${py.toFixed(0).padStart(6)} records/s   (rounds: ${fmt(rates.Python)})`);
  console.log(`  Python / JavaScript = ${(py / js).toFixed(2)} (floor 0.50: ${py / js >= 0.5 ? 'met' : 'NOT met'})`);
}

async function throughPool() {
  // Room for both sets of workers, so neither stops the other's between rounds.
  const pool = createWorkerPool({ maxWorkers: 2 * PARALLEL });
  try {
    for (const service of Object.values(services)) await drive(pool, service, WARMUP); // spawn + initCode
    await compare('worker pool', async (label) => {
      const r = await drive(pool, services[label], RECORDS);
      if (r.failed) throw new Error(`${label}: ${r.failed} records failed`);
      return r.perSecond;
    });
  } finally {
    await pool.close();
  }
}

async function throughServer() {
  const server = await startServer({ port: 0, dataDir: path.join(root, 'server'), adminPassword: 'bench', maxWorkers: 2 * PARALLEL, log: () => {} });
  try {
    const call = async (method, route, body, token) => {
      const res = await fetch(server.url + route, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const { access_token: token } = await call('POST', '/login', { username: 'admin', password: 'bench' });
    for (const s of Object.values(services)) {
      await call('POST', `/services/${s.name}/1.0`, {
        runtimeType: s.runtimeType, code: s.code, inputParameterDefinitions: s.inputs, outputParameterDefinitions: s.outputs,
      }, token);
    }
    const batch = async (label, n) => {
      const name = services[label].name;
      const records = Array.from({ length: n }, (_, x) => ({ x }));
      const t0 = performance.now();
      const { batchExecutionId: id } = await call('POST', `/api/${name}/1.0/batch?parallelCount=${PARALLEL}`, records, token);
      for (;;) {
        const r = await call('GET', `/api/${name}/1.0/batch/${id}?showPartialResults=false`, undefined, token);
        if (r.state === 'Complete') return n / ((performance.now() - t0) / 1000);
        if (r.state === 'Failed' || r.state === 'Canceled') throw new Error(`${label}: batch ${r.state}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    for (const label of Object.keys(services)) await batch(label, WARMUP);
    await compare('embedded server', (label) => batch(label, RECORDS));
  } finally {
    await server.close();
  }
}

try {
  if (!(await probePython('python3'))) throw new Error('python3 is not available: nothing to compare');
  await throughPool();
  await throughServer();
} finally {
  rmSync(root, { recursive: true, force: true });
}
