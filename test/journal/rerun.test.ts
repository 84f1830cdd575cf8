/** The rerun's rules, as the command and the app share them: what a selection takes, and records that must still be the execution's. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal, type Journal, type JournalKey } from '../../src/journal/journal.js';
import { rerunIndices, rerunRecords, type RerunRequest } from '../../src/journal/rerun.js';
import { ITEM_CODE } from '../../src/protocol.js';
import { EXIT, ExitError } from '../../src/session/exit.js';
import { tempDir } from '../helpers.js';

const parent: JournalKey = { host: 'http://h:1', service: 'flaky', version: '1.0', id: 'P' };
const { Complete: C, Failed: F, Canceled: X, Pending: P } = ITEM_CODE;
const items = Uint8Array.from([C, F, C, F, X, P]);
const records = Array.from({ length: 6 }, (_, i) => ({ id: i, value: i }));

/** The refusal `fn` throws: an exit-2 error whose message a command prints and the app shows. */
async function refusal(fn: () => unknown): Promise<string> {
  const err = await Promise.resolve().then(fn).then(() => new Error('expected a refusal'), (e: unknown) => e);
  expect(err).toBeInstanceOf(ExitError);
  expect((err as ExitError).exitCode).toBe(EXIT.usage);
  return (err as Error).message;
}

describe('what a rerun selects', () => {
  it('takes records by state, by an index list, or a list chosen elsewhere (kept in range, sorted, once each)', () => {
    expect(rerunIndices({ state: 'Failed' }, items, 'P')).toEqual([1, 3]);
    expect(rerunIndices({ state: 'Canceled' }, items, 'P')).toEqual([4]);
    expect(rerunIndices({ state: 'Pending' }, items, 'P')).toEqual([5]);
    expect(rerunIndices({ indices: '0,2-3' }, items, 'P')).toEqual([0, 2, 3]);
    expect(rerunIndices({ list: [3, 1, 3, 9], what: 'failed' }, items, 'P')).toEqual([1, 3]);
  });

  it('refuses a bad list, and a selection with nothing in it, naming the execution', async () => {
    expect(await refusal(() => rerunIndices({ indices: '2-x' }, items, 'P'))).toBe('--indices: "2-x" is not an index or a range like 7-9');
    expect(await refusal(() => rerunIndices({ state: 'Failed' }, Uint8Array.from([C, C]), 'P'))).toBe('execution P has no failed records: nothing to rerun');
  });
});

describe('where a rerun\'s records come from', () => {
  const opened: Journal[] = [];
  afterAll(() => opened.forEach((j) => j.close()));
  const request = async (kept?: number, total = 6): Promise<Pick<RerunRequest, 'journal' | 'parent' | 'total' | 'source' | 'target'>> => {
    const journal = openJournal({ path: join(await tempDir(), 'j.sqlite') });
    opened.push(journal);
    if (kept !== undefined) journal.remember({ ...parent, origin: 'run', records: records.slice(0, kept), recordsPath: '/data/values.csv' });
    return { journal, parent, total, source: { journal: true }, target: undefined as never };
  };

  it('takes the journal\'s records when they are as many as the execution has', async () => {
    expect((await rerunRecords(await request(6))).records).toEqual(records);
  });

  it('refuses records the journal does not have, or not as many, naming the file and both counts', async () => {
    expect(await refusal(async () => rerunRecords(await request()))).toBe(
      'the records of execution P are not in the journal (the journal does not know this execution): give the original file with --records FILE');
    expect(await refusal(async () => rerunRecords(await request(4)))).toBe(
      'execution P has 6 records but the journal kept 4 (read from /data/values.csv): give the original file with --records FILE');
  });

  it('checks records the caller holds the same way', async () => {
    const req = await request(1);
    expect((await rerunRecords({ ...req, source: { held: records } })).records).toBe(records);
    expect(await refusal(() => rerunRecords({ ...req, source: { held: records.slice(0, 1) }, parentName: 'this execution' }))).toBe(
      'this execution has 6 records but 1 is kept for it (read from /data/values.csv): give the original file with --records FILE');
  });
});
