/**
 * Every command against a server (and records files) whose text would act on a terminal: screen
 * clears, window titles, C1 controls, BEL, NUL, CR and bidi overrides never reach stdout or
 * stderr raw; they show as visible escapes, and --json still carries the exact text.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, tempDir, tinyServer } from '../helpers.js';
import { cli, type CliResult } from './cli-helpers.js';

/** Clears the screen, retitles the window, rings, hides text and reverses what follows it. */
const H = 'esc\u001b[2J osc\u001b]0;pwned\u0007 c1\u009b2J nul\u0000 cr\r bidi\u202etxt.exe del\u007f';
/** How `H` reads once made safe. */
const SHOWN = 'esc\\u001b[2J osc\\u001b]0;pwned\\u0007 c1\\u009b2J nul\\u0000 cr\\r bidi\\u202etxt.exe del\\u007f';
const FILES = ['esc\u001b[2J', 'c1\u009b2J', '\u202etxt.exe', 'ok.txt'];
// An execution id is also typed back as an argument, which cannot hold NUL.
const ODD_ID = 'id\u001b[2J\u009b\u202e\r';
const ODD_SHOWN = 'id\\u001b[2J\\u009b\\u202e\\r';
// Anything a terminal acts on, but the newline that ends a line.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let server: Awaited<ReturnType<typeof tinyServer>>;
let env: Record<string, string>;
let work: string;

const poll = (state: string) => ({
  state, totalItemCount: 1, completedItemCount: 1,
  batchExecutionResults: [{
    success: false, errorMessage: H, consoleOutput: H, changedFiles: [], outputParameters: { [`out${H}`]: H }, outputFiles: {},
  }],
});

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const get = req.method === 'GET';
    if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (p === '/services' && get) {
      return sendJson(res, 200, [{
        name: `svc${H}`, version: `1${H}`, runtimeType: H, description: H,
        inputParameterDefinitions: [{ name: `in${H}`, type: 'numeric' }], outputParameterDefinitions: [{ name: `out${H}`, type: H }],
      }]);
    }
    if (p === '/services/s/1' || p === '/services/t/1') {
      return sendJson(res, 200, {
        name: p.split('/')[2], version: '1', inputParameterDefinitions: [{ name: 'hp', type: 'numeric' }],
        outputParameterDefinitions: [{ name: `out${H}`, type: 'character' }],
      });
    }
    if (p === '/api/s/1/batch' && get) return sendJson(res, 200, ['EXEC01', ODD_ID, 'GONE01']);
    if (p === '/api/s/1/batch') return sendJson(res, 400, { message: H });
    if (p === '/api/t/1/batch') return sendJson(res, 200, { batchExecutionId: ODD_ID });
    if (p === '/api/s/1/batch/EXEC01') return sendJson(res, 200, poll('Complete'));
    if (p === `/api/s/1/batch/${ODD_ID}`) return sendJson(res, 200, poll(H));
    if (p === '/api/s/1/batch/EXEC01/0/files') return sendJson(res, 200, FILES);
    if (p.startsWith('/api/s/1/batch/EXEC01/0/files/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end('payload');
    }
    sendJson(res, 404, { message: H });
  });
  work = await tempDir();
  env = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: 'p', XDG_CONFIG_HOME: join(work, 'config') };
});
afterAll(async () => server?.close());

/** Runs a command and checks nothing raw reached the terminal. */
async function run(args: string[]): Promise<CliResult> {
  const r = await cli(args, env);
  expect(r.stdout).not.toMatch(RAW);
  expect(r.stderr).not.toMatch(RAW);
  return r;
}

