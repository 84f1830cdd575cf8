/**
 * `--wait` is one loop for run, rerun and status: each keeps to `--poll-budget`. The built CLI
 * against the embedded server behind a small real proxy that drops the server's change cursors
 * (as a real ML Server has none), the only case where the budget spaces polls out.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, sendJson, SERVICES_DIR, tempDir, tinyServer } from '../helpers.js';
import { eventually } from '../test-clock.js';
import { cli } from './cli-helpers.js';

/** What the embedded server adds to a poll answer (protocol.ts's PollExtension). */
const EXTENSION = ['parallelCount', 'runningItemCount', 'cursor', 'delta', 'changedItems', 'cursorRefused'];
/** 2,000 bytes a second: a full answer of 30 slow-scorer records takes seconds of it. */
const BUDGET = 2000;

/** One request the proxy passed on. */
interface Seen {
  /** Epoch ms the request arrived. */
  at: number;
  method: string;
  path: string;
  /** Polls: with every result (`showPartialResults`), and the bytes of the answer. */
  partial?: boolean;
  bytes?: number;
}

let server: Awaited<ReturnType<typeof embeddedServer>>;
let proxy: Awaited<ReturnType<typeof tinyServer>>;
let work: string;
let direct: Record<string, string>;
let proxied: Record<string, string>;
/** The file the gated scorer's first record waits for. */
let gate: string;
const seen: Seen[] = [];
const POLL = /^\/api\/[^/]+\/[^/]+\/batch\/([^/]+)$/;

