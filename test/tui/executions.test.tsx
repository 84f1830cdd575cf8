import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, type ServerFixture } from './app-fixture.js';
import { mergeInPlace } from '../../src/screens/ExecutionsScreen.js';

describe('executions of a service', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('follows a running execution to its end without r', async () => {
    const service = await fx.client.getService('slow-scorer', '1.0');
    const batch = await service.batch(Array.from({ length: 150 }, (_, i) => ({ id: i + 1, value: 1 })), { parallelCount: 5 }).start();
    const id = batch.requireId();
    const def = (await fx.client.listServices()).find((d) => d.name === 'slow-scorer')!;
    const app = await renderApp(fx.client, { kind: 'executions', service: def }, { downloadDir: join(fx.work, 'd1') });
    const { h } = app;
    await h.waitForFrame((x) => new RegExp(`${id} +InProgress`).test(x), 'the running execution');
    const f = await h.waitForFrame((x) => new RegExp(`${id} +Complete`).test(x), 'its end, without a key', 40_000);
    expect(f).toMatch(/150\/150/);
    h.unmount();
  }, 60_000);

  it('keeps rows in place when states change, and adds new ids last', () => {
    const e = (id: string, state: string) => ({ id, state, total: 1, completed: state === 'Complete' ? 1 : 0 });
    const old = [e('a', 'InProgress'), e('b', 'Complete')];
    const fresh = [e('c', 'InProgress'), e('b', 'Complete'), e('a', 'Complete')];
    expect(mergeInPlace(old, fresh).map((x) => `${x.id}:${x.state}`)).toEqual(['a:Complete', 'b:Complete', 'c:InProgress']);
    expect(mergeInPlace(old, [])).toBe(old);
  });
});