describe('text from a hostile server or records file', { timeout: 60_000 }, () => {
  it('services: names, versions, runtimes and parameters show escaped; --json keeps them exact', async () => {
    const text = await run(['services']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`svc${SHOWN}`);
    expect(text.stdout).toContain(`in${SHOWN}:numeric`);
    const json = await run(['services', '--json']);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ name: `svc${H}`, description: H });
  });

  it('status: the server\'s error message and raw state show escaped', async () => {
    const gone = await run(['status', 's', '1', 'GONE01']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`(server said: ${SHOWN})`);
    const waited = await run(['status', 's', '1', 'GONE01', '--wait']);
    expect(waited.code).toBe(2);
    expect(waited.stderr).toContain(`(server said: ${SHOWN})`);
    const json = await run(['status', 's', '1', ODD_ID, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ executionId: ODD_ID, rawState: H, state: 'InProgress' });
    const text = await run(['status', 's', '1', ODD_ID]);
    expect(text.stdout).toMatch(/^id.* InProgress 1\/1 done/);
  });

  it('ls: execution ids and per-execution errors show escaped', async () => {
    const r = await run(['ls', 's', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(ODD_SHOWN);
    expect(r.stdout).toMatch(/GONE01 +unknown +404 Not Found .*\(server said: esc\\u001b\[2J/);
    const json = await run(['ls', 's', '1', '--json']);
    expect(JSON.parse(json.stdout)[1]).toMatchObject({ executionId: ODD_ID });
  });

  it('artifacts: file names show escaped, one a line; --json keeps them exact', async () => {
    const r = await run(['artifacts', 's', '1', 'EXEC01', '0']);
    expect(r.stdout).toBe('esc\\u001b[2J\nc1\\u009b2J\n\\u202etxt.exe\nok.txt\n');
    const json = await run(['artifacts', 's', '1', 'EXEC01', '0', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(FILES);
  });

  it('download: refused names show escaped before and inside the quotes; --sanitize writes safe names', async () => {
    const dest = join(work, 'dl');
    const strict = await run(['download', 's', '1', 'EXEC01', '--all', '--dest', dest]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error: index 0 esc\\u001b[2J: refused the server\'s file name "esc\\u001b[2J": it contains control');
    expect(strict.stderr).toContain('error: index 0 \\u202etxt.exe: refused the server\'s file name "\\u202etxt.exe": it contains a bidirectional');
    expect(await readdir(join(dest, '0'))).toEqual(['ok.txt']);
    const sanitized = await run(['download', 's', '1', 'EXEC01', '0', '--dest', dest, '--sanitize']);
    expect(sanitized.code).toBe(0);
    expect((await readdir(join(dest, '0'))).sort()).toEqual(['_txt.exe', 'c1_2J', 'esc_[2J', 'ok.txt']);
  });

  it('export: errors, output names and outputs are escaped in CSV; JSON lines keep them exact', async () => {
    const csv = await run(['export', 's', '1', 'EXEC01', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(`index,state,error,out${SHOWN}\n0,Failed,${SHOWN},${SHOWN}\n`);
    const jsonl = await run(['export', 's', '1', 'EXEC01', '--format', 'jsonl']);
    expect(JSON.parse(jsonl.stdout)).toMatchObject({ index: 0, state: 'Failed', error: H, outputs: { [`out${H}`]: H } });
    const out = join(work, 'export.csv');
    const note = await run(['export', 's', '1', ODD_ID, '--format', 'csv', '--out', out]);
    expect(note.stderr).toContain(`note: execution ${ODD_SHOWN} is still InProgress`);
  });

  it('run: a refused start shows the server\'s message escaped, and a started id is shown escaped', async () => {
    const records = join(work, 'good.csv');
    await writeFile(records, 'hp,extra\u009b\n110,1\n');
    const refused = await run(['run', 's', '1', '--records', records]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`400 Bad Request from POST /api/s/1/batch`);
    expect(refused.stderr).toContain(`(server said: ${SHOWN})`);
    const started = await run(['run', 't', '1', '--records', records]);
    expect([started.code, started.stdout]).toEqual([0, `${ODD_SHOWN}\n`]);
    expect(started.stderr).toBe(`warning: ${records}: ignored column the service does not take: "extra\\u009b"\n`);
  });

  it('records errors: a hostile header or cell shows escaped, with its file and line', async () => {
    const header = join(work, 'header.csv');
    await writeFile(header, 'horsepower\u001b[2J,\u202ewt\n110,2\n');
    const missing = await run(['run', 's', '1', '--records', header]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`mlbatch: ${header} line 1: missing input column "hp" (numeric); ` +
      'the header has "horsepower\\u001b[2J", "\\u202ewt"\n');
    const cells = join(work, 'cells.csv');
    await writeFile(cells, 'hp,extra\u009b\n\u009b2J,1\n\u001b]0;t\u0007,2\n');
    const bad = await run(['run', 's', '1', '--records', cells]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`mlbatch: ${cells} line 2 (record 0), column "hp": must be numeric (a number), got "\\u009b2J"\n` +
      `${cells} line 3 (record 1), column "hp": must be numeric (a number), got "\\u001b]0;t\\u0007"\n`);
  });
});
