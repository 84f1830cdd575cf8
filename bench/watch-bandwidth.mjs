#!/usr/bin/env node
// bench/watch-bandwidth: what watching one big execution costs. The embedded server (a child
// process) runs 100,000 slow-scorer records at about 200 a second (parallelCount 20); four
// watchers follow it, each through its own byte-counting proxy: the app (`attach`, in a
// pseudo-terminal at 120×40) and `status --wait`, each against the embedded server as it is and
// against a stand-in for a real ML Server without cursors (the proxy drops `changedSince`, the
// extension members and the running records, as ML Server's answers have none of them).
// At about 10 %, 50 % and 90 % done it prints, per watcher: bytes a second over the last window
// and since it started, its CPU a second, and the longest gap between its polls (how old the
// counts can be). Once, at about 30 %, it measures the server's CPU a second with 10 more
// `status --wait` watchers against the same window without them.
// Floors: embedded ≤ 100 KB/s per watcher at every sample; without cursors ≤ the budget + 10 %
// (since start) with counts at most 2 s old; 10 watchers ≤ 10 % of one core on the server.
// Run: npm run build && node bench/watch-bandwidth.mjs   (--quick: 20,000 records, about 2 minutes)
import { spawn as spawnChild } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveAsChild } from './child-server.mjs';

const here = fileURLToPath(import.meta.url);
const root = resolve(here, '../..');
const PASSWORD = 'bench-password-1';
const QUICK = process.argv.includes('--quick');
const RECORDS = QUICK ? 20_000 : 100_000;
const PARALLEL = 20;
const WINDOW_S = 10;
const BUDGET = 1_000_000;

