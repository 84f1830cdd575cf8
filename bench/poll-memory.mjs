// Benchmark: peak memory of one poll of a large finished execution, the way `mlbatch status` does it.
// A small HTTP server in this process serves a poll answer of about 100 MB (2,000 results with
// large outputs); a fresh child process connects and runs one `Poller.pollOnce()`, then reports
// its peak RSS (getrusage maxrss) and its RSS just before the poll. Four bodies: ASCII or with
// some non-ASCII text (a two-byte string in V8), each sent with a content-length or chunked.
// Goal: the poll's own peak (peak RSS minus the RSS just before it) within 2× the body; the
// whole process's peak over the body is printed too. Run: npm run build && node bench/poll-memory.mjs
// (MLBATCH_BENCH_MB sets the body size in MB, default 100.)
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const MB = Number(process.env.MLBATCH_BENCH_MB ?? 100);
const ITEMS = 2000;

if (process.argv[2] === '--poll') {
  const { connect, Poller } = await import('../dist/index.js');
  const [url, id] = process.argv.slice(3);
  const client = await connect({ host: url, username: 'admin', password: 'p' });
  const batch = (await client.getService('big', '1')).getBatch(id);
  const before = process.memoryUsage().rss;
  const began = performance.now();
  const snapshot = await new Poller(batch).pollOnce();
  const ms = performance.now() - began;
  const peak = process.resourceUsage().maxRSS * 1024;
  const after = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({
    before, peak, rssAfter: after.rss, heapAfter: after.heapUsed, external: after.external, ms,
    complete: snapshot.counts[2], output: String(snapshot.result(ITEMS - 1)?.output('text')).length,
  })}\n`);
} else {
  await main();
}

/** A finished execution whose results carry about `mb` MB of outputs; `nonAscii` puts a € in each. */
function pollBody(mb, nonAscii) {
  const each = Math.floor((mb * 1e6) / ITEMS) - 200;
  const text = (nonAscii ? '€' : 'e') + 'x'.repeat(each - 2);
  const results = Array.from({ length: ITEMS }, (_, i) => ({
    success: true, errorMessage: '', consoleOutput: `record ${i}\n`, changedFiles: [],
    outputParameters: { text, n: i }, outputFiles: {},
  }));
  return Buffer.from(JSON.stringify({ state: 'Complete', totalItemCount: ITEMS, completedItemCount: ITEMS, batchExecutionResults: results }));
}

function serve(bodies) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (value) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/login') return json({ access_token: 't', expires_in: 3600 });
    if (path === '/services/big/1') {
      return json({ name: 'big', version: '1', inputParameterDefinitions: [], outputParameterDefinitions: [{ name: 'text', type: 'character' }] });
    }
    const [, kind, sending] = /^\/api\/big\/1\/batch\/(ascii|utf8)-(length|chunked)$/.exec(path) ?? [];
    if (!kind) {
      res.writeHead(404);
      return res.end();
    }
    const body = bodies[kind];
    res.writeHead(200, { 'content-type': 'application/json', ...(sending === 'length' ? { 'content-length': body.length } : {}) });
    // In 1 MiB writes, as a server streaming its answer would.
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const piece = body.subarray(at, at + 1048576);
        at += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function pollInChild(url, id) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--poll', url, id], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`poll child exited ${code}`))));
  });
}

async function main() {
  const bodies = { ascii: pollBody(MB, false), utf8: pollBody(MB, true) };
  const server = await serve(bodies);
  const url = `http://127.0.0.1:${server.address().port}`;
  const mib = (n) => `${(n / 1048576).toFixed(0)} MiB`;
  try {
    console.log(`poll-memory: one poll of a finished execution, ${ITEMS} results, in a fresh child process`);
    for (const id of ['ascii-length', 'ascii-chunked', 'utf8-length', 'utf8-chunked']) {
      const body = bodies[id.split('-')[0]].length;
      const r = await pollInChild(url, id);
      if (r.complete !== ITEMS) throw new Error(`${id}: ${r.complete} of ${ITEMS} results read`);
      // The poll's own cost: peak RSS above what the process held just before it (Node and the modules, about 65 MB).
      const own = (r.peak - r.before) / body;
      console.log(`  ${id.padEnd(14)} body ${mib(body)}  peak RSS ${mib(r.peak)} (${(r.peak / body).toFixed(2)}× the body)` +
        `  the poll's own ${mib(r.peak - r.before)} = ${own.toFixed(2)}× ${own <= 2 ? 'OK' : 'OVER'} (goal ≤ 2)` +
        `  ${r.ms.toFixed(0)} ms  after: RSS ${mib(r.rssAfter)}, heap ${mib(r.heapAfter)}`);
    }
  } finally {
    server.close();
  }
}
