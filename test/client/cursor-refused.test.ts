/**
 * Cursors the embedded server cannot serve: one older than the changes it keeps (expired), one it
 * never made (unknown). Each gets the full answer, saying why; the client takes it as a full poll
 * and ends with the right results. The server keeps 16 changes per execution here (the least it
 * may), so a cursor expires after a few records instead of 32,768; gates (files the records wait
 * for) decide when records run, so no test waits on a guess.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, Poller, type Service } from '../../src/index.js';
import type { Batch } from '../../src/client/batch.js';
import type { DecodedPoll } from '../../src/client/decode.js';
import { ITEM_CODE, isEndedState } from '../../src/protocol.js';
import { startServer } from '../../src/server/index.js';
import { PollState } from '../../src/watch/poll-state.js';
import { tempDir } from '../helpers.js';
import { TEST_HASH_COST } from '../server/helpers.js';
import { eventually, TestClock } from '../test-clock.js';

const PASSWORD = 'test-password-1';
/** Records per execution: 2 changes each, far more than the 16 kept. */
const N = 24;
let server: Awaited<ReturnType<typeof startServer>>;
let service: Service;
let gates: string;

beforeAll(async () => {
  const servicesDir = await tempDir('mlbatch-gated-');
  gates = await tempDir('mlbatch-gates-');
  mkdirSync(join(servicesDir, 'gated'));
  writeFileSync(join(servicesDir, 'gated', 'service.json'), JSON.stringify({
    name: 'gated', runtime: 'JavaScript',
    inputs: [{ name: 'i', type: 'integer' }, { name: 'gate', type: 'character' }],
    outputs: [{ name: 'twice', type: 'integer' }],
  }));
  // A record with a gate runs until its file exists; the others at once.
  writeFileSync(join(servicesDir, 'gated', 'code.js'),
    "while (gate && !require('node:fs').existsSync(gate)) await new Promise((r) => setTimeout(r, 10));\nconst twice = 2 * i;");
  server = await startServer({
    port: 0, dataDir: await tempDir('mlbatch-cursors-'), servicesDir, adminPassword: PASSWORD, maxWorkers: 2,
    passwordHashCost: TEST_HASH_COST, changeLogSize: 16, log: () => {},
  });
  const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
  service = await client.getService('gated', '1.0');
});
afterAll(async () => server?.close());

/** Starts N records one at a time; the first waits for gate `first`, the last for gate `last`. */
async function gatedExecution(name: string): Promise<{ batch: Batch; open: (gate: 'first' | 'last') => void }> {
  const gate = (which: string) => join(gates, `${name}-${which}`);
  const records = Array.from({ length: N }, (_, i) => ({ i, gate: i === 0 ? gate('first') : i === N - 1 ? gate('last') : '' }));
  const batch = await service.batch(records, { parallelCount: 1 }).start();
  return { batch, open: (which) => writeFileSync(gate(which), '') };
}

/** Waits until the execution has `done` records finished (all but the gated last one, say). */
const finished = (batch: Batch, done: number) =>
  eventually(async () => (await batch.poll({ showPartialResults: false })).completedItemCount >= done, `${done} records finished`);

/** The per-index state a full answer gives, checked to be a whole, right one. */
function expectWhole(poll: DecodedPoll, done: number): void {
  expect(poll.ext?.delta).toBe(false);
  expect(poll.results).toHaveLength(N);
  const state = new PollState(null);
  state.apply(poll, true);
  expect(state.itemCounts[ITEM_CODE.Complete]).toBe(done);
  for (let i = 0; i < done; i++) expect(state.result(i)?.output('twice')).toBe(2 * i);
}

/** A cursor as another run of the server would have made it: same sequence, another name. */
const ofAnotherRun = (cursor: string) => `${'0'.repeat(12)}.${cursor.split('.')[1]}`;

