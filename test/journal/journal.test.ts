/** The journal file: records kept up to a limit, newest first, two processes at once, a damaged file, the write throttle. */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostKey } from '../../src/client/host.js';
import { openJournal, type JournalKey } from '../../src/journal/journal.js';
import { lineageOf, mergeAttempts, rerunsLine } from '../../src/journal/merged.js';
import { indicesInState, parseIndices } from '../../src/journal/selection.js';
import { StateNoter } from '../../src/journal/state-noter.js';
import { tempDir } from '../helpers.js';

const key = (id: string, version = '1.0'): JournalKey => ({ host: 'http://h:1', service: 'flaky', version, id });

describe('the journal', () => {
  it('keeps entries newest first, records up to the limit, and what a later attach learns without losing them', async () => {
    const dir = await tempDir();
    const warnings: string[] = [];
    const j = openJournal({ path: join(dir, 'j.sqlite'), maxRecordsMb: 0.0001, warn: (l) => warnings.push(l) });
    j.remember({ ...key('a'), origin: 'run', startedAt: 1000, records: [{ id: 1, value: 2 }], recordsPath: '/r.csv', recordsHash: 'ab' });
    j.remember({ ...key('b'), origin: 'run', startedAt: 3000, records: Array.from({ length: 100 }, (_, i) => ({ id: i, value: i })) });
    j.remember({ ...key('c'), origin: 'attach', startedAt: 2000 });
    // Attaching later to a run of ours changes nothing it knew.
    j.remember({ ...key('a'), origin: 'attach', startedAt: 9000 });
    j.noteState(key('a'), { state: 'Complete', total: 1, completed: 1, counts: [0, 0, 1, 0, 0] });
    expect(j.list().map((e) => e.id)).toEqual(['b', 'c', 'a']);
    expect(j.get(key('a'))).toMatchObject({ startedAt: 1000, origin: 'run', recordsKept: true, recordsPath: '/r.csv', recordsHash: 'ab', state: 'Complete', counts: [0, 0, 1, 0, 0] });
    expect(j.records(key('a'))).toEqual([{ id: 1, value: 2 }]);
    expect(j.get(key('b'))).toMatchObject({ recordsKept: false, recordCount: 100 });
    expect(j.get(key('b'))!.recordsNote).toMatch(/^too big to keep: 0\.0 MB of records, over the 0\.0 MB limit/);
    expect(j.records(key('b'))).toBeUndefined();
    expect(j.get(key('c'))!.recordsNote).toBe('attached: started elsewhere');
    expect(warnings).toEqual([]);
    j.close();
  });

  it('keeps the rows of a journal written before contexts, and records the context of new ones', async () => {
    const dir = await tempDir();
    const path = join(dir, 'old.sqlite');
    // The schema as mlbatch wrote it before contexts (no version, no context column).
    const old = new Database(path);
    old.exec(`CREATE TABLE executions (host TEXT NOT NULL, service TEXT NOT NULL, version TEXT NOT NULL, id TEXT NOT NULL, user TEXT,
      started_at INTEGER NOT NULL, origin TEXT NOT NULL, parallel_count INTEGER, records_path TEXT, records_hash TEXT, record_count INTEGER,
      records BLOB, records_note TEXT, parent_id TEXT, parent_version TEXT, index_map TEXT, state TEXT, total INTEGER, completed INTEGER,
      counts TEXT, updated_at INTEGER NOT NULL, PRIMARY KEY (host, service, version, id))`);
    old.prepare(`INSERT INTO executions (host, service, version, id, user, started_at, origin, state, updated_at)
      VALUES ('http://h:1', 'flaky', '1.0', 'old', 'admin', 1000, 'run', 'Complete', 1000)`).run();
    old.close();

    const warnings: string[] = [];
    const j = openJournal({ path, warn: (l) => warnings.push(l) });
    expect(j.get(key('old'))).toMatchObject({ context: null, user: 'admin', state: 'Complete', startedAt: 1000 });
    j.remember({ ...key('new'), origin: 'run', context: 'test', startedAt: 2000 });
    j.remember({ host: 'http://other:2', service: 'flaky', version: '1.0', id: 'far', origin: 'run', context: 'prod', startedAt: 3000 });
    // Attached later in another context (same server): it stays the context it was started in.
    j.remember({ ...key('new'), origin: 'attach', context: 'other' });
    expect(j.get(key('new'))!.context).toBe('test');
    // A context's executions include those journaled on its server before it had a name.
    expect(j.list(10, { context: 'test', host: hostKey('HTTP://h:1/') }).map((e) => e.id)).toEqual(['new', 'old']);
    expect(j.list(10, { context: 'prod', host: hostKey('http://other:2') }).map((e) => e.id)).toEqual(['far']);
    expect(j.list(10, { host: hostKey('h:1') }).map((e) => e.id)).toEqual(['new', 'old']);
    expect(j.list(10).map((e) => e.id)).toEqual(['far', 'new', 'old']);
    expect(warnings).toEqual([]);
    j.close();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
    // Opened again, it is not migrated twice.
    const again = openJournal({ path, warn: (l) => warnings.push(l) });
    expect(again.list(10)).toHaveLength(3);
    expect(warnings).toEqual([]);
    again.close();
  });

  it('two processes writing at once lose nothing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'journal.sqlite');
    const module = resolve('dist/journal/journal.js');
    const writer = (name: string) => new Promise<number | null>((done, fail) => {
      const code = `const { openJournal } = await import(${JSON.stringify(module)});
        const j = openJournal({ path: ${JSON.stringify(path)} });
        for (let i = 0; i < 300; i++) {
          j.remember({ host: 'h', service: 's', version: '1', id: '${name}' + i, origin: 'run', records: [{ i }] });
          j.noteState({ host: 'h', service: 's', version: '1', id: '${name}' + i }, { state: 'Complete', total: 1, completed: 1 });
        }
        if (j.warning) { console.error(j.warning); process.exit(1); }`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', fail);
      child.on('close', done);
    });
    expect(await Promise.all([writer('x'), writer('y')])).toEqual([0, 0]);
    const j = openJournal({ path });
    const entries = j.list(10_000);
    expect(entries).toHaveLength(600);
    expect(entries.every((e) => e.state === 'Complete')).toBe(true);
    expect(j.records({ host: 'h', service: 's', version: '1', id: 'y299' })).toEqual([{ i: 299 }]);
    j.close();
  });

  it('a journal that cannot be opened warns once, naming the file, and is left as it is', async () => {
    const dir = await tempDir();
    // Refused to root too (which reads a file of any mode): a directory where the file should be,
    // and a path under a plain file.
    const inPlace = join(dir, 'journal.sqlite');
    mkdirSync(inPlace);
    writeFileSync(join(inPlace, 'kept.txt'), 'not the journal\n');
    writeFileSync(join(dir, 'plain'), 'a file, not a folder\n');
    for (const path of [inPlace, join(dir, 'plain', 'journal.sqlite')]) {
      const warnings: string[] = [];
      const j = openJournal({ path, warn: (l) => warnings.push(l) });
      expect(j.usable, path).toBe(false);
      j.remember({ ...key('a'), origin: 'run' });
      j.noteState(key('a'), { state: 'Complete', total: 1, completed: 1 });
      expect(j.list()).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^warning: the journal ${path} cannot be opened \\(.+\\): executions are not recorded in it this time; nothing else is affected$`));
    }
    expect(readdirSync(inPlace)).toEqual(['kept.txt']);
    expect(readFileSync(join(dir, 'plain'), 'utf8')).toBe('a file, not a folder\n');
  });

  it('writes progress at once on a change of state, else at most once an interval', async () => {
    const dir = await tempDir();
    const j = openJournal({ path: join(dir, 'j.sqlite') });
    j.remember({ ...key('a'), origin: 'run' });
    let now = 0;
    const noter = new StateNoter(j, key('a'), 10_000, () => now);
    const at = (t: number, state: string, completed: number) => ((now = t), noter.note({ state, total: 10, completed }));
    expect([at(0, 'InProgress', 0), at(500, 'InProgress', 1), at(9_000, 'InProgress', 5), at(10_001, 'InProgress', 6)]).toEqual([true, false, false, true]);
    expect([at(30_000, 'InProgress', 6), at(30_500, 'Complete', 10)]).toEqual([false, true]);
    expect(j.get(key('a'))).toMatchObject({ state: 'Complete', completed: 10 });
  });
});

describe('selections and the merged view', () => {
  it('parses index lists, and names the flag and the bad part', () => {
    expect(parseIndices('9, 3,7-9', 10)).toEqual([3, 7, 8, 9]);
    expect(() => parseIndices('3,,4', 10)).toThrow('--indices: an empty part in "3,,4"');
    expect(() => parseIndices('9-7', 10)).toThrow('--indices: "9-7" runs backwards (write 7-9)');
    expect(() => parseIndices('a', 10)).toThrow('--indices: "a" is not an index or a range like 7-9');
    expect(() => parseIndices('', 10)).toThrow('--indices: no index given');
    expect(indicesInState(Uint8Array.from([3, 2, 3, 4, 0]), 'Failed')).toEqual([0, 2]);
  });

  it('takes each index from its latest attempt, through reruns of reruns', async () => {
    const dir = await tempDir();
    const j = openJournal({ path: join(dir, 'j.sqlite') });
    j.remember({ ...key('p'), origin: 'run', startedAt: 1 });
    j.remember({ ...key('r1'), origin: 'rerun', startedAt: 2, parentId: 'p', parentVersion: '1.0', indexMap: [1, 3] });
    j.remember({ ...key('r2', '2.0'), origin: 'rerun', startedAt: 3, parentId: 'r1', parentVersion: '1.0', indexMap: [1] });
    const attempts = lineageOf(j, key('p'));
    expect(attempts.map((a) => [a.id, a.toOriginal])).toEqual([['p', null], ['r1', [1, 3]], ['r2', [3]]]);
    const poll = (codes: number[]) => ({ items: Uint8Array.from(codes), totalItemCount: codes.length, state: 'Complete' as const, result: () => undefined });
    const view = mergeAttempts(attempts, [poll([2, 3, 2, 3]), poll([2, 3]), poll([2])]);
    expect([...view.items]).toEqual([2, 2, 2, 2]);
    expect([0, 1, 2, 3].map(view.from)).toEqual(['p', 'r1', 'p', 'r2']);
    j.noteState(key('r1'), { state: 'Complete', total: 2, completed: 2, counts: [0, 0, 1, 1, 0] });
    expect(rerunsLine(j.reruns(key('p')))).toBe('1 rerun, latest r1: Complete 2/2, 1 failed');
    expect(rerunsLine([])).toBeNull();
  });
});

describe('rerun --version', () => {
  it('is the rerun\'s own option after the command, and the program\'s version elsewhere', async () => {
    const { rerunArgv } = await import('../../src/commands/rerun.js');
    expect(rerunArgv(['rerun', 's', '1.0', 'id', '--failed', '--version', '2.0'])).toEqual(['rerun', 's', '1.0', 'id', '--failed', '--target-version', '2.0']);
    expect(rerunArgv(['--host', 'h', 'rerun', 's', '1.0', 'id', '--version=2.0'])).toEqual(['--host', 'h', 'rerun', 's', '1.0', 'id', '--target-version=2.0']);
    expect(rerunArgv(['--version'])).toEqual(['--version']);
    expect(rerunArgv(['status', 's', '1.0', 'id', '--version'])).toEqual(['status', 's', '1.0', 'id', '--version']);
  });
});
