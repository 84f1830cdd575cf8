/** Records files that are not what their name says, or nest too deep: exit 2 naming file, line and column. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';
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