beforeAll(async () => {
  // The example slow scorer, and one like it whose records wait for a gate file first: an
  // execution that cannot end before `status --wait` has polled it, however slowly the CLI starts.
  const servicesDir = await tempDir('mlbatch-services-');
  await cp(join(SERVICES_DIR, 'slow-scorer'), join(servicesDir, 'slow-scorer'), { recursive: true });
  await mkdir(join(servicesDir, 'gated-scorer'));
  await writeFile(join(servicesDir, 'gated-scorer', 'service.json'), JSON.stringify({
    name: 'gated-scorer', runtime: 'JavaScript',
    inputs: [{ name: 'id', type: 'integer' }, { name: 'value', type: 'numeric' }, { name: 'gate', type: 'character' }],
    outputs: [{ name: 'score', type: 'numeric' }, { name: 'elapsedMs', type: 'integer' }],
  }));
  await writeFile(join(servicesDir, 'gated-scorer', 'code.js'), [
    "while (gate !== '-' && !require('node:fs').existsSync(gate)) await new Promise((r) => setTimeout(r, 10));",
    'const elapsedMs = 10 + Math.floor(Math.random() * 191);',
    'await new Promise((r) => setTimeout(r, elapsedMs));',
    'const score = Math.round(1000 / (1 + Math.exp(-value))) / 1000;',
  ].join('\n'));
  server = await embeddedServer({ servicesDir });
  proxy = await tinyServer(async (req, res, body) => {
    // When the request came: the poller counts an answer's bytes from when it asked.
    const at = Date.now();
    const url = new URL(req.url ?? '/', server.url);
    url.searchParams.delete('changedSince');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'accept-encoding', 'connection'].includes(k)) headers[k] = v;
    const answer = await fetch(url, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (req.method === 'GET' && POLL.test(url.pathname) && answer.ok) {
      const poll = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      for (const k of EXTENSION) delete poll[k];
      seen.push({ at, method: 'GET', path: url.pathname, partial: url.searchParams.get('showPartialResults') !== 'false', bytes: Buffer.byteLength(JSON.stringify(poll)) });
      return sendJson(res, answer.status, poll);
    }
    seen.push({ at, method: req.method ?? 'GET', path: url.pathname });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream', 'content-length': bytes.length });
    res.end(bytes);
  });
  work = await tempDir();
  direct = { MLBATCH_HOST: server.url, MLBATCH_PASSWORD: PASSWORD, XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data') };
  proxied = { ...direct, MLBATCH_HOST: proxy.url };
  const rows = Array.from({ length: 30 }, (_, i) => `${i + 1},${i / 10}`);
  await writeFile(join(work, 'scores.csv'), `id,value\n${rows.join('\n')}\n`);
  gate = join(work, 'gate');
  await writeFile(join(work, 'gated.csv'), `id,value,gate\n${rows.map((r, i) => `${r},${i === 0 ? gate : '-'}`).join('\n')}\n`);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** The polls of one execution the proxy passed on, in order. */
const pollsOf = (id: string) => seen.filter((s) => s.bytes !== undefined && s.path.endsWith(`/batch/${id}`));

/**
 * The budget held: every full poll but the last (the end's, needed whatever it costs) waited
 * until the bytes before it fit in the budget, and the counts were kept live by counts-only
 * polls meanwhile (without the budget, every poll while records finish would be a full one).
 */
function expectWithinBudget(id: string): void {
  const polls = pollsOf(id);
  const fulls = polls.filter((p) => p.partial);
  expect(polls.length).toBeGreaterThan(2);
  expect(polls.filter((p) => !p.partial).length).toBeGreaterThan(fulls.length);
  let spent = 0;
  for (const p of polls.slice(0, -1)) {
    if (p.partial && p !== polls[0]) expect(p.at - polls[0].at).toBeGreaterThanOrEqual((spent / BUDGET) * 1000 - 100);
    spent += p.bytes!;
  }
}

describe('--wait keeps to --poll-budget', { timeout: 120_000 }, () => {
  it('in rerun and status, as in run', async () => {
    const parent = await cli(['run', 'slow-scorer', '1.0', '--records', join(work, 'scores.csv'), '--parallel', '8', '--wait', '--json'], direct);
    expect(parent.code, parent.stderr).toBe(0);
    const parentId = JSON.parse(parent.stdout).executionId as string;
    const other = await cli(['run', 'gated-scorer', '1.0', '--records', join(work, 'gated.csv'), '--parallel', '1'], direct);
    expect(other.code, other.stderr).toBe(0);
    const otherId = other.stdout.trim();

    const budget = ['--poll-budget', `${BUDGET / 1000}k`];
    const [rerun, status] = await Promise.all([
      cli(['rerun', 'slow-scorer', '1.0', parentId, '--indices', '0-29', '--records', join(work, 'scores.csv'), '--parallel', '1', '--wait', ...budget, '--json'], proxied),
      cli(['status', 'gated-scorer', '1.0', otherId, '--wait', ...budget, '--json'], proxied),
      // Its records run once status has seen it unfinished.
      eventually(() => pollsOf(otherId).length > 0, 'status to poll the gated execution', 60_000).then(() => writeFile(gate, '')),
    ]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const child = JSON.parse(rerun.stdout);
    expect(child).toMatchObject({ state: 'Complete', totalItemCount: 30, parentId, indexMap: Array.from({ length: 30 }, (_, i) => i) });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ executionId: otherId, state: 'Complete', totalItemCount: 30 });
    expectWithinBudget(child.executionId);
    expectWithinBudget(otherId);
  });

  it('refuses a budget that is not a rate before anything is started', async () => {
    const before = seen.length;
    const r = await cli(['rerun', 'slow-scorer', '1.0', 'any-id', '--failed', '--wait', '--poll-budget', 'lots'], proxied);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mlbatch: --poll-budget takes bytes a second such as 500k, 2M or 1.5MB/s, not "lots"\n');
    expect(seen.slice(before)).toEqual([]);
    const env = await cli(['status', 'slow-scorer', '1.0', 'any-id', '--wait'], { ...proxied, MLBATCH_POLL_BUDGET: 'fast' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('MLBATCH_POLL_BUDGET takes bytes a second');
    expect(seen.slice(before)).toEqual([]);
  });
});
