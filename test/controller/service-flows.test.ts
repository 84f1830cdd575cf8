import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionsKey, previewKey } from '../../src/store/resources.js';
import { PASSWORD, controllerOn, startFixture, until, type ServerFixture } from './helpers.js';

describe('the controller before an execution: connect, services, compose, executions', () => {
  let fx: ServerFixture;
  let config: string;
  const oldConfig = process.env.XDG_CONFIG_HOME;
  beforeAll(async () => {
    fx = await startFixture();
    config = join(fx.work, 'config');
    await mkdir(config);
    process.env.XDG_CONFIG_HOME = config;
  });
  afterAll(async () => {
    process.env.XDG_CONFIG_HOME = oldConfig;
    await fx?.stop();
  });

  it('says why a login fails, and on success opens the services and remembers the host only', async () => {
    const { store, c } = controllerOn(null, join(fx.work, 'd1'), { kind: 'connect' });
    expect(await c.connect(fx.server.url, 'admin', 'wrong')).toBe(false);
    expect(store.getState().status).toMatchObject({ level: 'error' });
    expect(store.getState().status?.text).toMatch(/^Cannot connect: .*401/);
    expect(store.getState().stack).toEqual([{ kind: 'connect' }]);
    expect(await c.connect(fx.server.url, 'admin', PASSWORD)).toBe(true);
    expect(store.getState().stack).toEqual([{ kind: 'services' }]);
    expect(store.getState().status?.text).toBe(`Connected to ${fx.server.url} as admin`);
    const saved = await readFile(join(config, 'mlbatch', 'app.json'), 'utf8');
    expect(JSON.parse(saved)).toEqual({ host: fx.server.url, user: 'admin' });
    expect(saved).not.toContain(PASSWORD);
  });

  it('a login to a port nothing listens on says so, whole', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { store, c } = controllerOn(null, join(fx.work, 'd2'), { kind: 'connect' });
    expect(await c.connect(`http://127.0.0.1:${port}/a/rather/long/path/in/front/of/the/server`, 'admin', 'pw')).toBe(false);
    expect(store.getState().status?.text).toMatch(/^Cannot connect: /);
    expect(store.getState().status!.text.length).toBeGreaterThan(80);
  });

  it('loads the services into the store, and a released load never lands', async () => {
    const { store, c } = controllerOn(fx.client, join(fx.work, 'd3'));
    c.loadServices();
    expect(store.getState().resources.services.status).toBe('loading');
    const list = await until(store, (s) => s.resources.services.status === 'ready' && s.resources.services.data, 'the services');
    expect(list.map((s) => s.name).sort()).toEqual(['chart', 'flaky', 'flaky', 'slow-scorer', 'transmission', 'transmission-python']);
    // Left before the answer: released at once, and the answer is dropped.
    const states: string[] = [];
    store.subscribe((s) => states.push(s.resources.services.status));
    c.loadServices();
    c.release('services');
    // A later load proves the earlier answer had its chance to land.
    c.loadServices();
    await until(store, (s) => s.resources.services.status === 'ready', 'the services again');
    expect(states).toEqual(['loading', 'idle', 'loading', 'ready']);
  });

  it('refuses a file with a bad record past the preview, naming file, line, record and column, and sends nothing', async () => {
    const late = join(fx.work, 'late.csv');
    await writeFile(late, 'hp,wt\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},2.5`).join('\n') + '\nabc,3\n');
    const def = (await fx.client.listServices()).find((d) => d.name === 'transmission')!;
    const { store, c } = controllerOn(fx.client, join(fx.work, 'd4'), { kind: 'compose', service: def });
    c.loadPreview(def, late);
    const preview = await until(store, (s) => s.resources.preview.status === 'ready' && s.resources.preview.data, 'the preview');
    expect(store.getState().resources.preview.key).toBe(previewKey(def, late));
    expect(preview.rows.every((r) => r.problems.length === 0)).toBe(true);
    await c.startBatch(def, late, 4);
    expect(store.getState().status?.text).toMatch(/^Not started: .*late\.csv.*line 32 \(record 30\), column "hp": must be numeric \(a number\), got "abc"/);
    expect(store.getState().stack.at(-1)?.kind).toBe('compose');
    expect(await fx.client.getService('transmission', '1.0').then((sv) => sv.listBatchExecutions())).toEqual([]);
  });

  it('starts a batch onto its grid, and lists it among the executions, followed to its end without asking again', async () => {
    const good = join(fx.work, 'good.csv');
    await writeFile(good, 'id,value\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${i / 10}`).join('\n') + '\n');
    const def = (await fx.client.listServices()).find((d) => d.name === 'slow-scorer')!;
    const { store, c } = controllerOn(fx.client, join(fx.work, 'd5'), { kind: 'actions', service: def });
    store.getState().push({ kind: 'compose', service: def });
    await c.startBatch(def, good, 3);
    const ref = store.getState().exec.ref!;
    // The grid takes the form's place: going back from it never lands in a field that eats q.
    expect(store.getState().stack).toEqual([{ kind: 'actions', service: def }, { kind: 'execution', ref }]);
    expect(store.getState().status?.text).toBe(`Started 30 records as ${ref.id}`);
    expect(store.getState().exec.parallelCount).toBe(3);
    // The executions list of another controller (another app) sees it running, then ended, by itself.
    const other = controllerOn(fx.client, join(fx.work, 'd6'), { kind: 'executions', service: def });
    other.c.loadExecutions(def);
    const running = await until(other.store, (s) => s.resources.executions.data?.find((e) => e.id === ref.id), 'the execution listed');
    expect(other.store.getState().resources.executions.key).toBe(executionsKey(def));
    expect(running.total).toBe(30);
    const ended = await until(other.store, (s) => s.resources.executions.data?.find((e) => e.id === ref.id && e.state === 'Complete'), 'its end', 30_000);
    expect(ended.completed).toBe(30);
    await until(store, (s) => s.exec.state === 'Complete' && s.exec.completed === 30, 'the grid to complete');
    other.c.stop();
    c.stop();
  });

  it('a newer executions load wins: a list of one service never follows another', async () => {
    const defs = await fx.client.listServices();
    const { store, c } = controllerOn(fx.client, join(fx.work, 'd7'));
    const keys: string[] = [];
    store.subscribe((s) => keys.push(s.resources.executions.key));
    c.loadExecutions(defs.find((d) => d.name === 'slow-scorer')!);
    c.loadExecutions(defs.find((d) => d.name === 'flaky')!);
    await until(store, (s) => s.resources.executions.status === 'ready', 'the list');
    expect(store.getState().resources.executions).toEqual({ status: 'ready', key: 'flaky/1.0', data: [] });
    expect(keys.slice(1).every((k) => k === 'flaky/1.0')).toBe(true);
    c.stop();
  });
});
