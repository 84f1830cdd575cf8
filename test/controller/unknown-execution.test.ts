import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlBatchNotFoundError } from '../../src/client/errors.js';
import { exitCodeOf } from '../../src/session/exit.js';
import { Controller } from '../../src/controller/controller.js';
import { createAppStore } from '../../src/store/app-store.js';
import { controllerOn, startFixture, until, type ServerFixture } from './helpers.js';

describe('attaching to something that does not exist', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('inside the app, an unknown execution goes back to where it was opened from, saying which id is unknown', async () => {
    const { store, c } = controllerOn(fx.client, join(fx.work, 'd1'));
    c.attach({ service: 'slow-scorer', version: '1.0', id: 'does-not-exist' });
    const status = await until(store, (s) => s.stack.length === 1 && s.status?.level === 'error' && s.status.text, 'back on the services', 10_000);
    expect(store.getState().stack).toEqual([{ kind: 'services' }]);
    expect(status).toBe('unknown execution does-not-exist: slow-scorer 1.0 has no execution with that id');
    // No "reconnecting" left behind, and nothing ended the app.
    expect(store.getState().exec.lastError).toBeNull();
    expect(c.failure).toBeNull();
    c.stop();
  });

  it('an unknown version names the versions there are, and an unknown service says so; both are final (exit 2)', async () => {
    const { c } = controllerOn(fx.client, join(fx.work, 'd2'));
    const version = await c.attachData({ service: 'slow-scorer', version: '9.9', id: 'x' });
    expect(version).toBeInstanceOf(MlBatchNotFoundError);
    expect((version as Error).message).toBe('unknown version 9.9 of slow-scorer (this server has 1.0)');
    const service = await c.attachData({ service: 'no-such-scorer', version: '1.0', id: 'x' });
    expect((service as Error).message).toBe('unknown service no-such-scorer: this server has no service of that name');
    expect(exitCodeOf(service)).toBe(2);
    expect(c.store.getState().exec.lastError).toBeNull();
    c.stop();
  });

  it('opened on an unknown execution, the app ends with why (so the command exits 2) instead of polling on', async () => {
    const ref = { service: 'slow-scorer', version: '1.0', id: 'does-not-exist' };
    let quit = () => {};
    const quitted = new Promise<void>((resolve) => (quit = resolve));
    const c = new Controller(createAppStore({ kind: 'execution', ref }), fx.client, { downloadDir: join(fx.work, 'd3'), minPollMs: 100, onQuit: () => quit() });
    expect(await c.attachData(ref)).toBeUndefined();
    await quitted;
    expect((c.failure as Error).message).toContain('unknown execution does-not-exist');
    expect(exitCodeOf(c.failure)).toBe(2);
  });

  it('opened on an unknown execution with one of its indices shown, the app goes back to the execution and ends', async () => {
    const ref = { service: 'slow-scorer', version: '1.0', id: 'does-not-exist' };
    let quit = () => {};
    const quitted = new Promise<void>((resolve) => (quit = resolve));
    const store = createAppStore({ kind: 'execution', ref });
    store.getState().push({ kind: 'index', ref, index: 0 });
    const c = new Controller(store, fx.client, { downloadDir: join(fx.work, 'd4'), minPollMs: 100, onQuit: () => quit() });
    expect(await c.attachData(ref)).toBeUndefined();
    await quitted;
    expect(store.getState().stack.map((s) => s.kind)).toEqual(['execution']);
    expect(exitCodeOf(c.failure)).toBe(2);
  });
});
