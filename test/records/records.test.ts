import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { previewRecords, readRecords, RecordsError } from '../../src/index.js';
import type { ParameterDefinition } from '../../src/protocol.js';
import { tempDir } from '../helpers.js';

const INPUTS: ParameterDefinition[] = [
  { name: 'hp', type: 'integer' }, { name: 'wt', type: 'numeric' }, { name: 'manual', type: 'logical' },
  { name: 'model', type: 'character' }, { name: 'tags', type: 'vector' },
];
let dir: string;
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a RecordsError'); }, (e: unknown) => {
  expect(e).toBeInstanceOf(RecordsError);
  return e as RecordsError;
});

beforeAll(async () => {
  dir = await tempDir();
});

describe('readRecords', () => {
  it('orders and coerces CSV cells by the inputs, warning about extra columns', async () => {
    const path = await file('cars.csv', '\uFEFFmodel,wt,extra,hp,manual,tags\n"Mazda, RX4",2.62,x,110,TRUE,"[1,2]"\nFiat 128,2.2,y,66,f,[]\n');
    const { records, warnings, format } = await readRecords(path, INPUTS);
    expect(format).toBe('csv');
    expect(records).toEqual([
      { hp: 110, wt: 2.62, manual: true, model: 'Mazda, RX4', tags: [1, 2] },
      { hp: 66, wt: 2.2, manual: false, model: 'Fiat 128', tags: [] },
    ]);
    expect(Object.keys(records[0])).toEqual(['hp', 'wt', 'manual', 'model', 'tags']);
    expect(warnings).toEqual([`${path}: ignored column the service does not take: "extra"`]);
  });

  it('names the file, line, record, column and expected type of each bad value', async () => {
    const path = await file('bad.tsv', 'hp\twt\tmanual\tmodel\ttags\n110\t2.6\ttrue\ta\t[]\n1.5\tabc\tmaybe\tb\t[]\n7\t0x1A\tno\tc\t[]\n8\t-.5e1\tno\td\t[]\n');
    const err = await failure(readRecords(path, INPUTS));
    expect(err.message.split('\n')).toEqual([
      `${path} line 3 (record 1), column "hp": must be integer (a whole number), got "1.5"`,
      `${path} line 3 (record 1), column "wt": must be numeric (a number), got "abc"`,
      `${path} line 3 (record 1), column "manual": must be logical (true or false), got "maybe"`,
      `${path} line 4 (record 2), column "wt": must be numeric (a number), got "0x1A"`,
    ]);
  });

  it('stops at the header when an input column is missing', async () => {
    const path = await file('missing.csv', 'hp,model\n1,a\n');
    const err = await failure(readRecords(path, INPUTS));
    expect(err.message).toBe(`${path} line 1: missing input columns "wt" (numeric), "manual" (logical), "tags" (vector); the header has "hp", "model"`);
  });

  it('shows column names and values from the file with their control characters escaped', async () => {
    const path = await file('hostile.csv', 'hp\u001b[2J,wt\u202e\n1,2\n');
    const err = await failure(readRecords(path, INPUTS));
    expect(err.message).toBe(`${path} line 1: missing input columns "hp" (integer), "wt" (numeric), "manual" (logical), "model" (character), ` +
      '"tags" (vector); the header has "hp\\u001b[2J", "wt\\u202e"');
    const preview = await previewRecords(await file('cell.csv', 'hp\n\u009b2J\n'), [{ name: 'hp', type: 'integer' }]);
    expect(preview.rows[0].problems).toEqual(['hp: must be integer (a whole number), got "\\u009b2J"']);
  });

  it('refuses a value nested deeper than 64 levels, in any format, naming its line and column', async () => {
    const nest = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    const inputs: ParameterDefinition[] = [{ name: 'tags', type: 'vector' }];
    const ok = await readRecords(await file('ok.jsonl', `{"tags": ${nest(64)}}\n`), inputs);
    expect(JSON.stringify(ok.records[0].tags)).toBe(nest(64));
    const tooDeep = 'is nested more than 64 levels deep (arrays or objects within each other)';
    const jsonl = join(dir, 'deep.jsonl');
    expect((await failure(readRecords(await file('deep.jsonl', `{"tags": ${nest(65)}}\n`), inputs))).message)
      .toBe(`${jsonl} line 1 (record 0), column "tags": ${tooDeep}`);
    // A CSV cell holds the vector as JSON text.
    const csv = join(dir, 'deep.csv');
    expect((await failure(readRecords(await file('deep.csv', `tags\n"${nest(65)}"\n`), inputs))).message)
      .toBe(`${csv} line 2 (record 0), column "tags": ${tooDeep}`);
    // A service without declared inputs gets records as read: their nesting is checked all the same.
    const json = join(dir, 'deep.json');
    expect((await failure(readRecords(await file('deep.json', `[{"a": 1},\n {"b": {"c": ${nest(70)}}}]`), []))).message)
      .toBe(`${json} line 2 (record 1), column "b": ${tooDeep}`);
    // Far deeper than the stack allows to walk recursively.
    const huge = `{"tags": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`;
    expect((await failure(readRecords(await file('huge.jsonl', huge), inputs))).message).toMatch(/nested more than 64 levels deep/);
  });

  it('reads JSON arrays, JSON objects of columns and JSONL', async () => {
    const inputs: ParameterDefinition[] = [{ name: 'hp', type: 'numeric' }, { name: 'wt', type: 'numeric' }];
    const want = [{ hp: 110, wt: 2.62 }, { hp: 93, wt: 2.32 }];
    expect((await readRecords(await file('a.json', JSON.stringify([{ wt: 2.62, hp: 110 }, { hp: '93', wt: 2.32 }])), inputs)).records).toEqual(want);
    expect((await readRecords(await file('c.json', JSON.stringify({ hp: [110, 93], wt: [2.62, 2.32] })), inputs)).records).toEqual(want);
    expect((await readRecords(await file('l.jsonl', '{"hp":110,"wt":2.62}\n\n{"hp":93,"wt":2.32}\n'), inputs)).records).toEqual(want);
    const uneven = await failure(readRecords(await file('u.json', JSON.stringify({ hp: [1, 2], wt: [1] })), inputs));
    expect(uneven.message).toMatch(/column "wt" has 1 values but "hp" has 2/);
    const badLine = await failure(readRecords(await file('b.jsonl', '{"hp":1,"wt":2}\n{"hp":\n'), inputs));
    expect(badLine.message).toMatch(/b\.jsonl line 2: not valid JSON/);
    const missingKey = await failure(readRecords(await file('m.json', JSON.stringify([{ hp: 1, wt: 2 }, { hp: 1 }])), inputs));
    expect(missingKey.message).toBe(`${join(dir, 'm.json')} line 1 (record 1), column "wt": is missing; expected numeric`);
  });

  it('explains empty, header-only, oversized, unknown and unreadable files', async () => {
    const inputs: ParameterDefinition[] = [{ name: 'hp', type: 'numeric' }];
    expect((await failure(readRecords(await file('e.csv', ''), inputs))).message).toMatch(/e\.csv: is empty: no records to send/);
    expect((await failure(readRecords(await file('h.csv', 'hp\n'), inputs))).message).toMatch(/h\.csv: has no records/);
    expect((await failure(readRecords(await file('big.csv', 'hp\n1\n2\n'), inputs, { maxBytes: 4 }))).message)
      .toMatch(/big\.csv: is 7 B, over the 4 B limit/);
    expect((await failure(readRecords(await file('x.xls', 'hp\n1\n'), inputs))).message).toMatch(/unknown format/);
    expect((await failure(readRecords(join(dir, 'nope.csv'), inputs))).message).toMatch(/nope\.csv: no such file/);
    // A short row (as spreadsheets write them) reads as missing values, named like any other.
    const ragged = await failure(readRecords(await file('ragged.csv', 'hp,wt\n1,2\n3\n'), [...inputs, { name: 'wt', type: 'numeric' }]));
    expect(ragged.message).toMatch(/ragged\.csv line 3 \(record 1\), column "wt": is missing; expected numeric$/);
  });

  it('streams a large CSV', async () => {
    const lines = ['id,value'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},${i / 7}`);
    const path = await file('large.csv', `${lines.join('\n')}\n`);
    const { records } = await readRecords(path, [{ name: 'id', type: 'integer' }, { name: 'value', type: 'numeric' }]);
    expect(records.length).toBe(50_000);
    expect(records[49_999]).toEqual({ id: 49_999, value: 49_999 / 7 });
  });
});

describe('previewRecords', () => {
  it('gives the first rows with per-row problems, never throwing', async () => {
    const path = await file('p.csv', 'hp,wt,manual,model,tags,more\n1,2,true,a,[]\n,2,true,b,[]\n3,4,no,c,[1]\n4,4,no,d,[1]\n');
    const preview = await previewRecords(path, INPUTS, { rows: 3 });
    expect(preview.columns).toEqual(['hp', 'wt', 'manual', 'model', 'tags', 'more']);
    expect(preview.rows.map((r) => r.problems)).toEqual([[], ['hp: is empty; expected integer'], []]);
    expect(preview.rows[2].values).toEqual({ hp: 3, wt: 4, manual: false, model: 'c', tags: [1] });
    expect(preview.warnings[0]).toMatch(/"more"/);
    const missing = await previewRecords(await file('q.csv', 'hp\n1\n'), INPUTS);
    expect(missing.error).toMatch(/missing input columns/);
    expect(missing.rows).toEqual([]);
  });
});
