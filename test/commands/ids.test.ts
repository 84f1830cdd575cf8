/** Ids a person can type: prefixes, `last`, and an id alone, for the built CLI against the embedded server. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/journal.js';
import { diffQueries } from '../../src/commands/diff-action.js';
import { executionArgs } from '../../src/commands/execution-query.js';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let work: string;
let env: Record<string, string>;
/** Two executions of flaky 1.0, oldest first, and the host the journal keys them by. */
let ids: string[];
let host: string;

beforeAll(async () => {
  server = await embeddedServer();
  work = await tempDir();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data') };
  await writeFile(join(work, 'records.json'), JSON.stringify([{ id: 1, value: 4 }, { id: 2, value: -1 }]));
  ids = [];
  for (let i = 0; i < 2; i++) {
    const run = await cli(['run', 'flaky', '1.0', '--records', join(work, 'records.json'), '--wait', '--json'], env);
    expect(run.code).toBe(0);
    ids.push(JSON.parse(run.stdout).executionId);
  }
  const history = await cli(['history', '--json'], env);
  host = JSON.parse(history.stdout)[0].host;
}, 120_000);
afterAll(async () => server?.close());

/** Journal entries the server does not list (executions it has forgotten), as another mlbatch run would have left them. */
function journalAlso(entries: { service: string; version: string; id: string; origin: 'run' | 'attach'; startedAt: number; state?: string }[]): void {
  const journal = openJournal({ path: join(work, 'data', 'mlbatch', 'journal.sqlite') });
  for (const e of entries) {
    const key = { host, service: e.service, version: e.version, id: e.id };
    journal.remember({ ...key, origin: e.origin, startedAt: e.startedAt });
    if (e.state) journal.noteState(key, { state: e.state, total: 2, completed: 2 });
  }
  journal.close();
}

