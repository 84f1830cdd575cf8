import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../src/server/runtime/pool.js';
import { cleanup, EXAMPLES, exampleService, mtcars, params, runOne, service } from './helpers.js';
// @ts-expect-error: a plain script shipped with the examples, without type declarations
import { generateRecords } from '../../examples/records/generate-records.mjs';

const pool = createWorkerPool({ maxWorkers: 4 });
afterAll(async () => {
  await pool.close();
  cleanup();
});

type Rec = { id: number; value: number; group: string };
const records = (n: number): Rec[] => generateRecords(n);

describe('example service: transmission', () => {
  const svc = exampleService('transmission');

  it('fits the same model as R glm(am ~ hp + wt, binomial) on mtcars in its initCode', async () => {
    const probe = service({ initCode: svc.initCode, code: 'const [b0, bHp, bWt] = coefficients;', outputs: params('b0', 'bHp', 'bWt') });
    const { outputParameters: c } = await runOne(pool, probe);
    expect(c.b0 as number).toBeCloseTo(18.86630, 3);
    expect(Math.abs((c.b0 as number) - 18.8663)).toBeLessThan(1e-3);
    expect(Math.abs((c.bHp as number) - 0.03626)).toBeLessThan(1e-3);
    expect(Math.abs((c.bWt as number) - -8.08348)).toBeLessThan(1e-3);
  });

  it('carries the shipped mtcars.csv inside its initCode, unchanged', () => {
    const shipped = readFileSync(path.join(EXAMPLES, 'services/transmission/mtcars.csv'), 'utf8');
    expect(shipped).toBe(readFileSync(path.join(EXAMPLES, 'records/mtcars.csv'), 'utf8'));
    expect(svc.initCode).toContain(`const MTCARS_CSV = \`${shipped}\`;`);
    expect(mtcars()).toHaveLength(32);
  });

  it('scores real cars sensibly and writes answer.csv', async () => {
    const cars = mtcars();
    const outs = await Promise.all(cars.map((c) => runOne(pool, svc, { hp: c.hp, wt: c.wt })));
    expect(outs.every((o) => o.success && o.artifacts.join() === 'answer.csv')).toBe(true);
    const p = Object.fromEntries(cars.map((c, i) => [c.model, outs[i].outputParameters.probability as number]));
    expect(p['Cadillac Fleetwood']).toBeLessThan(0.01); // 205 hp, 5.25k lbs
    expect(p['Lincoln Continental']).toBeLessThan(0.01);
    expect(p['Lotus Europa']).toBeGreaterThan(0.99); // 113 hp, 1.5k lbs
    expect(p['Honda Civic']).toBeGreaterThan(0.99);
    const right = cars.filter((c, i) => (outs[i].outputParameters.probability as number) > 0.5 === (c.am === 1));
    expect(right.length).toBeGreaterThanOrEqual(28);
    const answer = readFileSync(path.join(outs[0].workDir, 'answer.csv'), 'utf8');
    expect(answer).toBe(`hp,wt,probability\n110,2.62,${p['Mazda RX4']}\n`);
  });

  it('names the bad input when a record is not numeric', async () => {
    const out = await runOne(pool, svc, { hp: 'lots', wt: 3 });
    expect(out.success).toBe(false);
    expect(out.errorMessage).toBe('input hp must be a number, got "lots"');
  });
});

describe('example service: slow-scorer', () => {
  const svc = exampleService('slow-scorer');

  it('rejects the same ~3% of ids every time and writes score.txt for every record', async () => {
    const recs = records(60);
    const run = () => Promise.all(recs.map((r) => runOne(pool, svc, { id: r.id, value: r.value })));
    const [a, b] = [await run(), await run()];
    const failed = a.flatMap((o, i) => (o.success ? [] : [recs[i].id]));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(6);
    expect(b.flatMap((o, i) => (o.success ? [] : [recs[i].id]))).toEqual(failed);
    for (const [i, o] of a.entries()) {
      expect(o.artifacts).toEqual(['score.txt']);
      expect(readFileSync(path.join(o.workDir, 'score.txt'), 'utf8')).toMatch(new RegExp(`^id ${recs[i].id}, value`));
      if (o.success) {
        expect(o.outputParameters.elapsedMs as number).toBeGreaterThanOrEqual(10);
        expect(o.outputParameters.elapsedMs as number).toBeLessThanOrEqual(200);
        expect(o.outputParameters.score as number).toBeGreaterThan(0);
      } else {
        expect(o.errorMessage).toBe(`id ${recs[i].id} is rejected: the slow scorer fails about 3% of ids on purpose`);
      }
    }
    const probe = service({ initCode: svc.initCode, code: 'let n = 0;\nfor (let i = 1; i <= 10000; i++) if (rejected(i)) n++;', outputs: params('n') });
    const share = ((await runOne(pool, probe)).outputParameters.n as number) / 10000;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.04);
  });
});

