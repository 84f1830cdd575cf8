/** The headless commands, built, run as child processes against the embedded server. */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, tempDir, tinyServer } from '../helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let env: Record<string, string>;
let work: string;
const MTCARS = resolve('examples/records/mtcars.csv');

beforeAll(async () => {
  server = await embeddedServer();
  work = await tempDir();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(work, 'config') };
});
afterAll(async () => server?.close());

// Each test runs the built CLI several times; a loaded two-core machine gets a generous timeout.
describe('mlbatch headless commands', { timeout: 120_000 }, () => {
  it('lists services as JSON', async () => {
    const r = await cli(['services', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((s: { name: string }) => s.name)).toContain('transmission');
  });

  it('runs a batch to the end, prints plain progress lines, downloads into DIR/<index>/<file>', async () => {
    const dest = join(work, 'out');
    const r = await cli(['run', 'transmission', '1.0', '--records', MTCARS, '--parallel', '4', '--download', dest, '--json'], env);
    expect(r.stderr).not.toContain('\r');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ state: 'Complete', totalItemCount: 32, completedItemCount: 32, failedIndices: [] });
    expect(summary.counts.Complete).toBe(32);
    expect(summary.download).toMatchObject({ files: 32, failed: 0, written: 32 });
    // Extra columns of mtcars.csv are ignored with one warning; progress is one line per change.
    expect(r.stderr).toMatch(/warning: .*mtcars\.csv: ignored columns the service does not take: "model", "mpg"/);
    const progress = r.stderr.split('\n').filter((l) => /^(Pending|InProgress|Complete) /.test(l));
    expect(progress.length).toBeGreaterThan(0);
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.at(-1)).toMatch(/^Complete 32\/32 done/);
    const dirs = (await readdir(dest)).map(Number).sort((a, b) => a - b);
    expect(dirs).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(await readFile(join(dest, '31', 'answer.csv'), 'utf8')).toMatch(/^hp,wt,probability\n109,2.78,/);

    // The same execution again with download --all: everything already there is identical.
    const again = await cli(['download', 'transmission', '1.0', summary.executionId, '--all', '--dest', dest, '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: 32, identical: 32, written: 0, failed: 0 });
    // One index only, into DIR/<index>/<file> too.
    const one = join(work, 'one');
    const single = await cli(['download', 'transmission', '1.0', summary.executionId, '5', '--dest', one], env);
    expect(single.code).toBe(0);
    expect(await readdir(one)).toEqual(['5']);
    expect(await readdir(join(one, '5'))).toEqual(['answer.csv']);

    // CSV is the default format.
    const csv = await cli(['export', 'transmission', '1.0', summary.executionId], env);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('index,state,error,probability');
    expect(lines.length).toBe(33);
    expect(lines[1]).toMatch(/^0,Complete,,0\.\d+$/);
    const nowhere = join(work, 'no-such-dir', 'x.csv');
    const badOut = await cli(['export', 'transmission', '1.0', summary.executionId, '--format', 'csv', '--out', nowhere], env);
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toBe(`mlbatch: --out ${nowhere}: cannot write the file: its directory does not exist\n`);
    const jsonl = await cli(['export', 'transmission', '1.0', summary.executionId, '--format', 'jsonl'], env);
    expect(JSON.parse(jsonl.stdout.split('\n')[1])).toMatchObject({ index: 1, state: 'Complete', success: true, error: null });

    const files = await cli(['artifacts', 'transmission', '1.0', summary.executionId, '0', '--json'], env);
    expect(JSON.parse(files.stdout)).toEqual(['answer.csv']);
    const ls = await cli(['ls', 'transmission', '1.0', '--json'], env);
    expect(JSON.parse(ls.stdout)).toContainEqual({ executionId: summary.executionId, state: 'Complete', totalItemCount: 32, completedItemCount: 32 });
  });

  it('exits 1 with --fail-on-item-error when a record failed, 0 without', async () => {
    const records = join(work, 'flaky.json');
    await writeFile(records, JSON.stringify([{ id: 1, value: 4 }, { id: 2, value: -1 }, { id: 3, value: 9 }]));
    const strict = await cli(['run', 'flaky', '1.0', '--records', records, '--wait', '--fail-on-item-error', '--json'], env);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ state: 'Complete', failedIndices: [1] });
    const lenient = await cli(['run', 'flaky', '1.0', '--records', records, '--wait'], env);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/Complete 3\/3 done, 1 failed/);
  });

  it('refuses a bad records file before sending anything (exit 2)', async () => {
    const before = await cli(['ls', 'transmission', '1.0', '--json'], env);
    const records = join(work, 'bad.csv');
    await writeFile(records, 'hp,wt\n110,2.6\n95,heavy\n');
    const r = await cli(['run', 'transmission', '1.0', '--records', records], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mlbatch: ${records} line 3 (record 1), column "wt": must be numeric (a number), got "heavy"\n`);
    const empty = join(work, 'empty.csv');
    await writeFile(empty, '');
    const none = await cli(['run', 'transmission', '1.0', '--records', empty], env);
    expect([none.code, none.stderr]).toEqual([2, `mlbatch: ${empty}: is empty: no records to send\n`]);
    const missing = join(work, 'nope.csv');
    expect((await cli(['run', 'transmission', '1.0', '--records', missing], env)).stderr).toBe(`mlbatch: ${missing}: no such file\n`);
    const noColumn = join(work, 'no-wt.csv');
    await writeFile(noColumn, 'hp,weight\n110,2.6\n');
    const column = await cli(['run', 'transmission', '1.0', '--records', noColumn], env);
    expect(column.code).toBe(2);
    expect(column.stderr).toBe(`mlbatch: ${noColumn} line 1: missing input column "wt" (numeric); the header has "hp", "weight"\n`);
    // A --download destination that cannot be created is refused before the batch starts too.
    const blocker = join(work, 'a-file');
    await writeFile(blocker, 'x');
    const noDest = await cli(['run', 'transmission', '1.0', '--records', MTCARS, '--download', join(blocker, 'out')], env);
    expect(noDest.code).toBe(2);
    expect(noDest.stderr).toMatch(/mlbatch: cannot use .*a-file\/out as the destination: a file \(not a directory\) is in the way\n$/);
    const after = await cli(['ls', 'transmission', '1.0', '--json'], env);
    expect(JSON.parse(after.stdout).length).toBe(JSON.parse(before.stdout).length);
  });

  it('lists no executions as an empty list, and says so in text', async () => {
    const json = await cli(['ls', 'chart', '1.0', '--json'], env);
    expect([json.code, JSON.parse(json.stdout)]).toEqual([0, []]);
    const text = await cli(['ls', 'chart', '1.0'], env);
    expect([text.code, text.stdout, text.stderr]).toEqual([0, '', 'chart 1.0 has no executions\n']);
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli(['run', 'transmission', '1.0', '--records', MTCARS, '--parallel', 'many'], env)).code).toBe(2);
    const both = await cli(['download', 'transmission', '1.0', 'x', '3', '--all', '--dest', work], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either a record <index> or --all/);
    const noHost = await cli(['services'], { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toMatch(/no server given: use --host/);
  });

  it('names an unknown service or execution and stops at once, even with --wait (exit 2)', async () => {
    const service = await cli(['run', 'no-such-service', '1.0', '--records', MTCARS], env);
    expect(service.code).toBe(2);
    expect(service.stderr).toMatch(/^mlbatch: 404 Not Found from GET \/services\/no-such-service\/1\.0: no such service or version on this server/);
    const began = Date.now();
    const waited = await cli(['status', 'transmission', '1.0', 'no-such-id', '--wait', '--json'], env);
    expect(waited.code).toBe(2);
    expect(waited.stdout).toBe('');
    expect(waited.stderr).toMatch(/\nmlbatch: 404 Not Found from GET \/api\/transmission\/1\.0\/batch\/no-such-id: no such execution/);
    expect(waited.stderr).not.toMatch(/gave up/);
    // Before, a 404 was polled 8 times with growing delays (about a minute and a half).
    expect(Date.now() - began).toBeLessThan(30_000);
  });

  it('exits 4 when it cannot connect or authenticate', async () => {
    const wrong = await cli(['services'], { ...env, MLBATCH_PASSWORD: 'wrong' });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/401 Unauthorized from POST \/login: check the user name and password/);
    const gone = await tinyServer(() => {});
    await gone.close();
    const down = await cli(['services', '--host', gone.url], env);
    expect(down.code).toBe(4);
    expect(down.stderr).toBe(`mlbatch: cannot connect to ${gone.url}: POST /login failed (ECONNREFUSED): check that the server runs at ${gone.url} and is reachable\n`);
    const nobody = await cli(['services'], { ...env, MLBATCH_USER: 'nobody' });
    expect(nobody.code).toBe(4);
    expect(nobody.stderr).toMatch(/401 Unauthorized from POST \/login/);
  });

  it('uses MLBATCH_TOKEN without a password, and exits 4 when the token is refused', async () => {
    const login = await fetch(`${server.url}/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const { access_token: token } = await login.json() as { access_token: string };
    const noPassword = { MLBATCH_HOST: server.url, XDG_CONFIG_HOME: join(work, 'token-config') };
    const ok = await cli(['services', '--json'], { ...noPassword, MLBATCH_TOKEN: token });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).map((s: { name: string }) => s.name)).toContain('flaky');
    const refused = await cli(['services'], { ...noPassword, MLBATCH_TOKEN: 'not-a-token' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^mlbatch: 401 Unauthorized from GET \/services: the session expired or the token is invalid; log in again/);
  });

  it('exits 1 when the execution itself failed (every record failed)', async () => {
    const records = join(work, 'all-bad.jsonl');
    await writeFile(records, '{"id":1,"value":-1}\n{"id":2,"value":-4}\n');
    const r = await cli(['run', 'flaky', '1.0', '--records', records, '--wait'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ Failed 2\/2 done, 2 failed\n$/);
  });

  it('cancels (exit 3 from status) and warns about --insecure', async () => {
    const records = join(work, 'slow.csv');
    await writeFile(records, `id,value\n${Array.from({ length: 80 }, (_, i) => `${i + 1},${i}`).join('\n')}\n`);
    const started = await cli(['run', 'slow-scorer', '1.0', '--records', records, '--parallel', '1'], env);
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    const cancel = await cli(['cancel', 'slow-scorer', '1.0', id, '--insecure'], env);
    expect(cancel.code).toBe(0);
    expect(cancel.stderr).toMatch(/warning: --insecure: TLS certificates are not checked/);
    const status = await cli(['status', 'slow-scorer', '1.0', id, '--wait', '--json'], env);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout).state).toBe('Canceled');
  });

  it('logs in with --password-stdin, keeps only a refresh token (0600), and reuses it', async () => {
    const dirs = { XDG_CONFIG_HOME: join(work, 'login-config'), XDG_STATE_HOME: join(work, 'login-state') };
    const login = await cli(['login', '--host', server.url, '--password-stdin'], dirs, `${PASSWORD}\n`);
    expect(login.code).toBe(0);
    const name = `127.0.0.1-${new URL(server.url).port}`;
    const file = join(dirs.XDG_STATE_HOME, 'mlbatch', 'logins', `${name}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dirs.XDG_STATE_HOME, 'mlbatch', 'logins'))).mode & 0o777).toBe(0o700);
    const saved = await readFile(file, 'utf8');
    expect(saved).not.toContain(PASSWORD);
    expect(JSON.parse(saved)).toMatchObject({ host: server.url, username: 'admin' });
    const services = await cli(['services', '--json'], dirs);
    expect(services.code).toBe(0);
    expect(JSON.parse(services.stdout).length).toBeGreaterThan(0);
    // logout forgets the login; the context stays, so the next command knows the server but cannot authenticate.
    expect((await cli(['logout'], dirs)).stdout).toBe(`removed ${file} (context "${name}" stays; mlbatch context rm removes it)\n`);
    expect((await cli(['logout'], dirs)).stdout).toBe('no saved login\n');
    const after = await cli(['services'], dirs);
    expect(after.code).toBe(4);
    expect(after.stderr).toContain(`no credentials for ${server.url}`);
  });

  it('attach, piped, to an execution that does not exist says so in one line and exits 2 (no endless retry)', async () => {
    const r = await cli(['attach', 'slow-scorer', '1.0', 'does-not-exist'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mlbatch: unknown execution does-not-exist: slow-scorer 1.0 has no execution with that id\n');
  });
});
