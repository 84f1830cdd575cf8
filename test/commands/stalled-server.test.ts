/** `mlbatch status`, built, against a server whose poll answer stalls or trickles: it exits 4 saying which limit ran out. */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, tinyServer } from '../helpers.js';
import { cli } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof tinyServer>>;
const open = new Set<ServerResponse>();
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (p === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1', inputParameterDefinitions: [] });
    // The list of executions answers (an id given is looked up in it); the poll of one is what gets stuck.
    if (p === '/api/s/1/batch') return sendJson(res, 200, ['STALLED', 'TRICKLE']);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"state":');
    open.add(res);
    // A byte every 50 ms for ever: never stalled, never finished.
    if (p === '/api/s/1/batch/TRICKLE') {
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 50);
      timers.add(timer);
    }
  });
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await server?.close();
});

const env = () => ({ MLBATCH_HOST: server.url, MLBATCH_PASSWORD: 'p', XDG_CONFIG_HOME: '/nonexistent' });

describe('mlbatch status against a stuck server', { timeout: 60_000 }, () => {
  it('exits 4 naming the stall when the answer stops arriving', async () => {
    const began = Date.now();
    const r = await cli(['status', 's', '1', 'STALLED'], { ...env(), MLBATCH_STALL_TIMEOUT: '0.3' });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mlbatch: GET \/api\/s\/1\/batch\/STALLED failed \(no data from the server for 0\.3 s; 2 attempts\): .*MLBATCH_STALL_TIMEOUT/);
    expect(Date.now() - began).toBeLessThan(20_000);
  });

  it('exits 4 naming the whole-request limit when the answer trickles on for ever', async () => {
    const began = Date.now();
    // A byte every 50 ms never trips a 1 s stall limit, even on a loaded machine.
    const r = await cli(['status', 's', '1', 'TRICKLE'], { ...env(), MLBATCH_STALL_TIMEOUT: '1', MLBATCH_TIMEOUT: '2.5' });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mlbatch: GET \/api\/s\/1\/batch\/TRICKLE failed \(the request took longer than 2\.5 s\): .*MLBATCH_TIMEOUT/);
    expect(Date.now() - began).toBeLessThan(20_000);
  });

  it('refuses a limit that is not a number of seconds, naming the variable', async () => {
    const r = await cli(['status', 's', '1', 'STALLED'], { ...env(), MLBATCH_STALL_TIMEOUT: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mlbatch: MLBATCH_STALL_TIMEOUT must be a number of seconds above 0 (e.g. 30 or 0.5), not "soon"\n');
  });
});
