/** A hostile or broken server: unsafe file names, truncated and huge bodies, 401s and 5xx on POST. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect, downloadMany, MlBatchHttpError, MlBatchNetworkError, MlBatchProtocolError, Poller, type Client,
} from '../../src/index.js';
import { sendJson, tempDir, tinyServer } from '../helpers.js';

const EVIL = ['../escape.txt', '/etc/passwd-copy', 'a/../../b.txt', 'nul\u0000byte.txt', 'CON', 'ok.txt', '..', 'C:\\win.txt'];
// Names that act on a terminal listing them: a C1 CSI, an OSC title, a right-to-left override.
const TERMINAL_EVIL = ['c1\u009b2J', 'osc\u009d0;t\u009c', '\u202etxt.exe', 'esc\u001b[2J'];
let posts = 0;
let tokenCalls = 0;
let server: Awaited<ReturnType<typeof tinyServer>>;
let client: Client;

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (p === '/login') {
      tokenCalls++;
      return sendJson(res, 200, { access_token: `t${tokenCalls}`, expires_in: 3600, refresh_token: 'r' });
    }
    if (p === '/login/refreshToken') {
      tokenCalls++;
      return sendJson(res, 200, { access_token: `t${tokenCalls}`, expires_in: 3600, refresh_token: 'r' });
    }
    const auth = req.headers.authorization ?? '';
    if (p === '/services/s/1') {
      // The first token is "revoked": answer 401 until the client renews.
      if (auth === 'Bearer t1') return sendJson(res, 401, { message: 'token revoked' });
      return sendJson(res, 200, { name: 's', version: '1', inputParameterDefinitions: [] });
    }
    if (p === '/services/always401/1') return sendJson(res, 401, { message: 'no' });
    if (p === '/services/rude/1') return sendJson(res, 404, { message: 'gone\u001b[2J\u001b]0;t\u0007\u009b\u202e' });
    if (p === '/api/s/1/batch' && req.method === 'POST') {
      posts++;
      return sendJson(res, 503, { message: 'overloaded' });
    }
    if (p === '/api/s/1/batch/E/0/files') return sendJson(res, 200, EVIL);
    if (p === '/api/s/1/batch/E/1/files') return sendJson(res, 200, TERMINAL_EVIL);
    if (p.startsWith('/api/s/1/batch/E/1/files/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end('payload');
    }
    if (p.startsWith('/api/s/1/batch/E/0/files/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end('payload');
    }
    if (p === '/api/s/1/batch/TRUNC') {
      // Promises 1000 bytes, sends 20, then drops the connection.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"state":"Complete",');
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (p === '/api/s/1/batch/SLOW') return; // never answers
    if (p === '/api/s/1/batch/ENORMOUS') return sendJson(res, 200, { state: 'InProgress', totalItemCount: 1e12, completedItemCount: 0 });
    if (p === '/api/s/1/batch/ODD') return sendJson(res, 200, { state: 'InProgress', totalItemCount: 3.7, completedItemCount: -2 });
    if (p === '/api/s/1/batch/NOTJSON') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"state":"Compl');
    }
    if (p === '/api/s/1/batch/HUGE') {
      // No content-length: the client must count bytes itself and stop.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    sendJson(res, 404, { message: 'nope' });
  });
  client = await connect({ host: server.url, username: 'u', password: 'p', retries: 2, retryBaseMs: 10, maxResponseBytes: 1024 * 1024 });
});
afterAll(async () => server?.close());

describe('a hostile server', () => {
  it('renews the token once after a 401 and retries the call', async () => {
    const svc = await client.getService('s', '1');
    expect(svc.name).toBe('s');
    expect(tokenCalls).toBe(2);
  });

  it('does not loop on a 401 that renewal cannot fix', async () => {
    const before = tokenCalls;
    const err = await client.getService('always401', '1').catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err.message).toMatch(/^401 Unauthorized from GET \/services\/always401\/1: .*log in again/);
    expect(tokenCalls).toBe(before + 1);
  });

  it('makes the server\'s message safe to show where the error is built, keeping it exact apart', async () => {
    const err = await client.getService('rude', '1').catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err.message).toMatch(/\(server said: gone\\u001b\[2J\\u001b\]0;t\\u0007\\u009b\\u202e\)$/);
    expect(err.serverMessage).toBe('gone\u001b[2J\u001b]0;t\u0007\u009b\u202e');
  });

  it('never retries a start, even on a 503', async () => {
    const svc = await client.getService('s', '1');
    const err = await svc.batch([{ a: 1 }]).start().catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/not retried/);
    expect(posts).toBe(1);
  });

  it('never writes outside the destination, whatever the file names', async () => {
    const batch = (await client.getService('s', '1')).getBatch('E');
    const parent = await tempDir();
    const dest = join(parent, 'dest');
    const strict = await downloadMany(batch, { indices: [0], destination: dest });
    expect(strict.files.filter((f) => f.outcome === 'written').map((f) => f.fileName)).toEqual(['ok.txt']);
    expect(strict.failed).toBe(EVIL.length - 1);
    expect(strict.files.find((f) => f.fileName === '../escape.txt')?.error).toMatch(/refused the server's file name.*path separator/);
    expect(await readdir(parent)).toEqual(['dest']);
    expect(await readdir(join(dest, '0'))).toEqual(['ok.txt']);

    const sanitized = await downloadMany(batch, { indices: [0], destination: dest, names: 'sanitize' });
    // ".." cannot even be fetched: in a URL it would name the parent endpoint.
    expect(sanitized.files.filter((f) => f.error).map((f) => [f.fileName, f.error])).toEqual([
      ['..', 'cannot fetch a file named "..": it is not a file name'],
    ]);
    expect((await readdir(join(dest, '0'))).sort()).toEqual(['_CON', 'b.txt', 'escape.txt', 'nulbyte.txt', 'ok.txt', 'passwd-copy', 'win.txt']);
    expect(await readdir(parent)).toEqual(['dest']);
  });

  it('refuses C1 and bidirectional characters in file names, or replaces them with --sanitize', async () => {
    const batch = (await client.getService('s', '1')).getBatch('E');
    const dest = join(await tempDir(), 'dest');
    const strict = await downloadMany(batch, { indices: [1], destination: dest });
    expect(strict.failed).toBe(TERMINAL_EVIL.length);
    expect(strict.files.map((f) => f.error).sort()).toEqual([
      'refused the server\'s file name "\\u202etxt.exe": it contains a bidirectional control character',
      'refused the server\'s file name "c1\\u009b2J": it contains control or reserved characters',
      'refused the server\'s file name "esc\\u001b[2J": it contains control or reserved characters',
      'refused the server\'s file name "osc\\u009d0;t\\u009c": it contains control or reserved characters',
    ]);
    await expect(readdir(join(dest, '1'))).rejects.toThrow(/ENOENT/);
    const sanitized = await downloadMany(batch, { indices: [1], destination: dest, names: 'sanitize' });
    expect(sanitized.failed).toBe(0);
    expect((await readdir(join(dest, '1'))).sort()).toEqual(['_txt.exe', 'c1_2J', 'esc_[2J', 'osc_0;t_']);
  });

  it('reports a truncated body clearly (after retrying the GET)', async () => {
    const err = await client.getService('s', '1').then((s) => s.getBatch('TRUNC').results()).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(/^GET \/api\/s\/1\/batch\/TRUNC failed/);
  });

  it('gives up on a server that never answers, saying so, with no retry once its limit is spent', async () => {
    const began = Date.now();
    const err = await client.getService('s', '1').then((s) => s.getBatch('SLOW').results({ timeoutMs: 300 })).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toBe('GET /api/s/1/batch/SLOW failed (the request took longer than 0.3 s): the server may be overloaded '
      + 'or stuck; try again later, or raise the limit (MLBATCH_TIMEOUT, MLBATCH_STALL_TIMEOUT: seconds)');
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('reports a body that is not JSON', async () => {
    const err = await client.getService('s', '1').then((s) => s.getBatch('NOTJSON').results()).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchProtocolError);
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('stops reading a huge body at its limit', async () => {
    const err = await client.getService('s', '1').then((s) => s.getBatch('HUGE').results()).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchProtocolError);
    expect(err.message).toMatch(/larger than the 1 MiB limit \(maxResponseBytes\)/);
  });

  it('refuses an absurd item count instead of allocating for it, and reads odd counts as whole ones', async () => {
    const svc = await client.getService('s', '1');
    const err = await svc.getBatch('ENORMOUS').results().catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchProtocolError);
    expect(err.message).toBe('GET /api/s/1/batch/ENORMOUS: the server reports 1000000000000 items, more than mlbatch tracks (100000000)');
    const odd = await new Poller(svc.getBatch('ODD')).pollOnce();
    expect([odd.totalItemCount, odd.completedItemCount, odd.items.length]).toEqual([3, 0, 3]);
  });

  it('says when nothing listens at the host', async () => {
    const gone = await tinyServer(() => {});
    await gone.close();
    const err = await connect({ host: gone.url, username: 'u', password: 'p', retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toBe(`POST /login failed (ECONNREFUSED): check that the server runs at ${gone.url} and is reachable`);
  });
});
