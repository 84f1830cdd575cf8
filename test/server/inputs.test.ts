import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServiceResult } from '../../src/protocol.js';
import { probePython } from '../../src/server/runtime/pool.js';
import { params, startBatch, startTestServer, waitForEnd, type TestServer } from './helpers.js';

const hasPython = await probePython('python3');
const INPUTS = params('n:numeric', 'i:integer', 'flag:logical', 's:character', 'vec:vector', 'mat:matrix', 'df:data.frame');
// What a record read from a CSV file often looks like: numbers and logicals as text.
const TEXTUAL = { n: '3.5', i: '4', flag: 'TRUE', s: 12, vec: [1, 2], mat: [[1, 2], [3, 4]], df: { a: [1, 2] }, extra: 'x' };

describe('inputs are checked and coerced against inputParameterDefinitions', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 2 });
    const publish = async (name: string, runtimeType: string, code: string) => {
      const res = await t.call('POST', `/services/${name}/1.0`, {
        runtimeType,
        code,
        inputParameterDefinitions: INPUTS,
        outputParameterDefinitions: params('kinds:vector', 'echo:vector'),
      });
      expect(res.status).toBe(201);
    };
    await publish('kinds-js', 'JavaScript', `
      const all = [n, i, flag, s, vec, mat, df];
      const kinds = all.map((v) => v === undefined ? 'missing' : v === null ? 'null'
        : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
      const echo = all;`);
    await publish('kinds-py', 'Python', [
      'kinds = [type(v).__name__ for v in (n, i, flag, s, vec, mat, df)]',
      'echo = [n, i, flag, s, None, None, None]',
    ].join('\n'));
  });
  afterAll(() => t.stop());

  it('JavaScript code gets numbers, whole numbers, booleans and strings, whatever JSON form they came in', async () => {
    const res = await t.call<WebServiceResult>('POST', '/api/kinds-js/1.0', TEXTUAL);
    expect(res.status).toBe(200);
    expect(res.body.errorMessage).toBe('');
    expect(res.body.outputParameters.kinds).toEqual(['number', 'integer', 'boolean', 'string', 'array', 'array', 'object']);
    expect(res.body.outputParameters.echo).toEqual([3.5, 4, true, '12', [1, 2], [[1, 2], [3, 4]], { a: [1, 2] }]);
  });

  it('a missing or null input stays missing or null; undeclared fields are ignored', async () => {
    const res = await t.call<WebServiceResult>('POST', '/api/kinds-js/1.0', { n: null, i: 2, other: 'ignored' });
    expect(res.body.outputParameters.kinds).toEqual(['null', 'integer', 'missing', 'missing', 'missing', 'missing', 'missing']);
  });

  it.skipIf(!hasPython)('Python code gets the same values, with ML Server\'s Python types', async () => {
    const res = await t.call<WebServiceResult>('POST', '/api/kinds-py/1.0', TEXTUAL);
    expect(res.body.errorMessage).toBe('');
    expect((res.body.outputParameters.kinds as string[]).slice(0, 4)).toEqual(['float', 'int', 'bool', 'str']);
    expect(res.body.outputParameters.echo).toEqual([3.5, 4, true, '12', null, null, null]);
  });

  it('consume: a bad input answers 400 naming each input, its type and the value', async () => {
    const res = await t.call<{ message: string }>('POST', '/api/kinds-js/1.0', { n: 'abc', i: 2.5, flag: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/input 'n' must be numeric \(a number\), got "abc"/);
    expect(res.body.message).toMatch(/input 'i' must be integer \(a whole number\), got 2\.5/);
    expect(res.body.message).toMatch(/input 'flag' must be logical \(true or false\), got "maybe"/);
  });

  it('batch: bad records answer 400 naming record index and input, and nothing starts', async () => {
    const records = [
      { n: 1 },
      { n: '0x10' },
      { n: 2, mat: [[1, 2], [3]] },
      { n: 3 },
      { df: { a: [1, 2], b: [3] } },
      { s: { nested: true } },
      ...Array.from({ length: 10 }, () => ({ vec: 'not an array' })),
    ];
    for (const name of ['kinds-js', 'kinds-py']) {
      const res = await t.call<{ message: string }>('POST', `/api/${name}/1.0/batch`, records);
      expect(res.status).toBe(400);
      const m = res.body.message;
      expect(m).toMatch(/record 1: input 'n' must be numeric \(a number\), got "0x10"/);
      expect(m).toMatch(/record 2: input 'mat' must be matrix \(an array of equal-length arrays\)/);
      expect(m).toMatch(/record 4: input 'df' must be data\.frame \(an object of equal-length column arrays\)/);
      expect(m).toMatch(/record 5: input 's' must be character/);
      expect(m).not.toMatch(/record 0|record 3/);
      // Five listed (records 1, 2, 4, 5, 6), nine more counted.
      expect(m).toMatch(/and 9 more records/);
      expect((await t.call<string[]>('GET', `/api/${name}/1.0/batch`)).body).toEqual([]);
    }
  });

  it('batch: records are coerced before they run, and stay so in every result', async () => {
    const id = await startBatch(t, 'kinds-js', [TEXTUAL, { ...TEXTUAL, n: 7, flag: 0 }], 2);
    const end = await waitForEnd(t, 'kinds-js', id);
    expect(end.batchExecutionResults.map((r) => r!.outputParameters.echo)).toEqual([
      [3.5, 4, true, '12', [1, 2], [[1, 2], [3, 4]], { a: [1, 2] }],
      [7, 4, false, '12', [1, 2], [[1, 2], [3, 4]], { a: [1, 2] }],
    ]);
  });
});
