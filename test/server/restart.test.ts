import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchWebServiceResult } from '../../src/protocol.js';
import { isEndedState } from '../../src/protocol.js';
import { probePython } from '../../src/server/runtime/pool.js';
import { login, removeLater, runCli, serve, stopChildren } from './child-server.js';
import { request, tempDir } from './helpers.js';
import { eventually } from '../test-clock.js';

afterAll(stopChildren);

// Each test has its own data dir, child server and process group, so they run side by side.
describe.concurrent('mlbatch serve', () => {
  it('prints the URL, the admin user and a generated password at the first start only; SIGTERM closes cleanly', async () => {
    const dataDir = tempDir();
    removeLater(dataDir);
    const s = await serve(['--data-dir', dataDir], { MLBATCH_ADMIN_PASSWORD: '' });
    const out = s.stdout();
    expect(out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/^user: admin$/m);
    const password = /^password: (\S+)/m.exec(out)![1];
    expect(out.split(password)).toHaveLength(2);
    await login(s.url, password);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);

    // Same data dir again: the password is kept and not shown; the output says how to reset it.
    const again = await serve(['--data-dir', dataDir], { MLBATCH_ADMIN_PASSWORD: '' });
    expect(again.stdout()).not.toContain(password);
    expect(again.stdout()).toMatch(/^password: .*MLBATCH_ADMIN_PASSWORD to reset it/m);
    await login(again.url, password);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('--record-timeout fails a record running longer, saying so', async () => {
    const dataDir = tempDir();
    const servicesDir = tempDir();
    removeLater(dataDir, servicesDir);
    mkdirSync(path.join(servicesDir, 'nap'));
    writeFileSync(path.join(servicesDir, 'nap/service.json'), JSON.stringify({ name: 'nap', inputs: [{ name: 'ms', type: 'integer' }] }));
    writeFileSync(path.join(servicesDir, 'nap/code.js'), 'await new Promise((r) => setTimeout(r, ms));');
    const s = await serve(['--data-dir', dataDir, '--services', servicesDir, '--record-timeout', '2'], { MLBATCH_ADMIN_PASSWORD: 'pw' });
    const token = await login(s.url, 'pw');
    const quick = await request<{ success: boolean }>(s.url, 'POST', '/api/nap/1.0', { ms: 10 }, token);
    expect(quick.body.success).toBe(true);
    const slow = await request<{ errorMessage: string }>(s.url, 'POST', '/api/nap/1.0', { ms: 30_000 }, token);
    expect(slow.body.errorMessage).toBe('timed out after 2 s');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('refuses a bad flag, naming it', async () => {
    expect((await runCli(['serve', '--max-workers', 'many'])).stderr).toMatch(/--max-workers must be an integer/);
    for (const [flag, value] of [['--token-ttl', '0'], ['--refresh-token-ttl', '1.5'], ['--token-ttl', '400000000']]) {
      const run = await runCli(['serve', flag, value]);
      expect(run.code, flag).not.toBe(0);
      expect(run.stderr).toContain(`${flag} must be an integer from 1 to 315360000`);
    }
  });

  it('--token-ttl and --refresh-token-ttl set the token lifetimes, and --help lists them', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.stdout).toMatch(/--token-ttl <sec> +lifetime of an access token/);
    expect(help.stdout).toMatch(/--refresh-token-ttl <sec> +lifetime of a refresh token/);
    const dataDir = tempDir();
    removeLater(dataDir);
    const s = await serve(['--data-dir', dataDir, '--token-ttl', '5', '--refresh-token-ttl', '90'], { MLBATCH_ADMIN_PASSWORD: 'ttl-pw' });
    const res = await request<{ expires_in: number; refresh_token: string }>(s.url, 'POST', '/login', { username: 'admin', password: 'ttl-pw' });
    expect(res.body.expires_in).toBe(5);
    // The refresh token's lifetime is not on the wire: the database holds it.
    const db = new Database(path.join(dataDir, 'mlbatch.db'), { readonly: true });
    const row = db.prepare("SELECT max(expires_at) AS at FROM tokens WHERE kind = 'refresh'").get() as { at: number };
    db.close();
    expect(Math.abs(row.at - Date.now() / 1000 - 90)).toBeLessThan(10);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});

// Each test has its own data dir, child server and process group, so they run side by side.
describe.concurrent('restart recovery', () => {
  it('after SIGKILL mid-batch, the execution goes on: every index ends with exactly one result', async () => {
    const dataDir = tempDir();
    const servicesDir = tempDir();
    const runLog = path.join(servicesDir, 'runs.log');
    removeLater(dataDir, servicesDir);
    mkdirSync(path.join(servicesDir, 'tick'));
    writeFileSync(
      path.join(servicesDir, 'tick/service.json'),
      JSON.stringify({
        name: 'tick',
        version: '1.0',
        description: 'waits a little, then logs that it ran',
        runtime: 'JavaScript',
        inputs: [{ name: 'i', type: 'integer' }, { name: 'log', type: 'character' }],
        outputs: [{ name: 'twice', type: 'integer' }],
        artifacts: ['mark.txt'],
      }),
    );
    writeFileSync(
      path.join(servicesDir, 'tick/code.js'),
      `await new Promise((r) => setTimeout(r, 40));
       require('node:fs').writeFileSync('mark.txt', String(i));
       require('node:fs').appendFileSync(log, i + '\\n');
       const twice = 2 * i;`,
    );
    const env = { MLBATCH_ADMIN_PASSWORD: 'restart-pw' };
    const args = ['--data-dir', dataDir, '--services', servicesDir, '--max-workers', '4'];
    const N = 160;

    const first = await serve(args, env);
    let token = await login(first.url, 'restart-pw');
    // A second server on the same data dir would run the same executions twice: it refuses.
    await expect(serve(args, env)).rejects.toThrow(/exited with 1: .*in use by another mlbatch server \(pid \d+\)/);
    const records = Array.from({ length: N }, (_, i) => ({ i, log: runLog }));
    const start = await request<{ batchExecutionId: string }>(first.url, 'POST', '/api/tick/1.0/batch?parallelCount=4', records, token);
    expect(start.status).toBe(200);
    const id = start.body.batchExecutionId;
    const pollPath = `/api/tick/1.0/batch/${id}`;

    let before: BatchWebServiceResult;
    do {
      await new Promise((r) => setTimeout(r, 50));
      before = (await request<BatchWebServiceResult>(first.url, 'GET', pollPath, undefined, token)).body;
    } while (before.completedItemCount < 20);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(before.state).toBe('InProgress');
    expect(before.completedItemCount).toBeLessThan(N);

    // Same data dir, same services folder (re-published in place, not refused as a duplicate).
    const second = await serve(args, env);
    token = await login(second.url, 'restart-pw');
    let after: BatchWebServiceResult;
    const deadline = Date.now() + 40_000;
    do {
      await new Promise((r) => setTimeout(r, 100));
      after = (await request<BatchWebServiceResult>(second.url, 'GET', pollPath, undefined, token)).body;
    } while (!isEndedState(after.state) && Date.now() < deadline);

    expect(after.state).toBe('Complete');
    expect(after.totalItemCount).toBe(N);
    expect(after.completedItemCount).toBe(N);
    after.batchExecutionResults.forEach((r, i) => {
      expect(r, `index ${i}`).not.toBeNull();
      expect(r!.index).toBe(i);
      expect(r!.success).toBe(true);
      expect(r!.outputParameters).toEqual({ twice: 2 * i });
    });
    // What was visible before the kill is unchanged: those records did not run again.
    const runs = readFileSync(runLog, 'utf8').trim().split('\n').map(Number);
    for (const r of before.batchExecutionResults) {
      // A record running at the kill was reported as Running, not as a result.
      if (!r || r.state === 'Running') continue;
      expect(after.batchExecutionResults[r.index!]).toEqual(r);
      expect(runs.filter((x) => x === r.index)).toHaveLength(1);
    }
    // Every record ran at least once; only those in flight at the kill ran twice: at most
    // parallelCount (4), as a record's slot is given to the next only once its result is committed.
    expect(new Set(runs).size).toBe(N);
    expect(runs.length - N).toBeLessThanOrEqual(4);
    const file = await request(second.url, 'GET', `${pollPath}/${N - 1}/files/mark.txt`, undefined, token);
    expect(file.text).toBe(String(N - 1));

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const db = new Database(path.join(dataDir, 'mlbatch.db'), { readonly: true });
    const row = db
      .prepare('SELECT count(*) AS n, count(DISTINCT idx) AS d, min(idx) AS lo, max(idx) AS hi FROM results WHERE execution_id = ?')
      .get(id);
    db.close();
    expect(row).toEqual({ n: N, d: N, lo: 0, hi: N - 1 });
    appendFileSync(runLog, ''); // the log stays for inspection when this test fails
  }, 90_000);

  it.each(['SIGINT', 'SIGTERM'] as const)('%s to the whole process group of the server (Ctrl-C in a terminal sends SIGINT) mid-batch fails no record; a restart finishes them all', async (signal) => {
    const dataDir = tempDir();
    const servicesDir = tempDir();
    removeLater(dataDir, servicesDir);
    const runtimes: [string, string, string][] = [['nap-js', 'js', 'await new Promise((r) => setTimeout(r, ms));']];
    // Python turns SIGINT into a KeyboardInterrupt inside the service's code: the case that failed.
    if (await probePython('python3')) runtimes.push(['nap-py', 'py', 'import time\ntime.sleep(ms / 1000)']);
    for (const [name, ext, code] of runtimes) {
      mkdirSync(path.join(servicesDir, name));
      writeFileSync(path.join(servicesDir, name, 'service.json'), JSON.stringify({
        name,
        runtime: ext === 'js' ? 'JavaScript' : 'Python',
        inputs: [{ name: 'ms', type: 'integer' }],
        outputs: [{ name: 'ms', type: 'integer' }],
      }));
      writeFileSync(path.join(servicesDir, name, `code.${ext}`), code);
    }
    const env = { MLBATCH_ADMIN_PASSWORD: 'int-pw' };
    const args = ['--data-dir', dataDir, '--services', servicesDir];
    const first = await serve(args, env, true);
    let token = await login(first.url, 'int-pw');
    const ids: string[] = [];
    for (const [name] of runtimes) {
      const records = Array.from({ length: 6 }, () => ({ ms: 3000 }));
      const start = await request<{ batchExecutionId: string }>(first.url, 'POST', `/api/${name}/1.0/batch?parallelCount=3`, records, token);
      ids.push(start.body.batchExecutionId);
    }
    // Wait until records are running in every execution, then interrupt as a terminal would.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await request<{ details: { busyWorkers: number } }>(first.url, 'GET', '/status', undefined, token);
      if (status.body.details.busyWorkers >= 3 * runtimes.length) break;
      if (Date.now() > deadline) throw new Error('records did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // A request in flight holds the close open for a while: long enough for anything a worker
    // reports about the signal to reach the server before it stops taking results. It is in
    // flight once it holds a slot of its own.
    const held = request(first.url, 'POST', '/api/nap-js/1.0', { ms: 20_000 }, token).catch(() => undefined);
    await eventually(async () => {
      const status = await request<{ details: { busyWorkers: number } }>(first.url, 'GET', '/status', undefined, token);
      return status.body.details.busyWorkers > 3 * runtimes.length;
    }, 'the held request to take a slot');
    process.kill(-first.child.pid!, signal);
    expect(await first.exited).toBe(0);
    await held;

    const second = await serve(args, env, true);
    token = await login(second.url, 'int-pw');
    for (const [i, [name]] of runtimes.entries()) {
      let end: BatchWebServiceResult;
      do {
        await new Promise((r) => setTimeout(r, 200));
        end = (await request<BatchWebServiceResult>(second.url, 'GET', `/api/${name}/1.0/batch/${ids[i]}`, undefined, token)).body;
      } while (!isEndedState(end.state));
      expect(end.state, name).toBe('Complete');
      for (const r of end.batchExecutionResults) {
        expect({ name, success: r!.success, errorMessage: r!.errorMessage }).toEqual({ name, success: true, errorMessage: '' });
      }
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('Ctrl-C to the process group while JavaScript workers are still starting fails no record', async () => {
    const dataDir = tempDir();
    const servicesDir = tempDir();
    removeLater(dataDir, servicesDir);
    mkdirSync(path.join(servicesDir, 'nap-js'));
    writeFileSync(path.join(servicesDir, 'nap-js', 'service.json'), JSON.stringify({
      name: 'nap-js', runtime: 'JavaScript', inputs: [{ name: 'ms', type: 'integer' }], outputs: [{ name: 'ms', type: 'integer' }],
    }));
    writeFileSync(path.join(servicesDir, 'nap-js', 'code.js'), 'await new Promise((r) => setTimeout(r, ms));');
    const env = { MLBATCH_ADMIN_PASSWORD: 'int-pw' };
    const args = ['--data-dir', dataDir, '--services', servicesDir];
    const first = await serve(args, env, true);
    let token = await login(first.url, 'int-pw');
    const start = await request<{ batchExecutionId: string }>(first.url, 'POST', '/api/nap-js/1.0/batch?parallelCount=4', Array.from({ length: 8 }, () => ({ ms: 500 })), token);
    const id = start.body.batchExecutionId;
    // The workers for the first records are being spawned now; a request in flight holds the
    // close open long enough for a worker's death to be reported before the server stops. The
    // moment is what is tested (workers still starting), so this wait is a fixed one, kept short.
    const held = request(first.url, 'POST', '/api/nap-js/1.0', { ms: 20_000 }, token).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    process.kill(-first.child.pid!, 'SIGINT');
    expect(await first.exited).toBe(0);
    await held;

    const second = await serve(args, env, true);
    token = await login(second.url, 'int-pw');
    let end: BatchWebServiceResult;
    do {
      await new Promise((r) => setTimeout(r, 200));
      end = (await request<BatchWebServiceResult>(second.url, 'GET', `/api/nap-js/1.0/batch/${id}`, undefined, token)).body;
    } while (!isEndedState(end.state));
    expect(end.batchExecutionResults.map((r) => r?.errorMessage ?? 'missing')).toEqual(Array(8).fill(''));
    expect(end.state).toBe('Complete');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