describe('example service: flaky', () => {
  it('fails negative values with a clear message and takes the root of the others', async () => {
    const svc = exampleService('flaky');
    const recs = records(200);
    const negative = recs.filter((r) => r.value < 0).slice(0, 3);
    const positive = recs.filter((r) => r.value >= 0).slice(0, 3);
    expect(negative.length).toBe(3);
    for (const r of negative) {
      const out = await runOne(pool, svc, { id: r.id, value: r.value });
      expect(out.errorMessage).toBe(`value must not be negative, got ${r.value} (record id ${r.id})`);
    }
    for (const r of positive) {
      const out = await runOne(pool, svc, { id: r.id, value: r.value });
      expect(out.outputParameters.root).toBeCloseTo(Math.sqrt(r.value), 12);
    }
  });
});

describe('example service: flaky 2.0', () => {
  it('differs from 1.0 only where the value is outside [0, 2]: negatives give 0, values above 2 the root of 2', async () => {
    const v1 = exampleService('flaky');
    const v2 = exampleService('flaky-2.0');
    const values = [-1, 0, 0.5, 2, 2.25, 4];
    const outs = await Promise.all(values.map((value, i) => Promise.all([runOne(pool, v1, { id: i, value }), runOne(pool, v2, { id: i, value })])));
    expect(outs[0][0].success).toBe(false);
    expect(outs.map(([, b]) => b.outputParameters.root)).toEqual([0, 0, Math.sqrt(0.5), Math.SQRT2, Math.SQRT2, Math.SQRT2]);
    expect(outs.slice(1, 4).every(([a, b]) => a.outputParameters.root === b.outputParameters.root)).toBe(true);
    expect(outs[4][0].outputParameters.root).toBe(1.5);
  });
});

describe('example service: chart', () => {
  it('draws a PNG whose bars match the inputs, an SVG with the title and a summary', async () => {
    const svc = exampleService('chart');
    const car = mtcars().find((c) => c.model === 'Maserati Bora')!;
    const out = await runOne(pool, svc, { model: 'Bora & <co>', mpg: car.mpg, hp: car.hp, wt: car.wt, qsec: car.qsec });
    expect(out.errorMessage).toBe('');
    expect(out.artifacts.sort()).toEqual(['chart.png', 'chart.svg', 'summary.json']);
    const png = readFileSync(path.join(out.workDir, 'chart.png'));
    expect(out.outputParameters.pngBytes).toBe(png.length);
    const { width, height, pixels } = decodePng(png);
    expect([width, height]).toEqual([240, 140]);
    // Column x of each bar: coloured pixels above the axis, as many as its share of 120 px.
    const barHeight = (x: number) => {
      let n = 0;
      for (let y = 0; y < 130; y++) if (pixels[(y * width + x) * 3] !== 255 || pixels[(y * width + x) * 3 + 2] !== 255) n++;
      return n;
    };
    expect(barHeight(40)).toBe(Math.round((15 / 40) * 120)); // mpg
    expect(barHeight(95)).toBe(Math.round((335 / 400) * 120)); // hp
    expect(barHeight(150)).toBe(Math.round((3.57 / 6) * 120)); // wt
    const svg = readFileSync(path.join(out.workDir, 'chart.svg'), 'utf8');
    expect(svg).toContain('Bora &#38; &#60;co&#62;: 15 mpg, 335 hp');
    expect(JSON.parse(readFileSync(path.join(out.workDir, 'summary.json'), 'utf8'))).toMatchObject({ hp: 335, bars: { length: 4 } });
  });
});

describe('example records', () => {
  it('generates the same 10,000 records every time, and the committed sample is their start', () => {
    const all = records(10_000);
    expect(all).toHaveLength(10_000);
    expect(records(10_000)).toEqual(all);
    const sample = readFileSync(path.join(EXAMPLES, 'records/scores-sample.csv'), 'utf8').trim().split('\n');
    expect(sample[0]).toBe('id,value,group');
    expect(sample.slice(1)).toEqual(all.slice(0, sample.length - 1).map((r) => `${r.id},${r.value},${r.group}`));
  });
});

/** Decodes the truecolour, unfiltered PNGs the chart example writes, checking every CRC. */
function decodePng(buf: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    expect(buf.readUInt32BE(at + 8 + len)).toBe(crc32(buf.subarray(at + 4, at + 8 + len)));
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) raw.copy(pixels, y * width * 3, y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1));
  return { width, height, pixels };
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
