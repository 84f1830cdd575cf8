// Benchmark: downloading 1,000 artifacts of 100 KB from the embedded server, mlbatch's bulk
// download (one poll names the files, then bounded-concurrency fetches into DIR/<index>/<file>,
// as `mlbatch download --all` does) against one-at-a-time fetching (list, fetch, write, index
// after index, as the official client does), in the same run.
// Floor: bulk ≥ 2× faster. Run: npm run build && node bench/bulk-download.mjs
// The server runs in a child process; its data dir is kept in $MLBATCH_BENCH_DIR (default:
// $TMPDIR/mlbatch-bench-bulk) so later runs skip producing the artifacts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, startChildServer } from './child-server.mjs';

const RECORDS = 1000;
const SIZE = 100 * 1024;
const REPS = 3;
// Default: the library's own default (16).
const CONCURRENCY = process.env.MLBATCH_BENCH_CONCURRENCY ? Number(process.env.MLBATCH_BENCH_CONCURRENCY) : undefined;
const PASSWORD = 'bench-password';
const dir = process.env.MLBATCH_BENCH_DIR ?? join(tmpdir(), 'mlbatch-bench-bulk');

if (process.argv[2] === '--server') {
  const { startServer } = await import('../dist/server/index.js');
  const s = await startServer({ port: 0, dataDir: join(dir, 'data'), adminPassword: PASSWORD, maxWorkers: 2, log: () => {} });
  process.stdout.write(`${JSON.stringify({ url: s.url })}\n`);
  process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
} else {
  await main();
}


async function main() {
  const { connect, downloadMany, artifactNamesFromResults, writeFileSafely, ensureDirectory, Poller, MlBatchHttpError } = await import('../dist/index.js');
  const server = await startChildServer(fileURLToPath(import.meta.url), dir);
  try {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
    const svc = await client.getService('blob', '1.0').catch(async (err) => {
      if (!(err instanceof MlBatchHttpError) || err.status !== 404) throw err;
      await client.http.json('POST', '/services/blob/1.0', { body: {
        code: `require('node:fs').writeFileSync('blob.bin', Buffer.alloc(${SIZE}, i % 251));`,
        runtimeType: 'JavaScript', outputFileNames: ['blob.bin'],
        inputParameterDefinitions: [{ name: 'i', type: 'integer' }], outputParameterDefinitions: [],
      } });
      return client.getService('blob', '1.0');
    });
    const marker = join(dir, 'execution.txt');
    let batch = existsSync(marker) ? svc.getBatch(readFileSync(marker, 'utf8').trim()) : undefined;
    if (batch && (await batch.poll({ showPartialResults: false }).catch(() => undefined))?.state !== 'Complete') batch = undefined;
    if (!batch) {
      batch = await svc.batch(Array.from({ length: RECORDS }, (_, i) => ({ i })), { parallelCount: 20 }).start();
      writeFileSync(marker, batch.executionId);
      process.stderr.write(`producing ${RECORDS} artifacts once (kept in ${dir})...\n`);
      const last = await new Poller(batch, { minIntervalMs: 500, results: 'counts' }).run();
      if (last.state !== 'Complete') throw new Error(`the producing execution ended ${last.state}`);
    }
    const indices = Array.from({ length: RECORDS }, (_, i) => i);

    const oneAtATime = async (dest) => {
      for (const index of indices) {
        const target = await ensureDirectory(join(dest, String(index)));
        for (const name of await batch.listArtifacts(index)) {
          await writeFileSafely(target, name, await batch.artifact(index, name));
        }
      }
    };
    const bulk = async (dest) => {
      // As `mlbatch download --all` does: one poll names the files, then fetches run in parallel.
      const snapshot = await new Poller(batch).pollOnce();
      const knownFiles = artifactNamesFromResults(snapshot.result, svc.definition.outputFileNames ?? []);
      const res = await downloadMany(batch, { indices, destination: dest, concurrency: CONCURRENCY, knownFiles });
      if (res.failed > 0 || res.files.length !== RECORDS) throw new Error(`bulk download: ${res.failed} failed of ${res.files.length}`);
    };

    const times = { serial: [], bulk: [] };
    const scratch = await mkdtemp(join(tmpdir(), 'mlbatch-bulk-out-'));
    try {
      for (let rep = 0; rep < REPS; rep++) {
        // Alternate which goes first, so neither always meets a warm (or cold) page cache.
        const order = rep % 2 === 0 ? ['serial', 'bulk'] : ['bulk', 'serial'];
        for (const kind of order) {
          const dest = join(scratch, `${kind}-${rep}`);
          const t0 = performance.now();
          await (kind === 'serial' ? oneAtATime(dest) : bulk(dest));
          times[kind].push(performance.now() - t0);
          await rm(dest, { recursive: true, force: true });
        }
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const serial = median(times.serial);
    const fast = median(times.bulk);
    const mb = (RECORDS * SIZE) / 1024 / 1024;
    console.log(`bulk-download: ${RECORDS} artifacts of ${SIZE / 1024} KB (${mb.toFixed(0)} MiB), median of ${REPS}`);
    console.log(`  one at a time: ${serial.toFixed(0)} ms (${(mb / (serial / 1000)).toFixed(0)} MiB/s)   runs ${times.serial.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`  bulk (${CONCURRENCY ?? 16} at once): ${fast.toFixed(0)} ms (${(mb / (fast / 1000)).toFixed(0)} MiB/s)   runs ${times.bulk.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`  speed-up: ${(serial / fast).toFixed(2)}× (floor ≥ 2×) ${serial / fast >= 2 ? 'OK' : 'UNDER'}`);
  } finally {
    await server.stop();
  }
}
