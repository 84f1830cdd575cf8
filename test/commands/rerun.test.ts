/** Rerun with lineage, history and the merged export: the built CLI against the embedded server. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let work: string;
let env: Record<string, string>;
const NEGATIVE = [3, 7, 12];
const csv = (values: number[]) => `id,value\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`;
const values = Array.from({ length: 16 }, (_, i) => (NEGATIVE.includes(i) ? -i : i * i));

beforeAll(async () => {
  server = await embeddedServer();
  work = await tempDir();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data') };
  await writeFile(join(work, 'values.csv'), csv(values));
  await writeFile(join(work, 'fixed.csv'), csv(values.map(Math.abs)));
  await writeFile(join(work, 'short.csv'), csv(values.slice(0, 10)));
});
afterAll(async () => server?.close());

describe('rerun, history and export --merged', { timeout: 120_000 }, () => {
  it('reruns the failures of flaky with corrected records, and the merged export has no failure left', async () => {
    const run = await cli(['run', 'flaky', '1.0', '--records', join(work, 'values.csv'), '--parallel', '4', '--wait', '--json'], env);
    expect(run.code).toBe(0);
    const parent = JSON.parse(run.stdout);
    expect(parent.failedIndices).toEqual(NEGATIVE);
    const journal = join(work, 'data', 'mlbatch', 'journal.sqlite');
    expect((await stat(journal)).mode & 0o777).toBe(0o600);
    expect((await stat(join(work, 'data', 'mlbatch'))).mode & 0o777).toBe(0o700);

    // A file of another record count is not the original: refused, naming the file and both counts.
    // (The refusals are independent: they run at once.)
    const [short, badList, beyond, two, elsewhere, noGroup] = await Promise.all([
      cli(['rerun', 'flaky', '1.0', parent.executionId, '--failed', '--records', join(work, 'short.csv')], env),
      cli(['rerun', 'flaky', '1.0', parent.executionId, '--indices', '3,7-x'], env),
      cli(['rerun', 'flaky', '1.0', parent.executionId, '--indices', '15-16'], env),
      cli(['rerun', 'flaky', '1.0', parent.executionId, '--failed', '--canceled'], env),
      // Another machine's journal knows nothing of it: the records must be given.
      cli(['rerun', 'flaky', '1.0', parent.executionId, '--failed'], { ...env, XDG_DATA_HOME: join(work, 'other-data') }),
      // flaky's failures all say the same but for the value: one error group.
      cli(['rerun', 'flaky', '1.0', parent.executionId, '--group', '2'], env),
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain(`${join(work, 'short.csv')} has 10 records but execution ${parent.executionId} has 16`);
    expect(badList.code).toBe(2);
    expect(badList.stderr).toContain('--indices: "7-x" is not an index or a range like 7-9');
    expect(beyond.stderr).toContain('--indices: "15-16" is beyond the last index (15');
    expect(two.stderr).toContain('one of --failed, --canceled, --not-run, --group N or --indices LIST (2 were given)');
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain(`--group 2: execution ${parent.executionId} has one error group (see mlbatch errors)`);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`the records of execution ${parent.executionId} are not in the journal (the journal does not know this execution): give the original file with --records FILE`);

    const rerun = await cli(['rerun', 'flaky', '1.0', parent.executionId, '--failed', '--records', join(work, 'fixed.csv'), '--wait', '--json'], env);
    expect(rerun.code).toBe(0);
    const child = JSON.parse(rerun.stdout);
    expect(child).toMatchObject({ state: 'Complete', totalItemCount: 3, failedIndices: [], parentId: parent.executionId, indexMap: NEGATIVE });
    expect(rerun.stderr).toContain(`a rerun of 3 failed records of ${parent.executionId}`);

    const [merged, jsonl, plain] = await Promise.all([
      cli(['export', 'flaky', '1.0', parent.executionId, '--merged'], env),
      cli(['export', 'flaky', '1.0', parent.executionId, '--merged', '--format', 'jsonl'], env),
      cli(['export', 'flaky', '1.0', parent.executionId], env),
    ]);
    expect(merged.code).toBe(0);
    const lines = merged.stdout.trim().split('\n');
    expect(lines[0]).toBe('index,state,execution,error,root');
    expect(lines).toHaveLength(17);
    expect(merged.stdout).not.toContain('Failed');
    expect(lines[1 + 3]).toBe(`3,Complete,${child.executionId},,${Math.sqrt(3)}`);
    expect(lines[1 + 4]).toBe(`4,Complete,${parent.executionId},,4`);
    const rows = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.state !== 'Complete')).toEqual([]);
    expect(rows[12]).toMatchObject({ index: 12, execution: child.executionId, success: true });
    // Without --merged the parent's own failures are still there.
    expect(plain.stdout.match(/,Failed,/g)).toHaveLength(3);

    // A rerun of the rerun, from the records the journal kept: its map is into the rerun, the merged view composes it.
    const again = await cli(['rerun', 'flaky', '1.0', child.executionId, '--indices', '1', '--wait', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ state: 'Complete', indexMap: [1] });
    const grand = JSON.parse(again.stdout).executionId;
    const chain = await cli(['export', 'flaky', '1.0', parent.executionId, '--merged'], env);
    expect(chain.stdout.split('\n')[1 + 7]).toBe(`7,Complete,${grand},,${Math.sqrt(7)}`);

    const [history, table] = await Promise.all([cli(['history', '--json'], env), cli(['history'], env)]);
    const entries = JSON.parse(history.stdout);
    expect(entries.map((e: { id: string }) => e.id)).toEqual([grand, child.executionId, parent.executionId]);
    expect(entries[1]).toMatchObject({ service: 'flaky', parentId: parent.executionId, indexMap: NEGATIVE, state: 'Complete', recordCount: 3, recordsKept: true, origin: 'rerun' });
    expect(entries[2]).toMatchObject({ origin: 'run', parallelCount: 4, recordCount: 16, recordsPath: join(work, 'values.csv'), state: 'Complete', counts: [0, 0, 13, 3, 0] });
    expect(entries[2].recordsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(table.stdout.split('\n')[0]).toMatch(/^STARTED +AGE +CONTEXT +SERVICE +VERSION +EXECUTION +STATE +DONE +FAILED +PARENT$/);
    // No context here: each row names its server.
    expect(table.stdout.split('\n')[1]).toContain(` ${server.url} `);
    expect(entries[0]).toMatchObject({ context: null, host: server.url });
    expect(table.stdout).toContain(`${parent.executionId}  Complete  16/16  3`);

    // An error group, numbered as `mlbatch errors` numbers it, selects its failures.
    const group = await cli(['rerun', 'flaky', '1.0', parent.executionId, '--group', '1', '--records', join(work, 'fixed.csv'), '--json'], env);
    expect(group.code).toBe(0);
    expect(JSON.parse(group.stdout)).toMatchObject({ parentId: parent.executionId, totalItemCount: 3, indexMap: NEGATIVE });
  });

  it('keeps records only up to the limit, and says why it did not', async () => {
    const run = await cli(['run', 'flaky', '1.0', '--records', join(work, 'values.csv'), '--journal-max-mb', '0', '--json'], env);
    expect(run.code).toBe(0);
    const id = JSON.parse(run.stdout).executionId;
    const refused = await cli(['rerun', 'flaky', '1.0', id, '--indices', '0'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/are not in the journal \(too big to keep: 0\.0 MB of records, over the 0\.0 MB limit \(MLBATCH_JOURNAL_MAX_MB\)\): give the original file/);
  });

  it('a corrupt journal: a warning naming the file, moved aside (not deleted), and the commands still work', async () => {
    const data = join(work, 'corrupt-data');
    const dir = join(data, 'mlbatch');
    await cli(['history'], { ...env, XDG_DATA_HOME: data });
    await writeFile(join(dir, 'journal.sqlite'), 'this is not a database, whatever it was once'.repeat(200));
    const corrupt = { ...env, XDG_DATA_HOME: data };
    const status = await cli(['services', '--json'], corrupt);
    expect(status.code).toBe(0);
    const history = await cli(['history', '--json'], corrupt);
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout)).toEqual([]);
    expect(history.stderr).toMatch(new RegExp(`^warning: the journal ${join(dir, 'journal.sqlite')} could not be read \\(file is not a database\\): it was moved to ${join(dir, 'journal.sqlite')}\\.corrupt-\\S+ and a new journal started\\n$`));
    const aside = (await readdir(dir)).find((f) => f.startsWith('journal.sqlite.corrupt-'))!;
    expect(await readFile(join(dir, aside), 'utf8')).toContain('this is not a database');
    expect(existsSync(join(dir, 'journal.sqlite'))).toBe(true);

    // The app too: a journal it cannot open is said, and the app opens all the same (here its plain
    // mode, without a terminal); the journal is left as it is.
    const run = await cli(['run', 'flaky', '1.0', '--records', join(work, 'values.csv'), '--wait', '--json'], corrupt);
    const id = JSON.parse(run.stdout).executionId;
    // A directory in the journal's place: refused to root too, which opens a file of any mode.
    const journal = join(dir, 'journal.sqlite');
    await rename(journal, `${journal}.aside`);
    await mkdir(journal);
    const attach = await cli(['attach', 'flaky', '1.0', id], corrupt);
    await rmdir(journal);
    await rename(`${journal}.aside`, journal);
    expect(attach.code).toBe(0);
    expect(attach.stderr).toContain(`warning: the journal ${journal} cannot be opened`);
    expect(attach.stdout).toMatch(/Complete .*16\/16/);
  });
});
