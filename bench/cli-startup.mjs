#!/usr/bin/env node
// bench/cli-startup: what one `mlbatch` process costs to start, for the headless commands scripts
// call in loops. Runs, round-robin, ~15 times each: bare `node -e 0`, `mlbatch --version`,
// `mlbatch help run`, `mlbatch services --json` against the embedded server (a child process
// started here, so its CPU is not counted), a plain demo of two records, and `mlbatch serve` until
// it listens. Prints, per command, the median CPU (user + system,
// from the child's own process.cpuUsage() at exit, through a preloaded CommonJS file) and the
// median wall time (spawn to exit, seen from here), with the ratio of each to bare node measured
// in the same run.
// Run: npm run build && node bench/cli-startup.mjs [--runs N] [--root DIR]
//   --root DIR: measure the CLI of another checkout with a built dist/ (e.g. an older commit in a
//   git worktree), against the same server and the same bare node.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, serveAsChild, startChildServer } from './child-server.mjs';

const here = fileURLToPath(import.meta.url);
const own = resolve(here, '../..');
const PASSWORD = 'bench-password-1';
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

if (process.argv[2] === '--server') {
  await serveAsChild(mkdtempSync(join(tmpdir(), 'mlbatch-bench-startup-server-')), { servicesDir: join(own, 'examples/services'), adminPassword: PASSWORD });
} else {
  await main();
}

async function main() {
  const root = resolve(arg('--root') ?? own);
  const runs = Number(arg('--runs') ?? 15);
  const work = mkdtempSync(join(tmpdir(), 'mlbatch-bench-startup-'));
  // Each child writes its own CPU time at exit: user + system of the whole process, in µs.
  const preload = join(work, 'cpu.cjs');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(process.env.BENCH_CPU_FILE, JSON.stringify(process.cpuUsage())));\n`);
  const server = await startChildServer(here, join(work, 'server'));
  const env = {
    PATH: process.env.PATH, HOME: join(work, 'home'), XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data'),
    MLBATCH_HOST: server.url, MLBATCH_USER: 'admin', MLBATCH_PASSWORD: PASSWORD, NO_COLOR: '1',
  };
  const bin = join(root, 'bin/mlbatch.js');
  const cases = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: '--version', args: [bin, '--version'] },
    { name: 'help run', args: [bin, 'help', 'run'] },
    { name: 'services --json', args: [bin, 'services', '--json'] },
    // The demo without a terminal: its server, two records, plain lines (workers' CPU not counted).
    { name: 'demo, 2 records', args: [bin, 'demo', '--records', '2', '--parallel', '1', '--download-dir', join(work, 'demo')] },
    // `mlbatch serve` from start to listening, then stopped with SIGTERM.
    { name: 'serve to listening', args: [bin, 'serve', '--port', '0', '--quiet', '--data-dir', join(work, 'serve')], until: /listening on/ },
  ];
  const figures = new Map(cases.map((c) => [c.name, { cpu: [], wall: [] }]));
  try {
    for (let i = 0; i < runs; i++) {
      for (const c of cases) {
        const { cpuMs, wallMs } = await once(c, env, preload, join(work, 'cpu.json'), root);
        figures.get(c.name).cpu.push(cpuMs);
        figures.get(c.name).wall.push(wallMs);
      }
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const bare = figures.get('node -e 0');
  const [bareCpu, bareWall] = [median(bare.cpu), median(bare.wall)];
  console.log(`CLI start-up of ${root} (medians of ${runs} runs; ratios to bare node in the same run)`);
  console.log(`${'command'.padEnd(18)}${'CPU ms'.padStart(9)}${'x node'.padStart(9)}${'wall ms'.padStart(10)}${'x node'.padStart(9)}`);
  for (const c of cases) {
    const f = figures.get(c.name);
    const [cpu, wall] = [median(f.cpu), median(f.wall)];
    console.log(`${c.name.padEnd(18)}${cpu.toFixed(0).padStart(9)}${(cpu / bareCpu).toFixed(2).padStart(9)}${wall.toFixed(0).padStart(10)}${(wall / bareWall).toFixed(2).padStart(9)}`);
  }
}

/** One run of a case: its CPU (from the child) and wall time; a failed run stops the bench. */
function once(c, env, preload, cpuFile, cwd) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', preload, ...c.args], { cwd, env: { ...env, BENCH_CPU_FILE: cpuFile, MLBATCH_ADMIN_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    let untilCpuMs;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!c.until?.test(stdout) || untilCpuMs !== undefined) return;
      // A server stopped by a signal writes no CPU file: its CPU so far is read from /proc (Linux).
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      untilCpuMs = ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
      wallUntil = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill('SIGTERM');
    });
    let wallUntil;
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (untilCpuMs !== undefined) return done({ cpuMs: untilCpuMs, wallMs: wallUntil });
      if (code !== 0) return fail(new Error(`${c.name} exited ${code}: ${stderr}`));
      const { user, system } = JSON.parse(readFileSync(cpuFile, 'utf8'));
      done({ cpuMs: (user + system) / 1000, wallMs });
    });
  });
}
