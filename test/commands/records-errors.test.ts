/**
 * Records files that are not what their name says, nest too deep, or hold values the server
 * would refuse: exit 2 naming file, line and column, in the words the server uses, before
 * anything is sent.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
import { publishJs, startTestServer, type TestServer } from '../server/helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let env: Record<string, string>;
let work: string;
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const TOO_DEEP = 'is nested more than 64 levels deep (arrays or objects within each other)';

beforeAll(async () => {
  server = await embeddedServer();
  work = await tempDir();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(work, 'config') };
});
afterAll(async () => server?.close());

async function runWith(name: string, text: string) {
  const path = join(work, name);
  await writeFile(path, text);
  return { path, r: await cli(['run', 'transmission', '1.0', '--records', path], env) };
}

describe('records files mlbatch cannot send', { timeout: 60_000 }, () => {
  it('a .csv holding JSON is refused as not CSV, naming the file and line (exit 2)', async () => {
    const { path, r } = await runWith('a.csv', '{"hp": [110]}');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mlbatch: ${path} line 1: not valid CSV (Invalid Opening Quote: a quote is found on field 0, value is "{"); ` +
      'it looks like JSON: name it .json or .jsonl, or say --format json\n');
    const unclosed = await runWith('open.csv', 'hp,wt\n110,2.6\n95,"3.1\n');
    expect(unclosed.r.code).toBe(2);
    expect(unclosed.r.stderr).toBe(`mlbatch: ${unclosed.path} line 3: not valid CSV (Quote Not Closed: the parsing is finished with an opening quote)\n`);
  });

  it('a value nested 10,000 deep in JSON, JSON lines or a columns file is refused with its line and column (exit 2)', async () => {
    const json = await runWith('deep.json', `[\n  {"hp": 110, "wt": 2.6},\n  {"hp": ${DEEP}, "wt": 3.1}\n]\n`);
    expect(json.r.code).toBe(2);
    expect(json.r.stderr).toBe(`mlbatch: ${json.path} line 3 (record 1), column "hp": ${TOO_DEEP}\n`);
    const jsonl = await runWith('deep.jsonl', `{"hp": 110, "wt": 2.6}\n{"hp": 95, "wt": ${DEEP}}\n`);
    expect(jsonl.r.code).toBe(2);
    expect(jsonl.r.stderr).toBe(`mlbatch: ${jsonl.path} line 2 (record 1), column "wt": ${TOO_DEEP}\n`);
    const columns = await runWith('columns.json', `{"hp": [110, 95],\n "wt": [2.6,\n  ${DEEP}]}\n`);
    expect(columns.r.code).toBe(2);
    expect(columns.r.stderr).toBe(`mlbatch: ${columns.path} line 3 (record 1), column "wt": ${TOO_DEEP}\n`);
    // Nothing was started.
    const ls = await cli(['ls', 'transmission', '1.0', '--json'], env);
    expect(JSON.parse(ls.stdout)).toEqual([]);
  });
});

describe('values the server would refuse', { timeout: 60_000 }, () => {
  let t: TestServer;
  let shapesEnv: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    await publishJs(t, 'shapes', { code: 'y = 1;', inputs: ['m:matrix', 'i:integer', 'df:data.frame', 'v:vector'], outputs: ['y'] });
    shapesEnv = { MLBATCH_HOST: t.server.url, MLBATCH_PASSWORD: 'test-password', XDG_CONFIG_HOME: join(work, 'config-shapes') };
  });
  afterAll(async () => t?.stop());

  const executions = async () => (await t.call<string[]>('GET', '/api/shapes/1.0/batch')).body;
  /** Requests that reached the server with records (a batch start, or a consume), from its request log. */
  const recordsSent = () => t.logs.filter((line) => line.startsWith('POST /api/')).length;
  /** `column "x": words` of each stderr line, as `input 'x' words`: how the server names the same problem. */
  const asServerWords = (stderr: string) => [...stderr.matchAll(/column "(\w+)": (.*)$/gm)].map((m) => `input '${m[1]}' ${m[2]}`);

  it('a ragged matrix or data frame, an unsafe integer or a number beyond a double is refused before sending, as the server refuses it', async () => {
    const lines = [
      '{"m": [[1, 2], [3, 4]], "i": 9007199254740991, "df": {"a": [1, 2], "b": [3, 4]}, "v": [1e308]}',
      '{"m": [[1, 2], [3]], "i": 2, "df": {"a": [1], "b": []}, "v": []}',
      '{"m": [], "i": 9007199254740993, "df": {}, "v": [1, [2, 1e999]]}',
    ];
    const path = join(work, 'shapes.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);
    const sent = recordsSent();
    const r = await cli(['run', 'shapes', '1.0', '--records', path], shapesEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `mlbatch: ${path} line 2 (record 1), column "m": must be matrix (an array of equal-length arrays), but row 1 has 1 value and row 0 has 2\n` +
      `${path} line 2 (record 1), column "df": must be data.frame (an object of equal-length column arrays), but column "b" has 0 values and column "a" has 1\n` +
      `${path} line 3 (record 2), column "i": must be integer (a whole number within ±9007199254740991), got 9007199254740992\n` +
      `${path} line 3 (record 2), column "v": holds 1e999, a number out of range (numbers must be finite, within ±1.8e308)\n`);
    expect(recordsSent()).toBe(sent);
    expect(await executions()).toEqual([]);

    // The same records sent as they are: the server names the same problems in the same words.
    const res = await t.call<{ message: string }>('POST', '/api/shapes/1.0/batch', `[${lines.join(',')}]`);
    expect(res.status).toBe(400);
    const [one, two] = res.body.message.replace(/ \(records are counted from 0\)$/, '').split(/; (?=record \d+: )/);
    const words = asServerWords(r.stderr);
    expect(one).toBe(`record 1: ${words.slice(0, 2).join('; ')}`);
    expect(two).toBe(`record 2: ${words.slice(2).join('; ')}`);
    expect(await executions()).toEqual([]);
  });

  it('in a CSV file too, where the integer is text and the matrix is JSON in a cell', async () => {
    const path = join(work, 'shapes.csv');
    await writeFile(path, 'm,i,df,v\n"[[1, 2], [3]]",9007199254740993,{},[]\n"[[1], [2]]",-9007199254740991,"{""a"": [1]}",[]\n');
    const sent = recordsSent();
    const r = await cli(['run', 'shapes', '1.0', '--records', path], shapesEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `mlbatch: ${path} line 2 (record 0), column "m": must be matrix (an array of equal-length arrays), but row 1 has 1 value and row 0 has 2\n` +
      `${path} line 2 (record 0), column "i": must be integer (a whole number within ±9007199254740991), got "9007199254740993"\n`);
    expect(recordsSent()).toBe(sent);
    expect(await executions()).toEqual([]);
    const res = await t.call<{ message: string }>('POST', '/api/shapes/1.0', { m: [[1, 2], [3]], i: '9007199254740993' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(asServerWords(r.stderr).join('; '));
  });

  it('records that keep the rules run', async () => {
    const path = join(work, 'fine.csv');
    await writeFile(path, 'm,i,df,v\n"[[1, 2], [3, 4]]",-9007199254740991,"{""a"": [1], ""b"": [2]}",[]\n');
    const r = await cli(['run', 'shapes', '1.0', '--records', path], shapesEnv);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(await executions()).toHaveLength(1);
  });
});
