/**
 * Contexts, as a user meets them: two embedded servers as two contexts (login, list, use, use -,
 * rm, --context, MLBATCH_CONTEXT), a read-only one refusing cancel, history per context, a diff
 * across them, a bad config file, and the move of an old login.json into a context.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
import { startPty } from '../tui/pty.js';
import { cli, type CliResult } from './cli-helpers.js';

let test: Awaited<ReturnType<typeof embeddedServer>>;
let prod: Awaited<ReturnType<typeof embeddedServer>>;
let work: string;
let dirs: Record<string, string>;
const config = () => join(dirs.XDG_CONFIG_HOME, 'mlbatch', 'config.yaml');
const loginFile = (name: string) => join(dirs.XDG_STATE_HOME, 'mlbatch', 'logins', `${name}.json`);
/** The JSON a command printed (its stderr as the message when there is none). */
const json = (r: CliResult) => {
  expect(r.stdout, r.stderr).not.toBe('');
  return JSON.parse(r.stdout);
};

/** Fresh config, state and data dirs under the test's temp dir. */
function freshDirs(name: string): Record<string, string> {
  return { XDG_CONFIG_HOME: join(work, name, 'config'), XDG_STATE_HOME: join(work, name, 'state'), XDG_DATA_HOME: join(work, name, 'data') };
}

beforeAll(async () => {
  [test, prod] = await Promise.all([embeddedServer(), embeddedServer()]);
  work = await tempDir();
  dirs = freshDirs('main');
  // flaky's root of each value: B's last value differs from A's.
  await writeFile(join(work, 'a.csv'), 'id,value\n0,1\n1,4\n2,9\n');
  await writeFile(join(work, 'b.csv'), 'id,value\n0,1\n1,4\n2,16\n');
});
afterAll(async () => Promise.all([test?.close(), prod?.close()]));

