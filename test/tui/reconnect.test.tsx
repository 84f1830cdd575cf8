import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { renderApp, startFixture, startScorerBatch, type ServerFixture } from './app-fixture.js';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const line = (f: string, i: number) => f.split('\n')[i] ?? '';

describe('when the server goes away', () => {
  let fx: ServerFixture | undefined;
  let again: RunningServer | undefined;
  afterAll(async () => {
    await again?.close();
    await fx?.stop().catch(() => undefined);
  });

  it('says reconnecting with the age of the last good poll, and recovers by itself when it is back', async () => {
    fx = await startFixture();
    const app = await renderApp(fx.client, { kind: 'services' }, {
      downloadDir: join(fx.work, 'dl'),
      start: async (c) => {
        const { ref } = await startScorerBatch(c, fx!.client, 400, 4);
        c.store.getState().replaceAll({ kind: 'execution', ref });
      },
    });
    const { h } = app;
    await h.waitForFrame((f) => /polled \d+ s ago/.test(line(f, 1)) && / [1-9]\d*\/400/.test(line(f, 2)), 'first polls');
    const port = fx.server.port;
    await fx.server.close();
    let f = await h.waitForFrame((x) => /reconnecting, last good poll [1-9]\d* s ago/.test(line(x, 1)), 'the reconnecting notice', 30_000);
    const before = Number(/ (\d+)\/400/.exec(line(f, 2))?.[1]);
    // Same port and data dir: the server resumes the execution and the app picks it up again.
    again = await startServer({ port, dataDir: fx.dataDir, servicesDir: join(root, 'examples', 'services'), adminPassword: 'test-password-1', log: () => undefined });
    f = await h.waitForFrame((x) => /polled \d+ s ago|final$/.test(line(x, 1)) && Number(/ (\d+)\/400/.exec(line(x, 2))?.[1]) > before, 'polls to resume', 40_000);
    expect(line(f, 1)).not.toContain('reconnecting');
    await app.controller.cancelExecution();
    app.controller.stop();
    h.unmount();
  }, 90_000);
});