describe('cursors the server cannot serve', { timeout: 60_000 }, () => {
  it('keeps at least 16 changes: a smaller log is refused, naming the option', async () => {
    await expect(startServer({ port: 0, dataDir: await tempDir(), changeLogSize: 8 }))
      .rejects.toThrow('changeLogSize must be an integer from 16 to 16777216, got 8');
  });

  it('answers an expired cursor and an unknown one with the full answer, saying which, while running and once ended', async () => {
    const { batch, open } = await gatedExecution('raw');
    // Taken while the first record waits: at most one change in.
    const first = await batch.poll({ showPartialResults: true });
    const old = first.ext!.cursor!;
    expect(old).toMatch(/^[0-9a-z]+\.[01]$/);
    open('first');
    await finished(batch, N - 1);

    // 2 × 23 + 1 changes since: more than the 16 kept.
    const expired = await batch.poll({ showPartialResults: true, changedSince: old });
    expect(expired.ext?.cursorRefused).toBe('expired');
    expect(expired.state).toBe('InProgress');
    expectWhole(expired, N - 1);
    // Its own cursor is current: served as a delta with nothing in it.
    const current = await batch.poll({ showPartialResults: true, changedSince: expired.ext!.cursor });
    expect(current.ext).toMatchObject({ delta: true, changed: [] });
    expect(current.ext?.cursorRefused).toBeUndefined();

    for (const unknown of [ofAnotherRun(old), `${old.split('.')[0]}.999999`, 'not-a-cursor']) {
      const full = await batch.poll({ showPartialResults: true, changedSince: unknown });
      expect(full.ext?.cursorRefused, unknown).toBe('unknown');
      expectWhole(full, N - 1);
    }

    open('last');
    await finished(batch, N);
    // Ended: the execution's kept log still serves a recent cursor, and still refuses an old one.
    const last = await batch.poll({ showPartialResults: true, changedSince: expired.ext!.cursor });
    expect(last.ext?.delta).toBe(true);
    expect(last.ext?.changed.map((c) => c.index)).toEqual([N - 1]);
    const late = await batch.poll({ showPartialResults: true, changedSince: old });
    expect(late.ext?.cursorRefused).toBe('expired');
    expect(isEndedState(late.state)).toBe(true);
    expectWhole(late, N);
    expect((await batch.poll({ showPartialResults: true, changedSince: ofAnotherRun(old) })).ext?.cursorRefused).toBe('unknown');
  });

  it('a Poller takes each refused cursor\'s answer as a full poll, goes on with deltas, and ends with every result right', async () => {
    const { batch, open } = await gatedExecution('poller');
    const asked: { since?: string; delta?: boolean; refused?: string }[] = [];
    const poll = batch.poll.bind(batch);
    batch.poll = async (options) => {
      // The third poll's cursor as a restarted server would see it: made by another run.
      const since = asked.length === 2 && options?.changedSince ? ofAnotherRun(options.changedSince) : options?.changedSince;
      const answer = await poll({ ...options, changedSince: since });
      asked.push({ since, delta: answer.ext?.delta, refused: answer.ext?.cursorRefused });
      return answer;
    };
    // The watcher's waits are when the execution moves on: through every record but the last
    // (long enough for its cursor to expire), nothing, then through the last one.
    const watcher = service.getBatch(batch.executionId!);
    const clock = new TestClock(undefined, async (_ms, n) => {
      if (n === 1) {
        open('first');
        await finished(watcher, N - 1);
      }
      if (n === 3) {
        open('last');
        await finished(watcher, N);
      }
    });
    const last = await new Poller(batch, { clock }).run();

    expect(asked.map((a) => a.refused)).toEqual([undefined, 'expired', 'unknown', undefined]);
    expect(asked[0].since).toBeUndefined();
    expect(asked.slice(1).every((a) => a.since !== undefined)).toBe(true);
    // After each refusal the next poll was a delta again, from the cursor the full answer carried.
    expect(asked[3].delta).toBe(true);
    expect(last.ended).toBe(true);
    expect(last.state).toBe('Complete');
    expect(last.polls).toBe(4);
    expect(last.counts).toEqual([0, 0, N, 0, 0]);
    for (let i = 0; i < N; i++) expect(last.result(i)?.output('twice')).toBe(2 * i);
  });
});