describe('execution ids on the command line', { timeout: 120_000 }, () => {
  it('takes a unique prefix, with its service and version or alone (the journal knows them), and last', async () => {
    const [first, second] = ids;
    const [prefixed, alone, last, lastAlone] = await Promise.all([
      cli(['status', 'flaky', '1.0', first.slice(0, 8)], env),
      cli(['status', first.slice(0, 6).toUpperCase()], env),
      cli(['status', 'flaky', '1.0', 'last', '--json'], env),
      cli(['status', 'last'], env),
    ]);
    expect(prefixed).toMatchObject({ code: 0, stderr: '' });
    expect(prefixed.stdout).toMatch(new RegExp(`^${first} Complete 2/2 done`));
    expect(alone).toMatchObject({ code: 0, stderr: '' });
    expect(alone.stdout).toMatch(new RegExp(`^${first} Complete`));
    expect(last.code).toBe(0);
    expect(JSON.parse(last.stdout)).toMatchObject({ service: 'flaky', version: '1.0', executionId: second });
    expect(lastAlone.stdout).toMatch(new RegExp(`^${second} `));
  });

  it('refuses a prefix under 6 characters, and names an unknown one (exit 2)', async () => {
    const [short, unknown, shortAlone] = await Promise.all([
      cli(['status', 'flaky', '1.0', ids[0].slice(0, 5)], env),
      cli(['cancel', 'flaky', '1.0', 'abcdef12'], env),
      cli(['errors', 'abc'], env),
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toBe(`mlbatch: execution id "${ids[0].slice(0, 5)}" is too short: give at least 6 characters of it (or the whole id, or last)\n`);
    expect(shortAlone.code).toBe(2);
    expect(shortAlone.stderr).toMatch(/"abc" is too short/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('mlbatch: unknown execution abcdef12: flaky 1.0 has no execution whose id starts with it (mlbatch ls flaky 1.0 lists them)\n');
  });

  it('says what to give when the journal does not know an id given alone', async () => {
    const elsewhere = { ...env, XDG_DATA_HOME: join(work, 'empty-data') };
    const [unknown, last] = await Promise.all([cli(['status', ids[0].slice(0, 8)], elsewhere), cli(['attach', 'last'], elsewhere)]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`mlbatch: the journal knows no execution whose id starts with ${ids[0].slice(0, 8)} on ${host}: ` +
      `give its service and version too: mlbatch status <service> <version> ${ids[0].slice(0, 8)}\n`);
    expect(last.code).toBe(2);
    expect(last.stderr).toMatch(/^mlbatch: last: the journal has no execution on .* yet; give a service, a version and an id: mlbatch attach <service> <version> <id>\n$/);
  });

  it('takes the short forms in attach, artifacts, download and diff', async () => {
    const [first, second] = ids;
    const [attach, files, diff, badIndex] = await Promise.all([
      // Piped, the app prints plain lines.
      cli(['attach', first.slice(0, 7)], env),
      cli(['artifacts', first.slice(0, 7), '1', '--json'], env),
      cli(['diff', first.slice(0, 7), second.slice(0, 7), '--json'], env),
      cli(['download', first.slice(0, 7), '1.0', '--dest', join(work, 'dl')], env),
    ]);
    expect(attach.code).toBe(0);
    expect(attach.stdout.trim().split('\n').at(-1)).toMatch(/^Complete 2\/2 /);
    expect(files).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ a: { executionId: first }, b: { executionId: second }, equal: true });
    expect(badIndex.code).toBe(2);
    expect(badIndex.stderr).toBe('mlbatch: "1.0" is not a record index (a whole number from 0): download takes <service> <version> <id> [index], or <id> [index] alone\n');
  });

  it('lists the candidates of an ambiguous prefix (id, state, when) and exits 2', async () => {
    const [first] = ids;
    // The journal remembers one the server has forgotten, sharing the first's first 9 characters; and
    // one of another service sharing the second's first 8. (Last: later tests would find these too.)
    const gone = `${first.slice(0, 9)}${first[9] === '0' ? '1' : '0'}000-4000-8000-000000000000`;
    const other = `${ids[1].slice(0, 8)}-1111-4000-8000-000000000000`;
    const day = Date.now() - 86_400_000;
    journalAlso([
      { service: 'flaky', version: '1.0', id: gone, origin: 'attach', startedAt: day },
      { service: 'transmission', version: '1.0', id: other, origin: 'run', startedAt: day, state: 'Failed' },
    ]);
    const [withService, alone, unique] = await Promise.all([
      cli(['status', 'flaky', '1.0', first.slice(0, 8)], env),
      cli(['stats', ids[1].slice(0, 8)], env),
      cli(['status', 'flaky', '1.0', first.slice(0, 10)], env),
    ]);
    expect(withService.code).toBe(2);
    expect(withService.stdout).toBe('');
    const lines = withService.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`mlbatch: execution id ${first.slice(0, 8)} is ambiguous: 2 executions of flaky 1.0 start with it`);
    // The server's state now; when it came to the journal (started here, or first seen on an attach).
    expect(lines[1]).toMatch(new RegExp(`^  ${first}  Complete +started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
    expect(lines[2]).toMatch(new RegExp(`^  ${gone}  no longer on the server  first seen \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
    expect(lines[3]).toBe('give more of the id: mlbatch status flaky 1.0 <id>');
    // Alone, across services: each candidate with its service and version, as the journal last saw it.
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain(`execution id ${ids[1].slice(0, 8)} is ambiguous: 2 executions in the journal start with it\n`);
    expect(alone.stderr).toMatch(new RegExp(`\\n  flaky 1\\.0 +${ids[1]}  Complete`));
    expect(alone.stderr).toMatch(new RegExp(`\\n  transmission 1\\.0  ${other}  Failed +started `));
    expect(alone.stderr).toMatch(/\ngive more of the id, or its service and version: mlbatch stats <service> <version> <id>\n$/);
    // One more character tells them apart.
    expect(unique.code).toBe(0);
  });
});

describe('the argument forms', () => {
  it('tells the forms apart by their count', () => {
    expect(executionArgs('status', ['abcdef'])).toEqual({ query: { id: 'abcdef' } });
    expect(executionArgs('status', ['s', '1.0', 'abcdef'])).toEqual({ query: { service: 's', version: '1.0', id: 'abcdef' } });
    expect(() => executionArgs('status', ['s', '1.0'])).toThrow('status takes <service> <version> <id>, or <id> alone (2 arguments were given)');
    expect(executionArgs('artifacts', ['abcdef', '3'], 'required')).toEqual({ query: { id: 'abcdef' }, index: 3 });
    expect(executionArgs('artifacts', ['s', '1', 'abcdef', '0'], 'required')).toEqual({ query: { service: 's', version: '1', id: 'abcdef' }, index: 0 });
    expect(() => executionArgs('artifacts', ['s', '1', 'abcdef'], 'required')).toThrow('artifacts takes <service> <version> <id> <index>, or <id> <index> alone (3 arguments were given)');
    expect(executionArgs('download', ['abcdef'], 'optional')).toEqual({ query: { id: 'abcdef' } });
    expect(executionArgs('download', ['s', '1', 'abcdef'], 'optional')).toEqual({ query: { service: 's', version: '1', id: 'abcdef' } });
    expect(diffQueries(['abcdef', 'last'])).toEqual([{ id: 'abcdef' }, { id: 'last' }]);
    expect(diffQueries(['a', '1', 'abcdef', 'b', '2', 'last'])).toEqual([{ service: 'a', version: '1', id: 'abcdef' }, { service: 'b', version: '2', id: 'last' }]);
    expect(() => diffQueries(['a', '1', 'abcdef', 'fedcba'])).toThrow(/diff takes .* \(4 arguments were given\)/);
  });
});
