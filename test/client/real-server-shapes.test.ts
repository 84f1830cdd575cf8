/** Tolerance: a small real HTTP server answering the way a real ML Server does (not our server). */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, downloadMany, Poller, realClock, type Client, type Clock } from '../../src/index.js';
import { ITEM_CODE } from '../../src/protocol.js';
import { sendJson, tempDir, tinyServer } from '../helpers.js';

const ID = 'f4b1c0de-0000-4000-8000-000000000001';
let logins = 0;
let refreshes = 0;
let polls = 0;
let flakyCalls = 0;
const startQueries: string[] = [];
let server: Awaited<ReturnType<typeof tinyServer>>;
let client: Client;
/** The real time, run `ahead` ms fast: a token ages without the test waiting for it. */
let ahead = 0;
const clock: Clock = { now: () => Date.now() + ahead, sleep: realClock.sleep };

// ML Server speaks PascalCase, answers a service as an array, sends null lists and no per-item state.
const SERVICE = [{
  Name: 'scorer', Version: 'v1', RuntimeType: 'R', VersionPublishedBy: 'alice', OperationId: 'score',
  InputParameterDefinitions: [{ Name: 'x', Type: 'numeric' }],
  OutputParameterDefinitions: [{ Name: 'y', Type: 'integer' }, { Name: 'ok', Type: 'logical' }, { Name: 'df', Type: 'data.frame' }],
  OutputFileNames: null,
}];

function result(i: number) {
  return {
    Success: i !== 3, ErrorMessage: i === 3 ? 'Error in eval: object x not found' : '', ConsoleOutput: `row ${i}`,
    ChangedFiles: null, OutputParameters: { y: [i * 2.0], ok: ['TRUE'], df: [{ a: i, b: 'x' }] }, OutputFiles: null,
  };
}

beforeAll(async () => {
  server = await tinyServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === '/login') {
      logins++;
      // Expires 30 s from now: renewed a quarter of its life (7.5 s) before that.
      return sendJson(res, 200, { token_type: 'Bearer', access_token: `tok${logins}`, expires_in: 30,
        expires_on: String(Math.floor(Date.now() / 1000) + 30), refresh_token: 'refresh-1' });
    }
    if (p === '/login/refreshToken') {
      refreshes++;
      expect(JSON.parse(body)).toEqual({ refreshToken: 'refresh-1' });
      return sendJson(res, 200, { token_type: 'Bearer', access_token: `fresh${refreshes}`, expires_in: 3600,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600), refresh_token: 'refresh-1' });
    }
    if (!/^Bearer (tok|fresh)/.test(req.headers.authorization ?? '')) return sendJson(res, 401, { Message: 'Unauthorized' });
    if (p === '/services/scorer/v1') return sendJson(res, 200, SERVICE);
    // A swagger document sent as a JSON string holding it.
    if (p === '/api/scorer/v1/swagger.json') return sendJson(res, 200, JSON.stringify({ swagger: '2.0', paths: { '/api/scorer/v1': {} } }));
    if (p === '/api/scorer/v1/batch' && req.method === 'POST') {
      startQueries.push(url.search);
      return sendJson(res, 200, { Name: 'scorer', Version: 'v1', BatchExecutionId: ID });
    }
    // A server that refuses to cancel what it cannot cancel, ended or not.
    const refusing = p.match(/^\/api\/scorer\/v1\/batch\/(ended|running)$/);
    if (refusing && req.method === 'DELETE') return sendJson(res, refusing[1] === 'ended' ? 400 : 409, { Message: 'cannot cancel' });
    if (refusing) return sendJson(res, 200, { State: refusing[1] === 'ended' ? 'Complete' : 'InProgress', TotalItemCount: 2, CompletedItemCount: 1 });
    if (p === `/api/scorer/v1/batch/${ID}`) {
      polls++;
      // First a short array with no state per item, then the whole answer, lower-case state.
      if (polls === 1) return sendJson(res, 200, { State: 'Running', TotalItemCount: 6, CompletedItemCount: 2, BatchExecutionResults: [result(0), result(1)] });
      if (polls === 2) return sendJson(res, 200, { State: 'SomethingNew', TotalItemCount: 6, CompletedItemCount: 2 });
      return sendJson(res, 200, { state: 'complete', totalItemCount: 6, completedItemCount: 6, batchExecutionResults: [0, 1, 2, 3, 4, 5].map(result) });
    }
    const files = p.match(/^\/api\/scorer\/v1\/batch\/[^/]+\/(\d+)\/files(?:\/(.+))?$/);
    if (files && !files[2]) return sendJson(res, 200, files[1] === '1' ? null : ['out.txt', 'plot.png']);
    if (files) {
      // A JSON string of base64, the way a real server may send a file.
      if (files[1] === '5' && flakyCalls++ < 2) return sendJson(res, 503, { Message: 'busy' });
      return sendJson(res, 200, Buffer.from(`index ${files[1]} ${decodeURIComponent(files[2])}`).toString('base64'));
    }
    sendJson(res, 404, { Message: 'not found' });
  });
  client = await connect({ host: server.url, username: 'admin', password: 'pw', retryBaseMs: 10, clock });
  // 25 s later, by the client's clock: the token is within its renewal margin, so it is renewed before the next call.
  ahead = 25_000;
});
afterAll(async () => server?.close());

