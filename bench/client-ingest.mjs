// Benchmark: ingesting one poll of a finished 100,000-record execution.
// Compares the bare cost (fetch the body as text + JSON.parse) with mlbatch's client path
// (Batch.poll: fetch, size-limited read, one scan of the bytes (no text, no object per item;
// results are parsed per index on demand) + PollState.apply: per-index Uint8Array and counts), in the same
// run, and prints RSS afterwards. Also times the full-parse path (JSON.parse + decodePoll), which
// mlbatch falls back to for bodies the scan does not expect.
// Floors: literal ratio (mlbatch fetch+decode+state / bare JSON.parse) ≤ 1.5, RSS ≤ 300 MB. Run: npm run build && node bench/client-ingest.mjs
// The server runs in a child process so RSS is the client's own. Its data dir is kept in
// $MLBATCH_BENCH_DIR (default: $TMPDIR/mlbatch-bench-ingest) so later runs skip the 100k run.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, startChildServer } from './child-server.mjs';

const RECORDS = Number(process.env.MLBATCH_BENCH_RECORDS ?? 100_000);
const REPS = 5;
const PASSWORD = 'bench-password';
const dir = process.env.MLBATCH_BENCH_DIR ?? join(tmpdir(), 'mlbatch-bench-ingest');

if (process.argv[2] === '--ingest') {
  // A fresh process doing only what the app does for one poll, so RSS is the client's own.
  const { connect, Poller } = await import('../dist/index.js');
  const [url, id] = process.argv.slice(3);
  const client = await connect({ host: url, username: 'admin', password: PASSWORD });
  const batch = (await client.getService('double', '1.0')).getBatch(id, { parallelCount: 100 });
  const snapshot = await new Poller(batch).pollOnce();
  globalThis.gc();
  const m = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, items: snapshot.items.length, complete: snapshot.counts[2] })}\n`);
} else if (process.argv[2] === '--server') {
  const { startServer } = await import('../dist/server/index.js');
  const s = await startServer({ port: 0, dataDir: join(dir, 'data'), adminPassword: PASSWORD, maxWorkers: 2, log: () => {} });
  process.stdout.write(`${JSON.stringify({ url: s.url })}\n`);
  process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
} else if (typeof globalThis.gc !== 'function') {
  // Collecting garbage before each timed part keeps one side from paying the other's GC debt.
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}

function ms(t) {
  return `${t.toFixed(1)} ms`;
}

async function main() {
  const { connect, Poller, PollState, decodePoll, MlBatchHttpError } = await import('../dist/index.js');
  const { scanPoll } = await import('../dist/client/poll-scan.js');
  const server = await startChildServer(fileURLToPath(import.meta.url), dir);
  try {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
    const svc = await client.getService('double', '1.0').catch(async (err) => {
      if (!(err instanceof MlBatchHttpError) || err.status !== 404) throw err;
      await client.http.json('POST', '/services/double/1.0', { body: {
        code: 'const y = x * 2;', runtimeType: 'JavaScript',
        inputParameterDefinitions: [{ name: 'x', type: 'numeric' }],
        outputParameterDefinitions: [{ name: 'y', type: 'numeric' }],
      } });
      return client.getService('double', '1.0');
    });
    const marker = join(dir, `execution-${RECORDS}.txt`);
    let batch = existsSync(marker) ? svc.getBatch(readFileSync(marker, 'utf8').trim(), { parallelCount: 100 }) : undefined;
    if (batch) {
      const p = await batch.poll({ showPartialResults: false }).catch(() => undefined);
      if (!p || p.totalItemCount !== RECORDS) batch = undefined;
    }
    if (!batch) {
      const t0 = Date.now();
      batch = await svc.batch(Array.from({ length: RECORDS }, (_, i) => ({ x: i })), { parallelCount: 100 }).start();
      writeFileSync(marker, batch.executionId);
      process.stderr.write(`running ${RECORDS} records once (kept in ${dir})...\n`);
      await new Poller(batch, { minIntervalMs: 1000, results: 'counts' }).run();
      process.stderr.write(`  took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const path = `/api/double/1.0/batch/${batch.executionId}`;
    const url = `${client.host}${path}?showPartialResults=true`;
    const token = await client.http.tokens.token();

    const rssRun = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--ingest', server.url, batch.executionId],
        { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`ingest child exited ${code}`))));
    });

    const bare = { fetch: [], parse: [], total: [] };
    const ours = { total: [], fetch: [], decode: [], state: [] };
    const fullParse = { decode: [], state: [] };
    let bytes = 0;
    for (let rep = 0; rep <= REPS; rep++) {
      // Bare: what any client must do at least.
      globalThis.gc();
      let t0 = performance.now();
      const text = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text();
      const t1 = performance.now();
      let parsed = JSON.parse(text);
      const t2 = performance.now();
      bytes = Buffer.byteLength(text);
      if (!Array.isArray(parsed.batchExecutionResults) || parsed.batchExecutionResults.length !== RECORDS) throw new Error('unexpected body');
      parsed = undefined;

      // mlbatch, end to end, as the Poller does it.
      globalThis.gc();
      let state = new PollState(batch.parallelCount, svc.outputs);
      const t3 = performance.now();
      state.apply(await batch.poll({ showPartialResults: true }), true);
      const t4 = performance.now();
      state = undefined;

      // The same path split into its parts: the scan reads the bytes as they came (no text made).
      globalThis.gc();
      const t5 = performance.now();
      const raw = await client.http.raw('GET', path, { query: { showPartialResults: true, showPartialResult: true } });
      const t6 = performance.now();
      const poll = scanPoll(raw.bytes) ?? decodePoll(JSON.parse(raw.bytes.toString('utf8')));
      const t7 = performance.now();
      const body = raw.bytes.toString('utf8');
      if (!poll.lazy) throw new Error('the scan fell back to the full parse');
      // Like the bare JSON.parse timing, the parse's garbage is collected outside the timers.
      globalThis.gc();
      const t7b = performance.now();
      const split = new PollState(batch.parallelCount, svc.outputs);
      split.apply(poll, true);
      const t8 = performance.now();
      if (split.itemCounts[2] !== RECORDS) throw new Error('state update lost items');

      // The full-parse path on the same text, for comparison.
      globalThis.gc();
      const t9 = performance.now();
      const parsedPoll = decodePoll(JSON.parse(body));
      const t10 = performance.now();
      globalThis.gc();
      const t10b = performance.now();
      new PollState(batch.parallelCount, svc.outputs).apply(parsedPoll, true);
      const t11 = performance.now();
      if (rep === 0) continue; // warm-up
      fullParse.decode.push(t10 - t9); fullParse.state.push(t11 - t10b);
      bare.fetch.push(t1 - t0); bare.parse.push(t2 - t1); bare.total.push(t2 - t0);
      ours.total.push(t4 - t3); ours.fetch.push(t6 - t5); ours.decode.push(t7 - t6); ours.state.push(t8 - t7b);
    }
    const rss = rssRun.rss / 1024 / 1024;
    console.log(`client-ingest: ${RECORDS} records, poll body ${(bytes / 1024 / 1024).toFixed(1)} MiB, median of ${REPS}`);
    console.log(`  bare     fetch text ${ms(median(bare.fetch))}  JSON.parse ${ms(median(bare.parse))}  total ${ms(median(bare.total))}`);
    console.log(`  mlbatch  fetch+read ${ms(median(ours.fetch))}  scan ${ms(median(ours.decode))}  state update ${ms(median(ours.state))}  total ${ms(median(ours.total))}`);
    console.log(`  (full-parse path, for comparison: JSON.parse+decodePoll ${ms(median(fullParse.decode))}  state update ${ms(median(fullParse.state))})`);
    const ratioAll = median(ours.total) / median(bare.total);
    const ratioDecode = (median(ours.decode) + median(ours.state)) / median(bare.parse);
    console.log(`  ratio end to end (mlbatch fetch+decode+state / bare fetch+JSON.parse): ${ratioAll.toFixed(2)} (floor ≤ 1.5) ${ratioAll <= 1.5 ? 'OK' : 'OVER'}`);
    console.log(`  ratio decode (mlbatch scan+state / bare JSON.parse):                  ${ratioDecode.toFixed(2)} (floor ≤ 1.5) ${ratioDecode <= 1.5 ? 'OK' : 'OVER'}`);
    const literal = median(ours.total) / median(bare.parse);
    console.log(`  ratio literal (mlbatch total fetch+decode+state / bare JSON.parse alone): ${literal.toFixed(2)} (the issue's floor ≤ 1.5) ${literal <= 1.5 ? 'OK' : 'OVER'}` +
      ' (the numerator includes the transfer, the denominator does not)');
    console.log(`  RSS after one poll in a fresh client process: ${rss.toFixed(0)} MB, heap ${(rssRun.heapUsed / 1048576).toFixed(0)} MB ` +
      `(floor ≤ 300 MB) ${rss <= 300 ? 'OK' : 'OVER'}; items ${rssRun.items}, complete ${rssRun.complete}`);
  } finally {
    await server.stop();
  }
}
