/**
 * Servers without cursors (as a real ML Server) and a server whose delta is wrong: the bandwidth
 * budget's interval, one full poll after a delta in doubt, no running record invented from an
 * unknown parallelCount, a rate measured over good polls only, and the budget flag's parsing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, Poller, type PollSnapshot } from '../../src/index.js';
import { parseByteRate } from '../../src/text/units.js';
import { progressLine } from '../../src/commands/output.js';
import { executionSummary } from '../../src/commands/shared.js';
import { countsText, stateLine } from '../../src/views/header-lines.js';
import { emptyExec } from '../../src/store/app-store.js';
import { ITEM_CODE } from '../../src/protocol.js';
import { resolvePollBudget } from '../../src/session/poll-budget.js';
import { sendJson, tinyServer } from '../helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** One request the stand-in saw. */
interface Seen {
  at: number;
  partial: boolean;
  since: string | null;
  bytes: number;
}

/**
 * A server like ML Server: no cursor, no parallelCount, unfinished items as null. `done(t)` gives
 * the finished count `t` ms after the first poll (-1: the server is down, 503); each result is
 * padded to about `itemBytes`.
 */
async function standIn(total: number, done: (ms: number) => number, itemBytes = 100) {
  let began: number | undefined;
  const seen: Seen[] = [];
  const pad = 'x'.repeat(Math.max(0, itemBytes - 90));
  const server = await tinyServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    if (url.pathname === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1' });
    began ??= Date.now();
    const n = done(Date.now() - began);
    if (n < 0) return sendJson(res, 503, { message: 'down' });
    const partial = url.searchParams.get('showPartialResults') !== 'false';
    const ended = n >= total;
    const results = partial || ended
      ? Array.from({ length: total }, (_, i) => (i < n ? { success: true, errorMessage: '', consoleOutput: pad, outputParameters: { i } } : null))
      : [];
    const body = { state: ended ? 'Complete' : 'InProgress', totalItemCount: total, completedItemCount: Math.min(n, total), batchExecutionResults: results };
    seen.push({ at: Date.now(), partial, since: url.searchParams.get('changedSince'), bytes: Buffer.byteLength(JSON.stringify(body)) });
    sendJson(res, 200, body);
  });
  closers.push(server.close);
  const client = await connect({ host: server.url, username: 'u', password: 'p', retryBaseMs: 5 });
  return { service: await client.getService('s', '1'), seen };
}

describe('polling a server without cursors', { timeout: 30_000 }, () => {
  it('spaces full polls by their size over the budget, with counts-only polls keeping the counts live between', async () => {
    // 200 items of ~500 bytes: a full answer is ~100 KB; at 100 KB/s, one a second at most.
    const { service, seen } = await standIn(200, (ms) => Math.floor(ms / 10), 500);
    const snaps: PollSnapshot[] = [];
    const last = await new Poller(service.getBatch('X', { parallelCount: 4 }), {
      minIntervalMs: 50, maxIntervalMs: 100, budgetBytesPerSecond: 100_000, onUpdate: (s) => snaps.push(s),
    }).run();
    expect(last.ended).toBe(true);
    const fulls = seen.filter((s) => s.partial);
    const counts = seen.filter((s) => !s.partial);
    expect(counts.length).toBeGreaterThan(fulls.length);
    expect(seen.every((s) => s.since === null)).toBe(true);
    // Each full poll (but the final one, which is needed whatever it costs) waits for the bytes before it.
    let spent = 0;
    for (let i = 0; i < seen.length - 1; i++) {
      if (seen[i].partial && i > 0) expect(seen[i].at - seen[0].at).toBeGreaterThanOrEqual((spent / 100_000) * 1000 - 20);
      spent += seen[i].bytes;
    }
    // Between full polls the cells are older than the counts, and the snapshot says since when.
    const held = snaps.filter((s) => s.lastPollKind === 'counts' && !s.ended);
    expect(held.length).toBeGreaterThan(0);
    for (const s of held) expect(s.resultsAsOf!).toBeLessThan(s.lastGoodPollAt!);
  });

  it('keeps to the default budget (1 MB/s) when the option is passed as undefined, as the commands do without the flag', async () => {
    // 200 items of ~5 KB: a full answer is ~1 MB, so about one a second.
    const { service, seen } = await standIn(200, (ms) => Math.floor(ms / 10), 5000);
    await new Poller(service.getBatch('X', { parallelCount: 4 }), { minIntervalMs: 50, maxIntervalMs: 100, budgetBytesPerSecond: undefined }).run();
    // The budget held some full polls back: counts-only ones ran between.
    expect(seen.some((s) => !s.partial)).toBe(true);
    // Within the budget over the run, give or take two answers: the final one may overrun it, and the
    // span is measured where the requests arrive, which a loaded machine can make shorter than the
    // poller's own by up to one answer's time.
    const seconds = (seen.at(-1)!.at - seen[0].at) / 1000;
    const bytes = seen.reduce((sum, s) => sum + s.bytes, 0);
    expect(bytes).toBeLessThan(1_000_000 * seconds + Math.max(...seen.map((s) => s.bytes)) * 2);
  });

  it('never shows running records it cannot know: none for an unknown parallelCount, marked ~ for a known one', async () => {
    const { service } = await standIn(50, () => 20);
    const unknown = await new Poller(service.getBatch('X')).pollOnce();
    expect(unknown.runningSource).toBe('unknown');
    expect(unknown.counts[ITEM_CODE.Running]).toBe(0);
    expect(unknown.parallelCount).toBeNull();
    expect(progressLine(unknown)).toBe('InProgress 20/50 done');
    expect(countsText(unknown.counts, false, unknown.runningSource)).toContain('> ?');
    const known = await new Poller(service.getBatch('X', { parallelCount: 2 })).pollOnce();
    expect(known.runningSource).toBe('inferred');
    expect(known.counts[ITEM_CODE.Running]).toBe(2);
    expect(progressLine(known)).toBe('InProgress 20/50 done (~2 running)');
    expect(countsText(known.counts, false, known.runningSource)).toContain('> 2~');
    const batch = service.getBatch('X', { parallelCount: 2 });
    const summary = executionSummary(batch, known);
    // A guessed Running count is never reported as the server's.
    expect(summary.itemStatesReported).toBe(false);
    expect(summary.running).toBe('inferred');
  });

  it('measures the rate over good polls only: an outage is not averaged in', async () => {
    // 40 items a second, then the server is down for 1.5 s (nothing finishes), then 40 a second again.
    const rate = (ms: number) => (ms < 1000 ? Math.floor(ms / 25) : ms < 2500 ? -1 : 40 + Math.floor((ms - 2500) / 25));
    const { service } = await standIn(10_000, rate);
    const stop = new AbortController();
    const after: PollSnapshot[] = [];
    let sawError = false;
    await new Poller(service.getBatch('X', { parallelCount: 4 }), {
      minIntervalMs: 100, maxIntervalMs: 100, maxErrorIntervalMs: 200, results: 'counts', signal: stop.signal,
      onUpdate: (s) => {
        if (s.lastError) sawError = true;
        else if (sawError) after.push(s);
        if (after.length >= 6) stop.abort();
      },
    }).run();
    expect(sawError).toBe(true);
    // Averaged over the whole window it would read about 40 × 1.5 / 3 ≈ 20/s or less.
    for (const s of after.slice(2)) expect(s.throughput).toBeGreaterThan(30);
  });
});

