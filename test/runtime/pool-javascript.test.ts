import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../src/server/runtime/pool.js';
import { cleanup, params, runOne, service, waitForFile, workDir } from './helpers.js';

const pool = createWorkerPool({ maxWorkers: 2, maxConsoleBytes: 2000 });
afterAll(async () => {
  await pool.close();
  cleanup();
});

describe('JavaScript services in the worker pool', () => {
  it('binds inputs, reads back const/let/var/global outputs and captures the console', async () => {
    const svc = service({
      inputs: params('a', 'b', 'label:character'),
      outputs: params('sum', 'upper:character', 'ratio', 'missing', 'viaGlobal'),
      code: [
        'const sum = a + b;',
        "console.log('sum is', sum);",
        "console.error('to stderr', { a });",
        'let upper = label.toUpperCase();',
        'var ratio = a / 0;',
        'globalThis.viaGlobal = [1n, new Float64Array([0.5, NaN])];',
      ].join('\n'),
    });
    const out = await runOne(pool, svc, { a: 2, b: 3.5, label: 'cars' });
    expect(out.errorMessage).toBe('');
    expect(out.success).toBe(true);
    expect(out.outputParameters).toEqual({ sum: 5.5, upper: 'CARS', ratio: null, missing: null, viaGlobal: [1, [0.5, null]] });
    expect(out.consoleOutput).toBe('sum is 5.5\nto stderr { a: 2 }\n');
    expect(Date.parse(out.endTime)).toBeGreaterThanOrEqual(Date.parse(out.startTime));
  });

  it('runs initCode once per worker and keeps its declarations visible to the code', async () => {
    const svc = service({
      initCode: "globalThis.inits = (globalThis.inits ?? 0) + 1;\nconst factor = 3;\nconsole.log('init ran');",
      inputs: params('x'),
      outputs: params('y', 'inits', 'pid'),
      code: 'const y = x * factor;\nconst pid = process.pid;',
    });
    const outs = [];
    for (let i = 0; i < 4; i++) outs.push(await runOne(pool, svc, { x: i }));
    expect(outs.map((o) => o.outputParameters.y)).toEqual([0, 3, 6, 9]);
    expect(outs.every((o) => o.outputParameters.inits === 1)).toBe(true);
    expect(new Set(outs.map((o) => o.outputParameters.pid)).size).toBe(1);
    expect(outs[0].consoleOutput).toContain('init ran');
  });

  it('binds inputs as globals too, and drops the globals a record created before the next one', async () => {
    const svc = service({
      // A function of initCode that reads an input as a free variable, as ML Server sessions allow.
      initCode: 'function scaled() { return x * 10; }',
      inputs: params('x'),
      outputs: params('y', 'z', 'seen'),
      code: [
        "const seen = typeof counter === 'undefined' ? 'fresh' : 'stale';",
        'if (x === 1) { globalThis.y = 1; counter = 1; }',
        'const z = scaled();',
      ].join('\n'),
    });
    const first = await runOne(pool, svc, { x: 1 });
    const second = await runOne(pool, svc, { x: 2 });
    expect(first.outputParameters).toEqual({ y: 1, z: 10, seen: 'fresh' });
    expect(second.outputParameters).toEqual({ y: null, z: 20, seen: 'fresh' });
  });

  it('runs each record in its work dir and lists the declared files that exist as artifacts', async () => {
    const svc = service({
      inputs: params('n'),
      outputs: params('cwd:character'),
      outputFileNames: ['answer.csv', 'never-written.txt', 'chart.png'],
      code: [
        "const fs = require('node:fs');",
        "fs.writeFileSync('answer.csv', `n\\n${n}\\n`);",
        "fs.writeFileSync('chart.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));",
        'const cwd = process.cwd();',
      ].join('\n'),
    });
    const out = await runOne(pool, svc, { n: 7 });
    expect(out.success).toBe(true);
    expect(out.outputParameters.cwd).toBe(realpathSync(out.workDir));
    expect(out.artifacts.sort()).toEqual(['answer.csv', 'chart.png']);
    expect(readFileSync(path.join(out.workDir, 'answer.csv'), 'utf8')).toBe('n\n7\n');
    expect(existsSync(path.join(out.workDir, 'never-written.txt'))).toBe(false);
  });

  it('fails an item with the exception message and keeps the worker for the next record', async () => {
    const svc = service({
      inputs: params('x'),
      outputs: params('pid'),
      code: "if (x < 0) throw new Error(`x must be positive, got ${x}`);\nif (x === 0) null.boom;\nconst pid = process.pid;",
    });
    const bad = await runOne(pool, svc, { x: -4 });
    expect(bad.success).toBe(false);
    expect(bad.errorMessage).toBe('x must be positive, got -4');
    expect(bad.consoleOutput).toMatch(/^Error: x must be positive, got -4\n\s+at .*svc\d+\/code\.js:1:/);
    const typeError = await runOne(pool, svc, { x: 0 });
    expect(typeError.errorMessage).toMatch(/^TypeError: Cannot read properties of null/);
    const good = await runOne(pool, svc, { x: 1 });
    expect(good.success).toBe(true);
    expect(typeof good.outputParameters.pid).toBe('number');
  });

  it('fails every record with the reason when initCode throws or the code does not compile', async () => {
    const broken = service({ initCode: "throw new Error('model file missing')", code: '' });
    const out = await runOne(pool, broken);
    expect(out.success).toBe(false);
    expect(out.errorMessage).toBe('initCode failed: model file missing');
    const syntax = service({ code: 'const = 1;' });
    expect((await runOne(pool, syntax)).errorMessage).toMatch(/^code does not compile: SyntaxError/);
  });

  it('says an output cannot be encoded instead of sending something else', async () => {
    const svc = service({ outputs: params('loop'), code: 'const loop = {}; loop.self = loop;' });
    const out = await runOne(pool, svc);
    expect(out.success).toBe(false);
    expect(out.errorMessage).toBe("output 'loop' cannot be encoded as JSON: it contains a circular reference");
  });

  it('cuts a long consoleOutput at the limit and says so', async () => {
    const svc = service({ code: "for (let i = 0; i < 5000; i++) console.log('line ' + i + ' ' + 'é'.repeat(20));" });
    const out = await runOne(pool, svc);
    expect(out.success).toBe(true);
    const [kept, note] = out.consoleOutput.split('\n[consoleOutput cut: ');
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(2000);
    expect(kept.startsWith('line 0 ')).toBe(true);
    expect(note).toMatch(/^\d+ more bytes not shown \(limit 2000 bytes\)\]/);
  });

  it('fails a record that outlives its timeout, keeping what it printed, and replaces the worker', async () => {
    const svc = service({ inputs: params('spin:logical'), outputs: params('pid'), code: "console.log('spin', spin);\nwhile (spin) {}\nconst pid = process.pid;" });
    const first = await runOne(pool, svc, { spin: false });
    const slow = await runOne(pool, svc, { spin: true }, 1500);
    expect(slow.success).toBe(false);
    expect(slow.errorMessage).toBe('timed out after 1.5 s');
    // What it printed before it was stopped is kept, and nothing of the record before.
    expect(slow.consoleOutput).toBe('spin true\n');
    const after = await runOne(pool, svc, { spin: false });
    expect(after.success).toBe(true);
    expect(after.outputParameters.pid).not.toBe(first.outputParameters.pid);
  });

  it('fails the record whose worker is killed, not its neighbour, and the next record works', async () => {
    const svc = service({
      inputs: params('victim:logical'),
      outputs: params('ok:logical'),
      code: [
        "console.log('victim', victim);",
        "require('node:fs').writeFileSync('pid.txt', String(process.pid));",
        'await new Promise((r) => setTimeout(r, victim ? 60000 : 1500));',
        'const ok = true;',
      ].join('\n'),
    });
    const victimDir = workDir();
    const victim = runOne(pool, svc, { victim: true }, 60_000, victimDir);
    const neighbour = runOne(pool, svc, { victim: false });
    process.kill(Number(await waitForFile(path.join(victimDir, 'pid.txt'))), 'SIGKILL');
    const [v, n] = await Promise.all([victim, neighbour]);
    expect(v.success).toBe(false);
    expect(v.errorMessage).toBe('worker process died while running this record (killed by SIGKILL)');
    expect(v.consoleOutput).toBe('victim true\n');
    expect(n.success).toBe(true);
    const next = await runOne(pool, svc, { victim: false });
    expect(next.outputParameters).toEqual({ ok: true });
  });

  it('keeps the worker channel out of reach of service code', async () => {
    const svc = service({ outputs: params('canSend:logical'), code: "const canSend = typeof process.send === 'function';" });
    expect((await runOne(pool, svc)).outputParameters).toEqual({ canSend: false });
  });

  it('fails the record when its code throws from a callback, and replaces the worker', async () => {
    const svc = service({ code: "setTimeout(() => { throw new Error('late failure'); }, 10);\nawait new Promise((r) => setTimeout(r, 5000));" });
    const out = await runOne(pool, svc);
    expect(out.success).toBe(false);
    expect(out.errorMessage).toContain('uncaught error in service code: late failure');
  });

  it('a record that cannot be serialised for the worker fails alone; the process and the worker go on', async () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const svc = service({ inputs: params('v:vector'), outputs: params('n'), code: 'const n = Array.isArray(v) ? v.length : -1;' });
    const out = await runOne(pool, svc, { v: deep });
    expect(out.success).toBe(false);
    expect(out.errorMessage).toMatch(/^could not send this record to the worker: Maximum call stack size exceeded/);
    expect((await runOne(pool, svc, { v: [1, 2] })).outputParameters).toEqual({ n: 2 });
  });

  it('fails a record whose output is nested too deep to send back, naming the output', async () => {
    const svc = service({ outputs: params('v:vector'), code: 'let v = [];\nfor (let i = 0; i < 5000; i++) v = [v];' });
    const out = await runOne(pool, svc);
    expect(out.success).toBe(false);
    expect(out.errorMessage).toBe("output 'v' cannot be encoded as JSON: it is nested more than 200 levels deep");
  });

  it('reports R as unavailable and fails its items with a clear message', async () => {
    expect(await pool.available()).toMatchObject({ JavaScript: true, R: false });
    const out = await runOne(pool, service({ runtimeType: 'R', code: 'x <- 1' }));
    expect(out.success).toBe(false);
    expect(out.errorMessage).toMatch(/^R runtime not available/);
  });
});
