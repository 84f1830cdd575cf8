/**
 * What one large poll leaves in memory, measured in a fresh child process (the built library)
 * with garbage collected before and after: the body kept as bytes, once, and no copy of it as text.
 * Peak RSS is not asserted: at a size a test can afford, when the collector frees the socket's
 * chunks moves it by as much as the body, and freed memory is not always handed back, so RSS
 * after a collection says little either (bench/poll-memory.mjs measures the peak at 100 MB).
 */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/index.js';
import { sendJson, tinyServer } from '../helpers.js';

const ITEMS = 300;
const TEXT = `€${'x'.repeat(100_000)}`; // one non-ASCII character makes any text of it two bytes a character in V8
const BODY = Buffer.from(JSON.stringify({
  state: 'Complete', totalItemCount: ITEMS, completedItemCount: ITEMS,
  batchExecutionResults: Array.from({ length: ITEMS }, (_, i) => ({ success: true, errorMessage: '', outputParameters: { text: TEXT, n: i } })),
}));

const CHILD = `
const { connect, Poller } = await import(${JSON.stringify(pathToFileURL(resolve('dist/index.js')).href)});
const client = await connect({ host: process.argv[1], username: 'u', password: 'p' });
const batch = (await client.getService('big', '1')).getBatch(process.argv[2]);
// Buffers are freed by a sweeper after the collection: collect until what they hold stops falling.
async function settled() {
  let last = Infinity;
  for (let i = 0; i < 20; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
    const now = process.memoryUsage();
    if (now.arrayBuffers >= last) return now;
    last = now.arrayBuffers;
  }
  return process.memoryUsage();
}
const before = await settled();
const snapshot = await new Poller(batch).pollOnce();
const after = await settled();
const last = snapshot.result(${ITEMS - 1});
console.log(JSON.stringify({
  heap: after.heapUsed - before.heapUsed, buffers: after.arrayBuffers - before.arrayBuffers,
  complete: snapshot.counts[2], text: String(last?.output('text')).length,
}));
`;

let server: Awaited<ReturnType<typeof tinyServer>>;

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600 });
    if (p === '/services/big/1') return sendJson(res, 200, { name: 'big', version: '1', inputParameterDefinitions: [] });
    if (p.endsWith('/GZIP')) {
      // The declared length is the compressed one: the client must not take it for the body's.
      const packed = gzipSync(BODY);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': packed.length });
      return res.end(packed);
    }
    // With a declared length, and chunked (a length the client learns only at the end).
    const chunked = p.endsWith('/CHUNKED');
    res.writeHead(200, { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': BODY.length }) });
    for (let at = 0; at < BODY.length; at += 1 << 20) res.write(BODY.subarray(at, at + (1 << 20)));
    res.end();
  });
});
afterAll(async () => server?.close());

function pollInChild(id: string): Promise<{ heap: number; buffers: number; complete: number; text: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, server.url, id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('memory one large poll keeps', { timeout: 60_000 }, () => {
  it.each(['LENGTH', 'CHUNKED'])('keeps a %s body once as bytes, and no text of it', async (id) => {
    const r = await pollInChild(id);
    expect([r.complete, r.text]).toEqual([ITEMS, TEXT.length]);
    // Results decode lazily from the body, so it stays: as bytes (a growable buffer for a chunked
    // one, which `arrayBuffers` does not count), never twice, and never as text (2× the body here).
    expect(r.buffers / BODY.length).toBeLessThan(1.2);
    expect(r.heap / BODY.length).toBeLessThan(0.1);
  });

  it('reads a compressed answer whole, whatever its declared length', async () => {
    const client = await connect({ host: server.url, username: 'u', password: 'p', retries: 0 });
    const poll = await (await client.getService('big', '1')).getBatch('GZIP').poll();
    expect([poll.state, poll.lazy?.length]).toEqual(['Complete', ITEMS]);
    expect(poll.lazy?.raw(ITEMS - 1)).toEqual({ success: true, errorMessage: '', outputParameters: { text: TEXT, n: ITEMS - 1 } });
  });
});