describe('a delta in doubt', { timeout: 30_000 }, () => {
  it('is dropped, and one full poll follows at once', async () => {
    const seen: { since: string | null; partial: boolean }[] = [];
    const item = (i: number, state: string) => ({ success: true, errorMessage: '', index: i, state });
    const server = await tinyServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600 });
      if (url.pathname === '/services/s/1') return sendJson(res, 200, { name: 's', version: '1' });
      const since = url.searchParams.get('changedSince');
      seen.push({ since, partial: url.searchParams.get('showPartialResults') !== 'false' });
      const ext = { parallelCount: 2, runningItemCount: 0 };
      if (seen.length === 1) return sendJson(res, 200, { state: 'InProgress', totalItemCount: 3, completedItemCount: 1, batchExecutionResults: [item(0, 'Complete'), null, null], ...ext, cursor: 'a.1' });
      // Says two are done, but sends only one change: the counts disagree with the items.
      if (since) return sendJson(res, 200, { state: 'InProgress', totalItemCount: 3, completedItemCount: 3, ...ext, cursor: 'a.9', delta: true, changedItems: [item(1, 'Complete')] });
      return sendJson(res, 200, { state: 'Complete', totalItemCount: 3, completedItemCount: 3, batchExecutionResults: [0, 1, 2].map((i) => item(i, 'Complete')), ...ext, cursor: 'a.f' });
    });
    closers.push(server.close);
    const client = await connect({ host: server.url, username: 'u', password: 'p' });
    const snaps: PollSnapshot[] = [];
    const began = Date.now();
    const last = await new Poller((await client.getService('s', '1')).getBatch('X'), {
      minIntervalMs: 1000, onUpdate: (s) => snaps.push(s),
    }).run();
    // One wait (after the first poll), none after the doubtful answer.
    expect(Date.now() - began).toBeLessThan(1900);
    expect(seen.map((s) => s.since)).toEqual([null, 'a.1', null]);
    expect(seen[2].partial).toBe(true);
    // The doubtful answer was never shown: no snapshot had 2 done out of a finished 3.
    expect(snaps.map((s) => s.counts[ITEM_CODE.Complete])).not.toContain(2);
    expect(last.counts[ITEM_CODE.Complete]).toBe(3);
  });
});

describe('the header while the budget holds the cells back', () => {
  it('says how old the grid is, and nothing while it is current', () => {
    const exec = { ...emptyExec({ service: 's', version: '1', id: 'X' }, 4), state: 'InProgress' as const, total: 10, startedAt: 0, lastGoodPollAt: 20_000 };
    expect(stateLine({ ...exec, resultsAsOf: 8_000 }, 20_500, false)).toContain('polled 0 s ago · grid 12 s old (poll budget)');
    expect(stateLine({ ...exec, resultsAsOf: 20_000 }, 20_500, false)).not.toContain('grid');
  });
});

describe('the poll budget flag', () => {
  it('reads rates like 500k and 2M, and names the flag or variable of one it cannot read', () => {
    expect(parseByteRate('500k')).toBe(500_000);
    expect(parseByteRate('2M')).toBe(2_000_000);
    expect(parseByteRate('1.5MB/s')).toBe(1_500_000);
    expect(parseByteRate('512KiB')).toBe(524_288);
    expect(parseByteRate('250000')).toBe(250_000);
    expect(parseByteRate('fast')).toBeUndefined();
    expect(parseByteRate('0')).toBeUndefined();
    expect(resolvePollBudget('2M', {})).toBe(2_000_000);
    expect(resolvePollBudget(undefined, { MLBATCH_POLL_BUDGET: '300k' })).toBe(300_000);
    expect(resolvePollBudget(undefined, {})).toBeUndefined();
    expect(() => resolvePollBudget('5x', {})).toThrow(/--poll-budget takes bytes a second such as 500k, 2M .*not "5x"/);
    expect(() => resolvePollBudget(undefined, { MLBATCH_POLL_BUDGET: 'lots' })).toThrow(/MLBATCH_POLL_BUDGET takes/);
  });
});
