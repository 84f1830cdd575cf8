// Benchmark: `mlbatch diff` of two finished 100,000-record executions, end to end (the built CLI
// as a child process: start, log in, poll both, compare, print --json), with its peak RSS.
// Floors: ≤ 3 s wall, RSS ≤ 400 MB. For scale, in the same run: `mlbatch export --format jsonl`
// of one of the two executions (one poll, every record decoded and printed) and the ratio.
// Version 2.0 of the service differs from 1.0 on known records: every 100th score is 0.01
// higher, every 1000th label changes, every 5000th record fails; the bench checks the counts.
// Run: npm run build && node bench/diff.mjs   (MLBATCH_BENCH_RECORDS=20000 for a quick run)
// The server runs in a child process; its data dir is kept in $MLBATCH_BENCH_DIR (default
// $TMPDIR/mlbatch-bench-diff) so later runs skip the two 100k runs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, startChildServer } from './child-server.mjs';

const RECORDS = Number(process.env.MLBATCH_BENCH_RECORDS ?? 100_000);
const REPS = 3;
const PASSWORD = 'bench-password';
const dir = process.env.MLBATCH_BENCH_DIR ?? join(tmpdir(), 'mlbatch-bench-diff');
const BIN = fileURLToPath(new URL('../bin/mlbatch.js', import.meta.url));
// Loaded before the CLI: reports the process's peak RSS on stderr as it exits.
const RSS_HOOK = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`))';

const CODE = {
  '1.0': 'const score = i / 1000; const label = `L${i % 7}`;',
  '2.0': 'if (i % 5000 === 3) throw new Error(`record ${i} fails in 2.0`);\n'
    + 'const score = i / 1000 + (i % 100 === 0 ? 0.01 : 0); const label = i % 1000 === 7 ? "changed" : `L${i % 7}`;',
};

if (process.argv[2] === '--server') {
  const { startServer } = await import('../dist/server/index.js');
  const s = await startServer({ port: 0, dataDir: join(dir, 'data'), adminPassword: PASSWORD, maxWorkers: 4, log: () => {} });
  process.stdout.write(`${JSON.stringify({ url: s.url })}\n`);
  process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
} else {
  await main();
}

/** Runs the CLI; resolves with its wall time, peak RSS (bytes), exit code and stdout. */
function cli(url, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, MLBATCH_HOST: url, MLBATCH_USER: 'admin', MLBATCH_PASSWORD: PASSWORD, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const rss = Number(/maxrss (\d+)/.exec(err)?.[1] ?? NaN) * 1024;
      resolve({ ms, rss, code, stdout: Buffer.concat(out).toString(), stderr: err });
    });
  });
}

async function execution(client, version) {
  const { MlBatchHttpError, Poller } = await import('../dist/index.js');
  const svc = await client.getService('scores', version).catch(async (err) => {
    if (!(err instanceof MlBatchHttpError) || err.status !== 404) throw err;
    await client.http.json('POST', `/services/scores/${version}`, { body: {
      code: CODE[version], runtimeType: 'JavaScript',
      inputParameterDefinitions: [{ name: 'i', type: 'integer' }],
      outputParameterDefinitions: [{ name: 'score', type: 'numeric' }, { name: 'label', type: 'character' }],
    } });
    return client.getService('scores', version);
  });
  const marker = join(dir, `execution-${version}-${RECORDS}.txt`);
  if (existsSync(marker)) {
    const id = readFileSync(marker, 'utf8').trim();
    const p = await svc.getBatch(id).poll({ showPartialResults: false }).catch(() => undefined);
    if (p && p.totalItemCount === RECORDS && p.state === 'Complete') return id;
  }
  const t0 = Date.now();
  const batch = await svc.batch(Array.from({ length: RECORDS }, (_, i) => ({ i })), { parallelCount: 50 }).start();
  writeFileSync(marker, batch.executionId);
  process.stderr.write(`running ${RECORDS} records of scores ${version} once (kept in ${dir})...\n`);
  await new Poller(batch, { minIntervalMs: 1000, results: 'counts' }).run();
  process.stderr.write(`  took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return batch.executionId;
}

async function main() {
  const { connect } = await import('../dist/index.js');
  const server = await startChildServer(fileURLToPath(import.meta.url), dir);
  try {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
    const a = await execution(client, '1.0');
    const b = await execution(client, '2.0');
    const diffs = [];
    const exports = [];
    for (let k = 0; k < REPS; k++) {
      const d = await cli(server.url, ['diff', 'scores', '1.0', a, 'scores', '2.0', b, '--json']);
      if (d.code !== 1) throw new Error(`diff exited ${d.code}: ${d.stderr}`);
      const s = JSON.parse(d.stdout);
      // Every 100th score, every 1000th label (i % 1000 === 7) and every 5000th failure (i % 5000 === 3) are apart.
      const want = { different: Math.ceil(RECORDS / 100) + Math.floor((RECORDS - 8) / 1000) + 1, failedInB: Math.floor((RECORDS - 4) / 5000) + 1 };
      if (s.counts.different !== want.different || s.counts.failedInB !== want.failedInB) {
        throw new Error(`expected ${JSON.stringify(want)}, got ${JSON.stringify(s.counts)}`);
      }
      diffs.push(d);
      const e = await cli(server.url, ['export', 'scores', '1.0', a, '--format', 'jsonl']);
      if (e.code !== 0) throw new Error(`export exited ${e.code}: ${e.stderr}`);
      exports.push(e);
    }
    const last = JSON.parse(diffs.at(-1).stdout);
    const wall = median(diffs.map((d) => d.ms));
    const rss = Math.max(...diffs.map((d) => d.rss));
    const exportWall = median(exports.map((e) => e.ms));
    const mb = (x) => `${(x / 1e6).toFixed(0)} MB`;
    console.log(`diff of two finished ${RECORDS}-record executions: ${last.counts.different} different, ${last.counts.failedInOne} failed in one, ${last.counts.equal} equal`);
    console.log(`mlbatch diff --json, end to end: ${wall.toFixed(0)} ms (median of ${diffs.map((d) => d.ms.toFixed(0)).join(', ')}; floor ≤ 3000 ms), peak RSS ${mb(rss)} (floor ≤ 400 MB)`);
    console.log(`mlbatch export --format jsonl of one of them, same run: ${exportWall.toFixed(0)} ms (median), peak RSS ${mb(Math.max(...exports.map((e) => e.rss)))}; ratio diff / export ${(wall / exportWall).toFixed(2)}`);
  } finally {
    await server.stop();
  }
}
