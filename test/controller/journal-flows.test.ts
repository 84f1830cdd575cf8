/** The app's controller with a real journal against the embedded server: start, re-attach, rerun, lineage, merged view, forgotten executions. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../src/controller/controller.js';
import { openJournal, type Journal } from '../../src/journal/journal.js';
import { createAppStore } from '../../src/store/app-store.js';
import { execKey, executionsKey } from '../../src/store/resources.js';
import { statusLines } from '../../src/components/StatusLine.js';
import { startFixture, until, type ServerFixture } from './helpers.js';

describe('the controller and the journal', () => {
  let fx: ServerFixture;
  let journal: Journal;
  beforeAll(async () => {
    fx = await startFixture();
    journal = openJournal({ path: join(fx.work, 'journal.sqlite') });
  });
  afterAll(async () => {
    journal?.close();
    await fx?.stop();
  });
  const controller = () => {
    const store = createAppStore({ kind: 'services' });
    const c = new Controller(store, fx.client, { downloadDir: join(fx.work, 'dl'), minPollMs: 100, listRefreshMs: 100, journal, onQuit: () => undefined });
    store.getState().setConnection(fx.client.host, 'admin', true);
    return { store, c };
  };

  it('journals a batch started in the app, shows its inputs once re-attached, reruns its failures and merges them', async () => {
    const file = join(fx.work, 'values.csv');
    await writeFile(file, 'id,value\n0,4\n1,-1\n2,9\n3,-3\n');
    const def = (await fx.client.getService('flaky', '1.0')).definition;
    const first = controller();
    await first.c.startBatch(def, file, 2);
    await until(first.store, (s) => s.exec.state === 'Complete', 'the batch to end');
    const ref = first.store.getState().exec.ref!;
    const key = { host: fx.client.host, ...ref };
    await until(first.store, () => journal.get(key)?.state === 'Complete', 'the journal to learn the end');
    expect(journal.get(key)).toMatchObject({ origin: 'run', recordsKept: true, recordCount: 4, parallelCount: 2, recordsPath: file, user: 'admin', counts: [0, 0, 2, 2, 0] });
    first.c.stop();

    // Another session, attached by id: the inputs come from the journal.
    const { store, c } = controller();
    store.getState().replaceAll({ kind: 'execution', ref });
    await c.attachData(ref);
    await until(store, (s) => s.exec.state === 'Complete', 'the re-attached execution');
    expect(store.getState().detail(3)?.inputs).toEqual({ id: 3, value: -3 });

    c.loadLineage(ref);
    expect(await until(store, (s) => s.resources.lineage.data, 'the lineage')).toEqual({ recordsKept: true, reruns: null });
    await c.rerun(ref, [1, 3]);
    const child = store.getState().exec.ref!;
    expect(child.id).not.toBe(ref.id);
    expect(store.getState().stack.at(-1)).toEqual({ kind: 'execution', ref: child });
    // Every record of it fails again (the same negative values): the server calls that Failed.
    await until(store, (s) => s.exec.state === 'Failed' && s.exec.ref?.id === child.id, 'the rerun to end');
    expect(journal.get({ host: fx.client.host, ...child })).toMatchObject({ origin: 'rerun', parentId: ref.id, indexMap: [1, 3], recordCount: 2 });
    // The rerun's index screen shows its own inputs: the original's records 1 and 3.
    expect(store.getState().detail(1)?.inputs).toEqual({ id: 3, value: -3 });

    store.getState().loadReset('lineage');
    c.loadLineage(ref);
    const lineage = await until(store, (s) => s.resources.lineage.key === execKey(ref) && s.resources.lineage.data, 'the lineage with its rerun');
    expect(lineage.reruns).toBe(`1 rerun, latest ${child.id}: Failed 2/2, 2 failed`);
    c.loadMerged(ref);
    const merged = await until(store, (s) => s.resources.merged.data, 'the merged view');
    expect(merged.attempts).toEqual([ref.id, child.id]);
    expect(merged.rows.map((r) => `${r.index}:${r.state}:${r.from === child.id ? 'rerun' : 'original'}`)).toEqual(['0:Complete:original', '1:Failed:rerun', '2:Complete:original', '3:Failed:rerun']);
    expect(merged.rows[1].text).toMatch(/value must not be negative, got -1/);
    c.stop();
  });

  it('refuses a rerun whose journaled records are not as many as the execution has, as mlbatch rerun does, and says why', async () => {
    const service = await fx.client.getService('flaky', '1.0');
    const records = [{ id: 0, value: 4 }, { id: 1, value: -1 }, { id: 2, value: 9 }, { id: 3, value: -3 }];
    const batch = await service.batch(records, { parallelCount: 2 }).start();
    const ref = { service: 'flaky', version: '1.0', id: batch.requireId() };
    // A journal that kept three of the four records (another file, say, of the same name).
    journal.remember({ host: fx.client.host, ...ref, origin: 'run', records: records.slice(0, 3), total: 3, recordsPath: '/data/values.csv' });
    const { store, c } = controller();
    store.getState().replaceAll({ kind: 'execution', ref });
    await c.attachData(ref);
    await until(store, (s) => s.exec.state === 'Complete' && s.exec.total === 4, 'the execution');
    await c.rerun(ref, [1, 3]);
    const status = store.getState().status;
    expect(status?.text).toBe('Rerun not started: this execution has 4 records but 3 are kept for it (read from /data/values.csv): ' +
      'give the original file with --records FILE');
    expect(status?.level).toBe('error');
    // At 80 columns the status line keeps the counts; wider, it gives the app's advice for the command line's.
    expect(statusLines(status!.text, 80)[0]).toMatch(/^Rerun not started: this execution has 4 records but 3 are kept for it/);
    expect(statusLines(status!.text, 400)[0]).toMatch(/\(read from \/data\/values\.csv\): give the original file with mlbatch rerun … --records FILE$/);
    // Nothing started: still on the parent, and the journal knows no rerun of it.
    expect(store.getState().exec.ref).toEqual(ref);
    expect(journal.reruns({ host: fx.client.host, ...ref })).toEqual([]);
    c.stop();
  });

  it('journals an attached execution once the server has answered for it, and never an id it does not know', async () => {
    const service = await fx.client.getService('flaky', '1.0');
    const elsewhere = await service.batch([{ id: 0, value: 1 }], { parallelCount: 1 }).start();
    const known = { service: 'flaky', version: '1.0', id: elsewhere.requireId() };
    const unknown = { service: 'flaky', version: '1.0', id: 'no-such-execution' };
    const { store, c } = controller();
    c.attach(unknown);
    await until(store, (s) => s.stack.length === 1 && /no-such-execution/.test(s.status?.text ?? ''), 'back, the unknown execution named', 10_000);
    expect(journal.get({ host: fx.client.host, ...unknown })).toBeUndefined();
    store.getState().replaceAll({ kind: 'execution', ref: known });
    await c.attachData(known);
    await until(store, () => journal.get({ host: fx.client.host, ...known }) !== undefined, 'the attached execution journaled');
    expect(journal.get({ host: fx.client.host, ...known })).toMatchObject({ origin: 'attach', recordsKept: false });
    c.stop();
  });

  it('lists the journal with the server, newest first, and marks what the server no longer knows', async () => {
    const def = (await fx.client.getService('flaky', '1.0')).definition;
    journal.remember({ host: fx.client.host, service: 'flaky', version: '1.0', id: 'forgotten-by-the-server', origin: 'attach', startedAt: Date.now() + 60_000, state: 'Complete', total: 5 });
    const { store, c } = controller();
    c.loadExecutions(def);
    const rows = await until(store, (s) => s.resources.executions.key === executionsKey(def) && s.resources.executions.data, 'the list');
    expect(rows[0]).toMatchObject({ id: 'forgotten-by-the-server', gone: true, state: 'Complete' });
    expect(rows.slice(1).every((r) => !r.gone && r.startedAt !== undefined)).toBe(true);
    expect(rows.slice(1).map((r) => r.startedAt)).toEqual([...rows.slice(1).map((r) => r.startedAt)].sort((a, b) => b! - a!));
    c.loadExecutions();
    const all = await until(store, (s) => s.resources.executions.key === '*' && s.resources.executions.data, 'the list across services');
    expect(all.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(all.every((r) => r.service === 'flaky' && r.state !== '')).toBe(true);
    c.stop();
  });

  it('journals the context the app is connected in, and each listed execution carries its own', async () => {
    const def = (await fx.client.getService('flaky', '1.0')).definition;
    journal.remember({ host: fx.client.host, service: 'flaky', version: '1.0', id: 'from-another-context', origin: 'attach', context: 'other', startedAt: Date.now() + 120_000, state: 'Complete', total: 1 });
    const store = createAppStore({ kind: 'services' });
    const c = new Controller(store, fx.client, { downloadDir: join(fx.work, 'dl'), minPollMs: 100, listRefreshMs: 100, journal, context: 'test', onQuit: () => undefined });
    store.getState().setConnection(fx.client.host, 'admin', true);
    const file = join(fx.work, 'one.csv');
    await writeFile(file, 'id,value\n0,4\n');
    await c.startBatch(def, file, 1);
    const ref = store.getState().exec.ref!;
    expect(journal.get({ host: fx.client.host, ...ref })?.context).toBe('test');
    c.loadExecutions(def);
    const rows = await until(store, (s) => s.resources.executions.key === executionsKey(def) && s.resources.executions.data, 'the list');
    expect(rows.find((r) => r.id === 'from-another-context')?.context).toBe('other');
    expect(rows.find((r) => r.id === ref.id)?.context).toBe('test');
    // Rows the journal has without a context (or only the server lists) are this server's: the context connected in.
    expect(rows.filter((r) => r.id !== 'from-another-context').every((r) => r.context === 'test')).toBe(true);
    c.stop();
  });
});
