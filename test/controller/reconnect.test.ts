import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { PASSWORD, SERVICES_DIR, controllerOn, startFixture, startScorerBatch, until, type ServerFixture } from './helpers.js';
import { TEST_HASH_COST } from '../server/helpers.js';

describe('when the server goes away', () => {
  let fx: ServerFixture | undefined;
  let again: RunningServer | undefined;
  afterAll(async () => {
    await again?.close();
    await fx?.stop().catch(() => undefined);
  });

  it('keeps the last good poll and says why polls fail, and recovers by itself when the server is back', async () => {
    fx = await startFixture();
    const { store, c } = controllerOn(fx.client, join(fx.work, 'dl'));
    await startScorerBatch(c, fx.client, 400, 4);
    await until(store, (s) => s.exec.lastGoodPollAt !== null && s.exec.completed > 0, 'first polls');
    const port = fx.server.port;
    await fx.server.close();
    const failing = await until(store, (s) => s.exec.lastError !== null && s.exec, 'a failed poll', 30_000);
    const lastGood = failing.lastGoodPollAt!;
    const before = failing.completed;
    expect(lastGood).toBeLessThan(Date.now());
    // Same port and data dir: the server resumes the execution and the poller picks it up again.
    again = await startServer({ port, dataDir: fx.dataDir, servicesDir: SERVICES_DIR, adminPassword: PASSWORD, passwordHashCost: TEST_HASH_COST, log: () => undefined });
    const back = await until(store, (s) => s.exec.lastError === null && s.exec.completed > before && s.exec, 'polls to resume', 40_000);
    expect(back.lastGoodPollAt!).toBeGreaterThan(lastGood);
    await c.cancelExecution();
    c.stop();
  }, 90_000);
});
