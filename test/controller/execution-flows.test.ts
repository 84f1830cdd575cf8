import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_CODE } from '../../src/protocol.js';
import { controllerOn, startFixture, startScorerBatch, until, type ServerFixture } from './helpers.js';

describe('the controller on an execution: artifacts, downloads, cancel, re-attach', () => {
  let fx: ServerFixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('says in the status line, with one bell, that an execution ended while another screen was shown; groups its failures', async () => {
    const { store, c } = controllerOn(fx.client, join(fx.work, 'dl-end'));
    const service = await fx.client.getService('flaky', '1.0');
    // One at a time, so the first poll finds it unfinished: negative values fail at 1 and 3.
    const records = Array.from({ length: 40 }, (_, i) => ({ id: i, value: i === 1 || i === 3 ? -i : i }));
    const batch = await service.batch(records, { parallelCount: 1 }).start();
    const ref = { service: 'flaky', version: '1.0', id: batch.requireId() };
    store.getState().replaceAll({ kind: 'execution', ref });
    store.getState().attach(ref, 1);
    store.getState().push({ kind: 'downloads' });
    c.startPolling(ref, batch, records);
    const said = await until(store, (s) => s.status?.text, 'the end notice');
    expect(said).toBe(`Execution ${ref.id.slice(0, 8)} (flaky 1.0) ended: Complete, 40/40 done, 2 failed`);
    expect(store.getState().bell).toBe(1);
    c.groupErrors(ref);
    const errors = await until(store, (s) => s.errors, 'the error groups');
    expect(errors.groups.map((g) => [g.number, g.pattern, g.indices])).toEqual([[1, 'value must not be negative, got <num> (record id <num>)', [1, 3]]]);
    c.stop();
  });

  it('decodes an index with its inputs, lists and pages its artifacts, refuses a binary one, and downloads them all', async () => {
    const dl = join(fx.work, 'dl1');
    const { store, c } = controllerOn(fx.client, dl);
    const service = await fx.client.getService('chart', '1.0');
    const records = [
      { model: 'Mazda RX4', mpg: 21, hp: 110, wt: 2.62, qsec: 16.46 },
      { model: 'Datsun 710', mpg: 22.8, hp: 93, wt: 2.32, qsec: 18.61 },
    ];
    const batch = await service.batch(records, { parallelCount: 2 }).start();
    const ref = { service: 'chart', version: '1.0', id: batch.requireId() };
    store.getState().replaceAll({ kind: 'execution', ref });
    store.getState().attach(ref, 2);
    c.startPolling(ref, batch, records);
    await until(store, (s) => s.exec.state === 'Complete', 'the chart batch to complete');
    const detail = store.getState().detail(1)!;
    expect(detail.inputs).toEqual(records[1]);
    expect(detail.outputs.title).toMatch(/Datsun 710/);
    store.getState().push({ kind: 'index', ref, index: 1 });
    c.loadArtifacts(ref, 1);
    const names = await until(store, (s) => s.resources.artifacts.data, 'the artifacts');
    expect(names).toEqual(['chart.png', 'chart.svg', 'summary.json']);
    await c.viewArtifact(ref, 1, 'chart.png');
    const refusal = await until(store, (s) => s.status?.text, 'the refusal');
    expect(refusal).toMatch(/^chart\.png is not text \(\d+ bytes\): download it with d$/);
    c.viewArtifact(ref, 1, 'summary.json');
    const pager = await until(store, (s) => (s.stack.at(-1)?.kind === 'pager' ? s.stack.at(-1) : null), 'the pager');
    expect(pager).toMatchObject({ title: '1/summary.json', text: expect.stringContaining('Datsun 710') });
    // Read for an index screen that was left meanwhile, a text opens nothing.
    store.getState().pop();
    const late = c.viewArtifact(ref, 1, 'chart.svg');
    store.getState().pop();
    await late;
    expect(store.getState().stack.map((s) => s.kind)).toEqual(['execution']);
    c.downloadArtifacts(ref, 1);
    await until(store, (s) => s.status?.text.startsWith('Downloaded'), 'the index download');
    expect(store.getState().stack.map((s) => s.kind)).toEqual(['execution']);
    expect(store.getState().status?.text).toBe(`Downloaded 3 files to ${join(dl, ref.id, '1')}`);
    expect(store.getState().downloads).toEqual([expect.objectContaining({ label: 'index 1: all artifacts', total: 3, done: 3, state: 'done' })]);
    expect((await readdir(join(dl, ref.id, '1'))).sort()).toEqual(['chart.png', 'chart.svg', 'summary.json']);
    const png = await readFile(join(dl, ref.id, '1', 'chart.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    c.stop();
  });

  it('downloads every finished index, and a second run skips what is there', async () => {
    const dl = join(fx.work, 'dl2');
    const { store, c } = controllerOn(fx.client, dl);
    const { ref } = await startScorerBatch(c, fx.client, 40, 20);
    await until(store, (s) => s.exec.state === 'Complete', 'the execution to complete', 30_000);
    c.downloadAll(ref);
    await until(store, (s) => s.status?.text.startsWith('Downloaded'), 'the bulk download');
    expect(store.getState().status?.text).toBe(`Downloaded 40 files to ${join(dl, ref.id)}`);
    expect((await readdir(join(dl, ref.id))).length).toBe(40);
    expect(await readFile(join(dl, ref.id, '7', 'score.txt'), 'utf8')).toMatch(/^id 8, value /);
    store.getState().clearStatus();
    c.downloadAll(ref);
    await until(store, (s) => s.status?.text.startsWith('Downloaded'), 'the resumed download');
    expect(store.getState().status?.text).toBe(`Downloaded 40 files (40 already there) to ${join(dl, ref.id)}`);
    c.stop();
  });

  it('cancels (and says so), and partial results off polls counts only', async () => {
    const { store, c } = controllerOn(fx.client, join(fx.work, 'dl3'));
    const { ref } = await startScorerBatch(c, fx.client, 600, 2);
    await until(store, (s) => s.exec.state === 'InProgress', 'polling');
    c.setPartial(false);
    expect(store.getState().exec.partial).toBe(false);
    expect(store.getState().status?.text).toBe('Partial results off: counts only until the end');
    await c.cancelExecution();
    expect(store.getState().status?.text).toBe(`Cancel requested for execution ${ref.id}`);
    await until(store, (s) => s.exec.state === 'Canceled', 'the execution canceled');
    c.stop();
  });

  it('re-attached after it ended, an execution ends when its last record did, not when it was attached', async () => {
    const { store, c } = controllerOn(fx.client, join(fx.work, 'dl4'));
    const { ref, batch } = await startScorerBatch(c, fx.client, 20, 20);
    await until(store, (s) => s.exec.state === 'Complete', 'the execution to complete', 30_000);
    const results = await batch.results({ showPartialResults: true });
    const lastEnd = Math.max(...Array.from({ length: 20 }, (_, i) => Date.parse(results.execution(i)!.raw.endTime!)));
    const again = controllerOn(fx.client, join(fx.work, 'dl4'), { kind: 'execution', ref });
    const attachedAt = Date.now();
    expect(await again.c.attachData(ref)).toBeUndefined();
    const exec = await until(again.store, (s) => s.exec.state === 'Complete' && s.exec.counts[ITEM_CODE.Complete] + s.exec.counts[ITEM_CODE.Failed] === 20 && s.exec, 're-attached');
    expect(exec.endedAt).toBe(lastEnd);
    expect(exec.endedAt!).toBeLessThan(attachedAt);
    // Found by id, its parallelCount is the server's word (the embedded server reports it).
    expect(exec.parallelCount).toBe(20);
    expect(exec.runningSource).toBe('reported');
    again.c.stop();
    c.stop();
  });
});
