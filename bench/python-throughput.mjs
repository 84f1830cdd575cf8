#!/usr/bin/env node
// Records/s of a no-op Python service next to the same no-op JavaScript service, through the
// worker pool with 10 records in flight (the scheduler's parallelCount 10), in the same run.
// Floor: Python ≥ 0.5× JavaScript.   npm run build && node bench/python-throughput.mjs [records per round]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorkerPool, probePython } from '../dist/server/runtime/pool.js';

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

// Room for both sets of workers, so neither stops the other's between rounds.
const pool = createWorkerPool({ maxWorkers: 2 * PARALLEL });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  if (!probePython('python3')) throw new Error('python3 is not available: nothing to compare');
  const services = { JavaScript: noop('JavaScript', 'const y = x;'), Python: noop('Python', 'y = x') };
  const rates = { JavaScript: [], Python: [] };
  for (const service of Object.values(services)) await drive(pool, service, WARMUP); // spawn + initCode
  // Alternating rounds, so a change in the machine's load falls on both runtimes alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, service] of Object.entries(services)) {
      const r = await drive(pool, service, RECORDS);
      if (r.failed) throw new Error(`${label}: ${r.failed} records failed`);
      rates[label].push(r.perSecond);
    }
  }
  const js = median(rates.JavaScript);
  const py = median(rates.Python);
  const ratio = py / js;
  const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`no-op service, ${ROUNDS} alternating rounds of ${RECORDS} records, ${PARALLEL} in flight, workers warm:`);
  console.log(`  JavaScript  median ${js.toFixed(0).padStart(6)} records/s   (rounds: ${fmt(rates.JavaScript)})`);
  console.log(`  Python      median ${py.toFixed(0).padStart(6)} records/s   (rounds: ${fmt(rates.Python)})`);
  console.log(`  Python / JavaScript = ${ratio.toFixed(2)} (floor 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
} finally {
  await pool.close();
  rmSync(root, { recursive: true, force: true });
}