if (process.argv[2] === '--server') {
  await serveAsChild(join(tmpdir(), `mlbatch-bench-watch-${process.pid}`), {
    servicesDir: join(root, 'examples/services'), adminPassword: PASSWORD, maxWorkers: PARALLEL + 4, limits: { maxRecords: 200_000 },
  });
} else {
  await main();
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** What a real ML Server would answer instead: no extension members, running records as null. */
function asRealServer(text) {
  return text
    .replace(/,"parallelCount":\d+,"runningItemCount":\d+(,"cursor":"[^"]*")?(,"cursorRefused":"[^"]*")?(?=}$)/, '')
    .replace(/\{"success":false,"errorMessage":"","consoleOutput":"","changedFiles":\[\],"outputParameters":\{\},"outputFiles":\{\},"index":\d+,"state":"Running","startTime":"[^"]*"\}/g, 'null');
}

/** A proxy to `upstream` counting the bytes of every answer; `real` makes it a server without cursors. */
async function proxy(upstream, real) {
  const target = new URL(upstream);
  const stats = { bytes: 0, polls: [] };
  const server = createServer((req, res) => {
    const url = new URL(req.url, upstream);
    if (real) url.searchParams.delete('changedSince');
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: url.pathname + url.search, headers: req.headers }, (answer) => {
      const isPoll = req.method === 'GET' && /\/batch\/[^/]+$/.test(url.pathname);
      if (isPoll) stats.polls.push(Date.now());
      if (!real || !isPoll) {
        res.writeHead(answer.statusCode, answer.headers);
        answer.on('data', (c) => (stats.bytes += c.length));
        answer.pipe(res);
        return;
      }
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.from(asRealServer(Buffer.concat(chunks).toString('utf8')));
        stats.bytes += body.length;
        const headers = { ...answer.headers, 'content-length': body.length };
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode, headers);
        res.end(body);
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, stats, close: () => server.close() };
}

async function login(url) {
  const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  return (await res.json()).access_token;
}

function env(host) {
  return { ...process.env, MLBATCH_HOST: host, MLBATCH_USER: 'admin', MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(tmpdir(), 'mlbatch-bench-cfg'), TERM: 'xterm-256color', CI: '' };
}

/** `mlbatch status --wait` as a child process (its progress lines are drained). */
function statusWatcher(host, id) {
  const child = spawnChild(process.execPath, ['bin/mlbatch.js', 'status', 'slow-scorer', '1.0', id, '--wait'], { cwd: root, env: env(host), stdio: ['ignore', 'ignore', 'ignore'] });
  return { pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** The app on the execution, in a pseudo-terminal at 120×40 (its frames are drained). */
async function appWatcher(host, id) {
  const { spawn } = await import('node-pty');
  const pty = spawn(process.execPath, ['bin/mlbatch.js', 'attach', 'slow-scorer', '1.0', id], { name: 'xterm-256color', cols: 120, rows: 40, cwd: root, env: env(host) });
  pty.onData(() => {});
  return { pid: pty.pid, stop: () => pty.kill('SIGTERM') };
}

function kb(bytes) {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

async function main() {
  // The server in its own process (as bench/child-server.mjs starts it), kept by pid for its CPU.
  const child = spawnChild(process.execPath, [here, '--server'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const server = {
    url: await new Promise((ok, fail) => {
      child.stdout.once('data', (d) => ok(JSON.parse(d.toString()).url));
      child.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
    }),
    stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
  };
  const token = await login(server.url);
  const records = Array.from({ length: RECORDS }, (_, i) => ({ id: i + 1, value: (i % 7) / 3 }));
  const started = await fetch(`${server.url}/api/slow-scorer/1.0/batch?parallelCount=${PARALLEL}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(records),
  });
  const id = (await started.json()).batchExecutionId;
  const serverPid = child.pid;
  const poll = async () => (await (await fetch(`${server.url}/api/slow-scorer/1.0/batch/${id}?showPartialResults=false`, { headers: { authorization: `Bearer ${token}` } })).json());

  const watchers = [];
  for (const [kind, real] of [['app', false], ['status --wait', false], ['app', true], ['status --wait', true]]) {
    const p = await proxy(server.url, real);
    const w = kind === 'app' ? await appWatcher(p.url, id) : statusWatcher(p.url, id);
    watchers.push({ name: `${kind.padEnd(13)} ${real ? 'no cursors' : 'embedded  '}`, real, proxy: p, ...w, began: Date.now() });
  }
  console.log(`watch-bandwidth: ${RECORDS} records, parallelCount ${PARALLEL}, budget ${kb(BUDGET)}/s, window ${WINDOW_S} s${QUICK ? ' (quick)' : ''}`);
  const results = [];
  let cpuDone = false;
  for (const target of [0.1, 0.3, 0.5, 0.9]) {
    for (;;) {
      const p = await poll();
      if (p.completedItemCount >= target * RECORDS) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (target === 0.3) {
      if (!cpuDone) results.push(await serverCpu(serverPid, server.url, id));
      cpuDone = true;
      continue;
    }
    const before = watchers.map((w) => ({ bytes: w.proxy.stats.bytes, cpu: cpuSeconds(w.pid), at: Date.now() }));
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const p = await poll();
    console.log(`\nat ${Math.round((100 * p.completedItemCount) / RECORDS)} % done (target ${target * 100} %)`);
    for (const [i, w] of watchers.entries()) {
      const s = (Date.now() - before[i].at) / 1000;
      const rate = (w.proxy.stats.bytes - before[i].bytes) / s;
      const since = w.proxy.stats.bytes / ((Date.now() - w.began) / 1000);
      const cpu = (cpuSeconds(w.pid) - before[i].cpu) / s;
      const polls = w.proxy.stats.polls.filter((t) => t >= before[i].at);
      const gap = polls.slice(1).reduce((m, t, k) => Math.max(m, t - polls[k]), 0) / 1000;
      const floor = w.real ? since <= BUDGET * 1.1 && gap <= 2 : rate <= 100_000;
      console.log(`  ${w.name}  ${kb(rate).padStart(11)}/s window  ${kb(since).padStart(11)}/s since start  CPU ${(cpu * 100).toFixed(1).padStart(5)} %  longest poll gap ${gap.toFixed(1)} s  ${floor ? 'ok' : 'ABOVE FLOOR'}`);
    }
  }
  for (const r of results) console.log(r);
  for (const w of watchers) {
    w.stop();
    w.proxy.close();
  }
  await server.stop();
  process.exit(0);
}

/** The server's CPU a second over one window without, then one with, 10 more `status --wait` watchers. */
async function serverCpu(pid, url, id) {
  const measure = async () => {
    const c0 = cpuSeconds(pid);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    return (cpuSeconds(pid) - c0) / ((Date.now() - t0) / 1000);
  };
  const base = await measure();
  const extra = Array.from({ length: 10 }, () => statusWatcher(url, id));
  // Their first poll is a full one (and their start-up a login): measured once they follow by deltas.
  await new Promise((r) => setTimeout(r, 5000));
  const withTen = await measure();
  for (const w of extra) w.stop();
  const cost = withTen - base;
  return `\nserver CPU: ${(base * 100).toFixed(1)} % of a core with the 4 watchers, ${(withTen * 100).toFixed(1)} % with 10 more: ` +
    `10 watchers cost ${(cost * 100).toFixed(1)} % of one core (${(withTen / base).toFixed(2)}× in the same run) ${cost <= 0.1 ? 'ok' : 'ABOVE FLOOR'}`;
}
