#!/usr/bin/env node
// Records/s of a no-op Python service next to the same no-op JavaScript service, through the
// worker pool with 10 records in flight (the scheduler's parallelCount 10), in the same run.
// Floor: Python ≥ 0.5× JavaScript.   npm run build && node bench/python-throughput.mjs [records]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorkerPool, probePython } from '../dist/server/runtime/pool.js';

const RECORDS = Number(process.argv[2] ?? 3000);
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

const pool = createWorkerPool({ maxWorkers: PARALLEL });
try {
  if (!probePython('python3')) throw new Error('python3 is not available: nothing to compare');
  const js = noop('JavaScript', 'const y = x;');
  const py = noop('Python', 'y = x');
  const results = {};
  for (const [label, service] of [['JavaScript', js], ['Python', py]]) {
    await drive(pool, service, WARMUP); // spawns the workers and runs initCode
    results[label] = await drive(pool, service, RECORDS);
    if (results[label].failed) throw new Error(`${label}: ${results[label].failed} records failed`);
  }
  const ratio = results.Python.perSecond / results.JavaScript.perSecond;
  console.log(`no-op service, ${RECORDS} records, ${PARALLEL} in flight, workers warm:`);
  console.log(`  JavaScript  ${results.JavaScript.perSecond.toFixed(0).padStart(6)} records/s`);
  console.log(`  Python      ${results.Python.perSecond.toFixed(0).padStart(6)} records/s`);
  console.log(`  Python / JavaScript = ${ratio.toFixed(2)} (floor 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
} finally {
  await pool.close();
  rmSync(root, { recursive: true, force: true });
}
