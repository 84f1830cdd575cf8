/** The app header, the plain line and `mlbatch status` tell the same progress for the same execution. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollSnapshot } from '../../src/watch/poller.js';
import { progressLine as statusLine } from '../../src/commands/output.js';
import { progressLine, stateLine } from '../../src/views/header-lines.js';
import { Controller } from '../../src/controller/controller.js';
import type { ExecutionState } from '../../src/protocol.js';
import { createAppStore, emptyExec } from '../../src/store/app-store.js';
import type { ExecData } from '../../src/store/types.js';
import { plainSummary } from '../../src/terminal/plain.js';
import { cli } from '../commands/cli-helpers.js';
import { startFixture, startScorerBatch, type ServerFixture } from '../controller/helpers.js';

/** What each display says: finished/total, percentage (the header's), rate and ETA (or null where none is shown). */
interface Told {
  finished: string;
  percent?: string;
  rate: string | null;
  eta: string | null;
}

function fromHeader(exec: ExecData, now: number): Told {
  const progress = progressLine(exec, 80, false);
  const state = stateLine(exec, now, false);
  const eta = /· ETA (\S+) ·/.exec(state)?.[1] ?? null;
  return {
    finished: /\d+\/\d+/.exec(progress)![0],
    percent: /(\d+)%/.exec(progress)![1],
    // The header always shows a rate ("0/s" when none is measured) and an ETA ("—" when none).
    rate: /· ([\d.]+\/s) ·/.exec(state)?.[1]?.replace(/^0\/s$/, '') || null,
    eta: eta === '—' ? null : eta,
  };
}

function fromLine(line: string): Told {
  return {
    finished: /^\S+ (\d+\/\d+)/.exec(line)![1],
    rate: /\s([\d.]+\/s)(\s|$)/.exec(line)?.[1] ?? null,
    eta: /ETA (\S+)/.exec(line)?.[1] ?? null,
  };
}

/** The same execution as the app's store holds it and as a poll snapshot has it. */
function both(state: ExecutionState, total: number, completed: number, counts: number[], throughput: number, etaMs: number | undefined, lastError?: string) {
  const exec: ExecData = {
    ...emptyExec({ service: 's', version: '1', id: 'abc' }, 4),
    state, total, completed, counts, throughput,
    etaMs: etaMs ?? null,
    states: new Uint8Array(total),
    startedAt: 0,
    lastGoodPollAt: 60_000,
    lastError: lastError ?? null,
  };
  const ended = state === 'Complete' || state === 'Failed' || state === 'Canceled';
  const snapshot = {
    executionId: 'abc', state, rawState: state, ended, totalItemCount: total, completedItemCount: completed,
    items: exec.states, counts, itemStatesReported: true, version: 1, throughput, etaMs,
    lastGoodPollAt: 60_000, lastError: lastError === undefined ? undefined : new Error(lastError),
    consecutiveErrors: lastError === undefined ? 0 : 1, polls: 3, lastPollKind: 'full', result: () => undefined,
  } as unknown as PollSnapshot;
  return { exec, snapshot };
}

describe('one progress for the header, the plain line and status', () => {
  // Once ended, the app knows when the run started and ended and gives the whole run's average rate;
  // `status` polls once and does not know, so it gives none rather than a different one.
  it.each([
    ['running, some canceled', both('InProgress', 10, 4, [3, 1, 3, 1, 2], 2, 3000), { finished: '6/10', percent: '60', rate: '2.0/s', eta: '3s' }, '2.0/s'],
    ['canceled', both('Canceled', 10, 4, [0, 0, 3, 1, 6], 0, 0), { finished: '10/10', percent: '100', rate: '0.1/s', eta: null }, null],
    ['counts lagging the server', both('InProgress', 10, 7, [3, 1, 5, 0, 1], 150, 20_500), { finished: '8/10', percent: '80', rate: '150/s', eta: '20s' }, '150/s'],
    ['reconnecting', both('InProgress', 10, 4, [5, 1, 3, 1, 0], 2, 3000, 'fetch failed'), { finished: '4/10', percent: '40', rate: null, eta: null }, null],
  ] as const)('%s', (_name, { exec, snapshot }, expected, statusRate) => {
    expect(fromHeader(exec, 65_000)).toEqual(expected);
    const { percent: _percent, ...rest } = expected;
    expect(fromLine(plainSummary(exec))).toEqual(rest);
    expect(fromLine(statusLine(snapshot, 65_000))).toEqual({ ...rest, rate: statusRate });
  });
});

describe('a canceled execution on the embedded server', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('reads the same finished count in the app header, the plain line and `mlbatch status`', async () => {
    const store = createAppStore({ kind: 'services' });
    const controller = new Controller(store, fx.client, { downloadDir: join(fx.work, 'dl'), minPollMs: 100, onQuit: () => undefined });
    const { ref, batch } = await startScorerBatch(controller, fx.client, 40, 2);
    await new Promise<void>((resolve) => {
      const check = () => {
        const c = store.getState().exec.counts;
        if (c[2] + c[3] >= 3) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = store.subscribe(check);
      check();
    });
    await batch.cancel();
    await new Promise<void>((resolve) => {
      const check = () => {
        const { exec } = store.getState();
        if (exec.state === 'Canceled' && exec.endedAt !== null && exec.counts[4] > 0) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = store.subscribe(check);
      check();
    });
    controller.stop();
    const { exec } = store.getState();
    const header = fromHeader(exec, Date.now());
    const plain = fromLine(plainSummary(exec));
    const status = await cli(['status', ref.service, ref.version, ref.id], {
      MLBATCH_HOST: fx.server.url, MLBATCH_PASSWORD: 'test-password-1', XDG_CONFIG_HOME: join(fx.work, 'config'),
    });
    expect(status.stderr).toBe('');
    const fromStatus = fromLine(status.stdout.replace(`${ref.id} `, ''));
    // Canceled records are finished: every display reads 40/40, none 40 % of the way.
    expect(header.finished).toBe('40/40');
    expect(header.percent).toBe('100');
    expect(plain.finished).toBe('40/40');
    expect(fromStatus.finished).toBe('40/40');
    expect(status.stdout).toMatch(/ Canceled 40\/40 done \(.*\d+ canceled\)\n$/);
    // Once ended, the rate is the whole run's average where the run's times are known, and no ETA.
    expect(plain.rate).toBe(header.rate);
    expect([header.eta, plain.eta, fromStatus.eta]).toEqual([null, null, null]);
  }, 60_000);
});
