import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, downloadMany, MlBatchHttpError, MlBatchUsageError, Poller, type Client } from '../../src/index.js';
import { ITEM_CODE } from '../../src/protocol.js';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
let client: Client;

beforeAll(async () => {
  server = await embeddedServer();
  client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
});
afterAll(async () => server?.close());

const cars = [
  { hp: 110, wt: 2.62 }, { hp: 93, wt: 2.32 }, { hp: 245, wt: 3.57 }, { hp: 52, wt: 1.615 }, { hp: 335, wt: 3.57 },
];

describe('client against the embedded server', () => {
  it('refuses a wrong password with advice', async () => {
    const err = await connect({ host: server.url, username: 'admin', password: 'nope' }).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/^401 Unauthorized from POST \/login: check the user name and password/);
  });

  it('lists services and reads one with its schema', async () => {
    const services = await client.listServices();
    expect(services.map((s) => s.name)).toContain('transmission');
    const svc = await client.getService('transmission', '1.0');
    expect(svc.inputs.map((i) => i.name)).toEqual(['hp', 'wt']);
    expect(svc.capabilities().outputFileNames).toEqual(['answer.csv']);
  });

  it('describes a service as the Python client does, and fetches its own swagger document', async () => {
    const svc = await client.getService('transmission', '1.0');
    const caps = svc.capabilities();
    expect(caps).toMatchObject({
      name: 'transmission', version: '1.0', runtimeType: 'JavaScript', publishedBy: 'admin',
      api: `${server.url}/api/transmission/1.0`, swagger: `${server.url}/api/transmission/1.0/swagger.json`,
      inputs: [{ name: 'hp', type: 'numeric' }, { name: 'wt', type: 'numeric' }],
      outputs: [{ name: 'probability', type: 'numeric' }], artifacts: ['answer.csv'],
    });
    expect(Date.parse(caps.creationTime)).not.toBeNaN();
    const doc = await svc.swagger();
    expect(doc.swagger).toBe('2.0');
    const ops = Object.keys(doc.paths as object);
    expect(ops).toContain('/api/transmission/1.0/batch');
    expect(ops).toContain('/api/transmission/1.0/batch/{executionId}/{index}/files/{fileName}');
    expect((doc.definitions as Record<string, { properties: object }>).InputParameters.properties).toEqual({
      hp: { type: 'number', format: 'double' }, wt: { type: 'number', format: 'double' },
    });
  });

  it('says which service is missing', async () => {
    const err = await client.getService('no-such', '9.9').catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchHttpError);
    expect(err.status).toBe(404);
  });

  it('consumes once with outputs cast by the schema', async () => {
    const svc = await client.getService('transmission', '1.0');
    const r = await svc.consume({ hp: 110, wt: 2.62 });
    expect(r.success).toBe(true);
    const p = r.output('probability') as number;
    expect(typeof p).toBe('number');
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });

  it('runs a batch to the end, refuses a second start, downloads artifacts per index', async () => {
    const svc = await client.getService('transmission', '1.0');
    const batch = svc.batch(cars, { parallelCount: 2 });
    await batch.start();
    expect(batch.executionId).toMatch(/\S/);
    await expect(batch.start()).rejects.toBeInstanceOf(MlBatchUsageError);
    const updates: number[] = [];
    const last = await new Poller(batch, { minIntervalMs: 50, onUpdate: (s) => updates.push(s.version) }).run();
    expect(last.state).toBe('Complete');
    expect(last.counts[ITEM_CODE.Complete]).toBe(cars.length);
    expect(Array.from(last.items)).toEqual(cars.map(() => ITEM_CODE.Complete));
    expect(last.result(2)?.output('probability')).toBeTypeOf('number');
    expect(await svc.listBatchExecutions()).toContain(batch.executionId);

    const final = await batch.results();
    expect(final.totalItemCount).toBe(cars.length);
    expect(final.execution(4)?.success).toBe(true);
    expect(await batch.listArtifacts(3)).toEqual(['answer.csv']);
    const bytes = await batch.artifact(3, 'answer.csv');
    expect(bytes.toString()).toContain('52,1.615,');

    const dest = join(await tempDir(), 'missing', 'nested');
    const written = await batch.download(3, { destination: dest });
    expect(written).toEqual([join(dest, 'answer.csv')]);
    expect(await readFile(written[0], 'utf8')).toBe(bytes.toString());
    // Same content again: skipped quietly; the folder holds no leftover .part file.
    await batch.download(3, { destination: dest });
    expect(await readdir(dest)).toEqual(['answer.csv']);
    // Different content under the same name is not overwritten unless asked.
    await expect(batch.download(4, { destination: dest })).rejects.toThrow(/exists with different content.*--overwrite/);
    await batch.download(4, { destination: dest, overwrite: true });
    expect(await readFile(join(dest, 'answer.csv'), 'utf8')).toContain('335,3.57,');
    // One named file only.
    const one = join(await tempDir(), 'one');
    expect(await batch.download(2, { destination: one, fileName: 'answer.csv' })).toEqual([join(one, 'answer.csv')]);
    expect(await readFile(join(one, 'answer.csv'), 'utf8')).toContain('245,3.57,');
    await expect(batch.download(2, { destination: one, fileName: 'missing.csv' })).rejects.toMatchObject({ status: 404 });
  });

  it('downloads every artifact of every index, and resumes without fetching what is there', async () => {
    const svc = await client.getService('chart', '1.0');
    const rows = [
      { model: 'a', mpg: 21, hp: 110, wt: 2.62, qsec: 16.46 }, { model: 'b', mpg: 22.8, hp: 93, wt: 2.32, qsec: 18.61 },
      { model: 'c', mpg: 14.3, hp: 245, wt: 3.57, qsec: 15.84 },
    ];
    const batch = await svc.batch(rows).start();
    await new Poller(batch, { minIntervalMs: 50 }).run();
    const dest = join(await tempDir(), 'all');
    const progress: { filesDone: number; filesTotal: number }[] = [];
    const first = await downloadMany(batch, { indices: [0, 1, 2], destination: dest, concurrency: 4, onProgress: (p) => progress.push(p) });
    expect(first.failed).toBe(0);
    expect(first.files.map((f) => `${f.index}/${f.fileName}`)).toEqual([
      '0/chart.png', '0/chart.svg', '0/summary.json', '1/chart.png', '1/chart.svg', '1/summary.json',
      '2/chart.png', '2/chart.svg', '2/summary.json',
    ]);
    expect(progress.at(-1)).toMatchObject({ filesDone: 9, filesTotal: 9, indicesListed: 3 });
    expect(JSON.parse(await readFile(join(dest, '2', 'summary.json'), 'utf8'))).toMatchObject({ model: 'c', hp: 245 });
    const resumed = await downloadMany(batch, { indices: [0, 1, 2], destination: dest, resume: true });
    expect(resumed.files.every((f) => f.outcome === 'skipped')).toBe(true);
    expect(resumed.bytes).toBe(0);
  });

  it('cancels an execution and keeps results so far readable', async () => {
    const svc = await client.getService('slow-scorer', '1.0');
    const records = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, value: i / 10 }));
    const batch = await svc.batch(records, { parallelCount: 2 }).start();
    await batch.cancel();
    const last = await new Poller(batch, { minIntervalMs: 50 }).run();
    expect(last.state).toBe('Canceled');
    expect(last.completedItemCount).toBeLessThan(records.length);
    expect(last.counts[ITEM_CODE.Canceled]).toBeGreaterThan(0);
  });
});