describe('a real ML Server\'s answers', () => {
  it('reads a service answered as an array with PascalCase keys and null lists', async () => {
    const svc = await client.getService('scorer', 'v1');
    expect(svc.inputs).toEqual([{ name: 'x', type: 'numeric' }]);
    expect(svc.capabilities()).toMatchObject({ outputFileNames: [], artifacts: [], publishedBy: 'alice', operationId: 'score', runtimeType: 'R' });
    expect(await svc.swagger()).toEqual({ swagger: '2.0', paths: { '/api/scorer/v1': {} } });
    // The token expired within the margin, so it was renewed with the refresh token, not the password.
    expect(refreshes).toBe(1);
    expect(logins).toBe(1);
  });

  it('starts, reads BatchExecutionId, infers Running, tolerates short and missing results', async () => {
    const svc = await client.getService('scorer', 'v1');
    const batch = await svc.batch([1, 2, 3, 4, 5, 6].map((x) => ({ x })), { parallelCount: 2 }).start();
    expect(batch.executionId).toBe(ID);
    expect(startQueries[0]).toBe('?parallelCount=2');
    const seen: { state: string; items: number[]; reported: boolean; first?: unknown }[] = [];
    const last = await new Poller(batch, {
      minIntervalMs: 10, results: 'full',
      onUpdate: (s) => seen.push({ state: s.state, items: Array.from(s.items), reported: s.itemStatesReported, first: s.result(0)?.consoleOutput }),
    }).run();
    const { Complete: C, Running: R, Pending: P, Failed: F } = ITEM_CODE;
    // "Running" is not a known execution state: treated as in progress; the first two unfinished run.
    expect(seen[0]).toEqual({ state: 'InProgress', items: [C, C, R, R, P, P], reported: false, first: 'row 0' });
    // An unknown state and no results: still in progress, finished items and their results stay.
    expect(seen[1]).toEqual({ state: 'InProgress', items: [C, C, R, R, P, P], reported: false, first: 'row 0' });
    expect(last.state).toBe('Complete');
    expect(Array.from(last.items)).toEqual([C, C, C, F, C, C]);
    expect(last.counts).toEqual([0, 0, 5, 1, 0]);
    const r0 = last.result(0)!;
    expect(r0.outputs).toEqual({ y: 0, ok: true, df: { a: [0], b: ['x'] } });
    expect(r0.rawOutputs.y).toEqual([0]);
    expect(last.result(3)?.error).toMatch(/object x not found/);
    expect(last.result(3)?.success).toBe(false);
  });

  it('takes a refused cancel of an ended execution as done, and reports one of a running execution', async () => {
    const svc = await client.getService('scorer', 'v1');
    await expect(svc.getBatch('ended').cancel()).resolves.toBeUndefined();
    await expect(svc.getBatch('running').cancel()).rejects.toThrow(/^409 Conflict from DELETE \/api\/scorer\/v1\/batch\/running: the server is in a state that does not allow this now/);
  });

  it('treats a null file list as empty and decodes base64 JSON artifacts, retrying a 503', async () => {
    const batch = (await client.getService('scorer', 'v1')).getBatch(ID);
    expect(await batch.listArtifacts(1)).toEqual([]);
    expect((await batch.artifact(2, 'out.txt')).toString()).toBe('index 2 out.txt');
    const dest = await tempDir();
    // A file left from an earlier run with the same content: kept, reported identical.
    await mkdir(join(dest, '0'));
    await writeFile(join(dest, '0', 'out.txt'), 'index 0 out.txt');
    const progress: number[] = [];
    const res = await downloadMany(batch, {
      indices: [0, 1, 2, 5], destination: dest, concurrency: 3, onProgress: (p) => progress.push(p.filesDone),
    });
    expect(res.failed).toBe(0);
    expect(res.files.map((f) => `${f.index}/${f.fileName}:${f.outcome}`)).toEqual([
      '0/out.txt:identical', '0/plot.png:written', '2/out.txt:written', '2/plot.png:written', '5/out.txt:written', '5/plot.png:written',
    ]);
    expect(await readdir(dest)).toEqual(['0', '2', '5']);
    expect(await readFile(join(dest, '5', 'plot.png'), 'utf8')).toBe('index 5 plot.png');
    expect(progress.at(-1)).toBe(6);
    expect(flakyCalls).toBeGreaterThanOrEqual(3);
  });
});