describe('contexts', { timeout: 120_000 }, () => {
  let idTest = '';
  let idProd = '';

  it('login --context adds each server as a context and makes it current; context lists them, use and use - switch', async () => {
    const loginTest = await cli(['login', '--context', 'test', '--host', test.url, '--password-stdin'], dirs, `${PASSWORD}\n`);
    expect(loginTest.code, loginTest.stderr).toBe(0);
    expect(loginTest.stdout).toBe(`logged in to ${test.url} as admin; saved to ${loginFile('test')}; context "test" is current (added to ${config()})\n`);
    const loginProd = await cli(['login', '--context', 'prod', '--host', prod.url, '--password-stdin'], dirs, `${PASSWORD}\n`);
    expect(loginProd.code, loginProd.stderr).toBe(0);
    expect((await stat(loginFile('prod'))).mode & 0o777).toBe(0o600);
    expect(await readFile(loginFile('prod'), 'utf8')).not.toContain(PASSWORD);
    expect(await readFile(config(), 'utf8')).toMatch(new RegExp(`contexts:\\n  test:\\n    host: ${test.url}\\n    user: admin\\n  prod:\\n    host: ${prod.url}\\n`));

    const [table, listed] = await Promise.all([cli(['context'], dirs), cli(['context', '--json'], dirs)]);
    expect(table.stdout.split('\n')).toEqual([
      expect.stringMatching(/^CURRENT +NAME +HOST +USER +LOGIN +READONLY +COLOR$/),
      expect.stringMatching(new RegExp(`^ +test +${test.url} +admin +saved`)),
      expect.stringMatching(new RegExp(`^\\* +prod +${prod.url} +admin +saved`)),
      '',
    ]);
    expect(json(listed)).toMatchObject({
      path: config(), current: 'prod', previous: 'test',
      contexts: [{ name: 'test', host: test.url, current: false, loggedIn: true }, { name: 'prod', host: prod.url, current: true, loggedIn: true }],
    });

    expect((await cli(['context', 'use', 'test'], dirs)).stdout).toBe(`switched to context "test" (${test.url})\n`);
    expect(json(await cli(['context', '--json'], dirs))).toMatchObject({ current: 'test', previous: 'prod' });
    expect((await cli(['context', 'use', '-'], dirs)).stdout).toBe(`switched to context "prod" (${prod.url})\n`);
    expect(json(await cli(['context', '--json'], dirs))).toMatchObject({ current: 'prod', previous: 'test' });
  });

  it('runs on the current context, on --context NAME and on MLBATCH_CONTEXT; an unknown context exits 2 naming the known ones', async () => {
    const [onProd, onTest] = await Promise.all([
      cli(['run', 'flaky', '1.0', '--records', join(work, 'b.csv'), '--wait', '--json'], dirs),
      cli(['--context', 'test', 'run', 'flaky', '1.0', '--records', join(work, 'a.csv'), '--wait', '--json'], dirs),
    ]);
    idProd = json(onProd).executionId;
    idTest = json(onTest).executionId;
    // Each execution is on its own server only: the context chose the server. (One process at a time
    // per context: each refreshes the context's saved login, and the server rotates refresh tokens.)
    const [viaEnv, elsewhere] = await Promise.all([
      cli(['status', 'flaky', '1.0', idTest, '--json'], { ...dirs, MLBATCH_CONTEXT: 'test' }),
      cli(['status', 'flaky', '1.0', idTest, '--json'], dirs),
    ]);
    const viaFlag = await cli(['status', 'flaky', '1.0', idProd, '--json', '--context', 'prod'], { ...dirs, MLBATCH_CONTEXT: 'test' });
    expect(json(viaEnv).state).toBe('Complete');
    expect(elsewhere.code).toBe(2);
    expect(json(viaFlag).state).toBe('Complete');

    const [flag, env, app] = await Promise.all([
      cli(['--context', 'nope', 'services'], dirs),
      cli(['services'], { ...dirs, MLBATCH_CONTEXT: 'nope' }),
      cli(['--context', 'nope'], dirs),
    ]);
    // The app too ends at once, with the same words.
    expect(app.code).toBe(2);
    expect(app.stderr).toBe('mlbatch: unknown context "nope" (known: test, prod; see mlbatch context)\n');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('mlbatch: unknown context "nope" (known: test, prod; see mlbatch context)\n');
    expect(env.code).toBe(2);
    expect(env.stderr).toBe('mlbatch: unknown context "nope" (from MLBATCH_CONTEXT) (known: test, prod; see mlbatch context)\n');
  });

  it('history shows the current context\'s executions, --context another\'s, --all every one; --json has context and host', async () => {
    const [current, other, all, allJson] = await Promise.all([
      cli(['history'], dirs), cli(['history', '--context', 'test', '--json'], dirs), cli(['history', '--all'], dirs), cli(['history', '--all', '--json'], dirs),
    ]);
    const rows = current.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^STARTED +AGE +CONTEXT +SERVICE/);
    expect(rows.slice(1)).toEqual([expect.stringMatching(new RegExp(` prod +flaky +1\\.0 +${idProd} +Complete`))]);
    expect(json(other).map((e: { id: string }) => e.id)).toEqual([idTest]);
    expect(all.stdout).toContain(idTest);
    expect(all.stdout).toContain(idProd);
    const entries = json(allJson) as { id: string; context: string; host: string }[];
    expect(entries.map((e) => ({ id: e.id, context: e.context, host: e.host })).sort((a, b) => a.context.localeCompare(b.context))).toEqual([
      { id: idProd, context: 'prod', host: prod.url },
      { id: idTest, context: 'test', host: test.url },
    ]);
  });

  it('diffs an execution on one context with one on another (--context-b)', async () => {
    const r = await cli(['diff', 'flaky', '1.0', idTest, 'flaky', '1.0', idProd, '--context', 'test', '--context-b', 'prod', '--json'], dirs);
    expect(r.code).toBe(1);
    const d = json(r);
    expect(d.a).toMatchObject({ executionId: idTest, context: 'test', host: test.url, size: 3 });
    expect(d.b).toMatchObject({ executionId: idProd, context: 'prod', host: prod.url, size: 3 });
    expect(d.counts).toMatchObject({ equal: 2, different: 1 });
    expect(d.indices.different).toEqual([2]);
    const text = await cli(['diff', 'flaky', '1.0', idTest, 'flaky', '1.0', idProd, '--context', 'test', '--context-b', 'prod'], dirs);
    expect(text.stdout.split('\n').slice(0, 2)).toEqual([
      `A  test  flaky 1.0  ${idTest}  Complete  3 records`,
      `B  prod  flaky 1.0  ${idProd}  Complete  3 records`,
    ]);
  });

  it('a read-only context refuses cancel (and rerun) with the reason; the user\'s comments in config.yaml stay when mlbatch writes it', async () => {
    const text = await readFile(config(), 'utf8');
    await writeFile(config(), text.replace(`    host: ${prod.url}\n`, `    host: ${prod.url}  # the real one\n    # hands off:\n    readonly: true\n    color: red\n`));
    const [cancel, rerun, flagged] = await Promise.all([
      cli(['cancel', 'flaky', '1.0', idProd], dirs),
      cli(['rerun', 'flaky', '1.0', idProd, '--indices', '0'], dirs),
      cli(['--context', 'test', 'cancel', 'flaky', '1.0', idTest, '--readonly'], dirs),
    ]);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toBe(`mlbatch: cancel refused: context "prod" is read-only (readonly: true in ${config()})\n`);
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toBe(`mlbatch: rerun refused: context "prod" is read-only (readonly: true in ${config()})\n`);
    expect(flagged.stderr).toBe('mlbatch: cancel refused: started with --readonly\n');
    expect(json(await cli(['context', '--json'], dirs)).contexts[1]).toMatchObject({ name: 'prod', readonly: true, color: 'red' });

    // The app opens read-only in that context: the header says so (and names it), and the hint bar offers no cancel.
    const app = startPty(['attach', 'flaky', '1.0', idProd], { cwd: process.cwd(), env: { ...dirs, MLBATCH_CONTEXT: '', MLBATCH_HOST: '' } });
    try {
      const rows = await app.waitForScreen((r) => /^flaky 1\.0 {2}\S+ {2}\[read-only\] +prod$/.test(r[0]) && r[0].includes(idProd), 'the execution, read-only', 30_000);
      expect(rows[22]).not.toContain('cancel');
      app.press('q');
      expect(await app.exited).toBe(0);
    } finally {
      if (!app.done()) app.kill();
    }

    // Logging in again to test (another user name) rewrites the file: prod's comments and fields stay.
    const again = await cli(['login', '--context', 'test', '--user', 'admin', '--password-stdin'], dirs, `${PASSWORD}\n`);
    expect(again.code, again.stderr).toBe(0);
    const after = await readFile(config(), 'utf8');
    expect(after).toContain('# the real one');
    expect(after).toContain('# hands off:\n    readonly: true\n    color: red\n');
    expect(after).toMatch(/^# mlbatch contexts: /);
  });

  it('context rm removes the context and its saved login; use - without a previous one says so', async () => {
    expect(json(await cli(['context', '--json'], dirs)).current).toBe('test');
    const rm = await cli(['context', 'rm', 'test'], dirs);
    expect(rm.stdout).toBe(`removed context "test" from ${config()} and its saved login\n`);
    expect(existsSync(loginFile('test'))).toBe(false);
    expect(existsSync(loginFile('prod'))).toBe(true);
    expect(await readFile(config(), 'utf8')).not.toMatch(/^ {2}test:/m);
    const [listed, gone, unknownRm] = await Promise.all([
      cli(['context', '--json'], dirs), cli(['--context', 'test', 'services'], dirs), cli(['context', 'rm', 'test'], dirs),
    ]);
    expect(json(listed)).toMatchObject({ current: null, previous: 'prod', contexts: [{ name: 'prod' }] });
    expect(gone.stderr).toBe('mlbatch: unknown context "test" (known: prod; see mlbatch context)\n');
    expect(unknownRm.code).toBe(2);
    expect((await cli(['context', 'use', '-'], dirs)).stdout).toBe(`switched to context "prod" (${prod.url})\n`);
    const noPrevious = await cli(['context', 'use', '-'], dirs);
    expect(noPrevious.code).toBe(2);
    expect(noPrevious.stderr).toMatch(/^mlbatch: no previous context/);
  });

  it('a bad config file is an error naming the file, the line and the field', async () => {
    const bad = freshDirs('bad');
    const path = join(bad.XDG_CONFIG_HOME, 'mlbatch', 'config.yaml');
    await mkdir(join(bad.XDG_CONFIG_HOME, 'mlbatch'), { recursive: true });
    const cases: [string, string][] = [
      ['contexts:\n  prod:\n    host: https://prod:12800\n    readonly: yes\n', `${path} line 4: contexts.prod.readonly: must be true or false, not "yes"`],
      ['# servers\ncontexts:\n  prod:\n    hots: https://prod:12800\n', `${path} line 4: contexts.prod.hots: unknown field (a context has host, user, readonly, color, insecure)`],
      ['contexts:\n  prod:\n    user: alice\n', `${path} line 2: contexts.prod.host: missing: every context names its server (host: https://server:12800)`],
      ['contexts:\n  prod:\n    host: https://prod\n    color: purple\n', `${path} line 4: contexts.prod.color: not a colour name: "purple"`],
      ['contexts:\n  prod:\n    host: https://a\n  prod:\n    host: https://b\n', `${path} line 4: not valid YAML: Map keys must be unique`],
      ['contexts:\n  prod:\n    host: https://a\n   user: alice\n', `${path} line 4: not valid YAML: All mapping items must start at the same column`],
    ];
    for (const [text, message] of cases) {
      await writeFile(path, text);
      const r = await cli(['context'], bad);
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toContain(`mlbatch: ${message}`);
    }
  });

  it('moves an old login.json into a context named after its host, keeps the old file, and keeps working', async () => {
    const old = freshDirs('old');
    const answer = await fetch(`${test.url}/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const { refresh_token: refreshToken } = await answer.json() as { refresh_token: string };
    const file = join(old.XDG_CONFIG_HOME, 'mlbatch', 'login.json');
    await mkdir(join(old.XDG_CONFIG_HOME, 'mlbatch'), { recursive: true, mode: 0o700 });
    await writeFile(file, JSON.stringify({ host: test.url, username: 'admin', refreshToken, savedAt: '2025-01-01T00:00:00Z' }), { mode: 0o600 });
    const name = `127.0.0.1-${new URL(test.url).port}`;

    const services = await cli(['services', '--json'], old);
    expect(services.code, services.stderr).toBe(0);
    expect(services.stderr).toBe(`note: the saved login of ${test.url} is now context "${name}" (${file} is kept as login.json.migrated)\n`);
    expect(existsSync(file)).toBe(false);
    expect(JSON.parse(await readFile(`${file}.migrated`, 'utf8')).refreshToken).toBe(refreshToken);
    expect(json(await cli(['context', '--json'], old))).toMatchObject({ current: name, contexts: [{ name, host: test.url, user: 'admin', loggedIn: true }] });
    expect((await stat(join(old.XDG_STATE_HOME, 'mlbatch', 'logins', `${name}.json`))).mode & 0o777).toBe(0o600);
    // Once moved, it is not moved again, and the login goes on working (its refresh token rotated into the new file).
    const again = await cli(['services', '--json'], old);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
  });
});
