import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServiceResult } from '../../src/protocol.js';
import { DEFAULT_LIMITS } from '../../src/server/index.js';
import { probePython } from '../../src/server/runtime/pool.js';
import { params, startBatch, startTestServer, waitForEnd, type TestServer } from './helpers.js';

/** `levels` arrays nested in one another, as JSON text. */
const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const LIMIT = DEFAULT_LIMITS.maxInputDepth;
const hasPython = await probePython('python3');

describe('inputs nested too deep or out of range answer 400, and the server lives on', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 2 });
    const res = await t.call('POST', '/services/deep/v1', {
      runtimeType: 'JavaScript',
      code: 'y = 1;',
      inputParameterDefinitions: params('v:vector', 'n:numeric', 'i:integer'),
      outputParameterDefinitions: params('y', 'n'),
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t.stop());

  const consumeOk = async () => {
    const ok = await t.call<WebServiceResult>('POST', '/api/deep/v1', { v: [1] });
    expect(ok.status).toBe(200);
    expect(ok.body.success).toBe(true);
  };

  it('a consume nested 5,000 deep (about 10 KB) answers 400 naming the input and the limit', async () => {
    const res = await t.call<{ message: string }>('POST', '/api/deep/v1', `{"v": ${nested(5000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`input 'v' is nested more than ${LIMIT} levels deep (arrays or objects within each other)`);
    await consumeOk();
  });

  it('a value at the depth limit runs', async () => {
    const res = await t.call<WebServiceResult>('POST', '/api/deep/v1', `{"v": ${nested(LIMIT)}}`);
    expect(res.status).toBe(200);
    expect(res.body.outputParameters).toEqual({ y: 1, n: null });
  });

  it('a batch nested too deep in a vector, a numeric input or an undeclared field answers 400 naming record, input and why', async () => {
    const deep = nested(4250);
    const res = await t.call<{ message: string }>('POST', '/api/deep/v1/batch', `[{"v": ${deep}}]`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(`record 0: input 'v' is nested more than ${LIMIT} levels deep (arrays or objects within each other)`);
    const numeric = await t.call<{ message: string }>('POST', '/api/deep/v1/batch', `[{"v": [1]}, {"n": ${deep}}]`);
    expect(numeric.status).toBe(400);
    expect(numeric.body.message).toMatch(`record 1: input 'n' is nested more than ${LIMIT} levels deep (arrays or objects within each other)`);
    const extra = await t.call<{ message: string }>('POST', '/api/deep/v1/batch', `[{"v": [1]}, {}, {"extra": {"a": ${deep}}}]`);
    expect(extra.status).toBe(400);
    expect(extra.body.message).toMatch(`record 2: field 'extra' is nested more than ${LIMIT} levels deep (arrays or objects within each other)`);
    expect((await t.call<string[]>('GET', '/api/deep/v1/batch')).body).toEqual([]);
    await consumeOk();
  });

  it('a number beyond a double (1e999) is refused, showing what was sent; in text it is only text', async () => {
    const numeric = await t.call<{ message: string }>('POST', '/api/deep/v1', '{"n": 1e999}');
    expect(numeric.status).toBe(400);
    expect(numeric.body.message).toBe("input 'n' is 1e999, a number out of range (numbers must be finite, within ±1.8e308)");
    const integer = await t.call<{ message: string }>('POST', '/api/deep/v1', '{"i": -1E+400}');
    expect(integer.status).toBe(400);
    expect(integer.body.message).toMatch(/^input 'i' is -1E\+400, a number out of range/);
    const batch = await t.call<{ message: string }>('POST', '/api/deep/v1/batch', '[{"v": [1]}, {"v": [1, [2, 1e999]]}]');
    expect(batch.status).toBe(400);
    expect(batch.body.message).toMatch(/^record 1: input 'v' holds 1e999, a number out of range/);
    // The same characters inside a string, and a large but finite number, are fine.
    const text = await t.call<WebServiceResult>('POST', '/api/deep/v1', '{"v": ["1e999"], "n": 1.5e308, "note": "x 1e999"}');
    expect(text.status).toBe(200);
    expect(text.body.outputParameters).toEqual({ y: 1, n: 1.5e308 });
    // A body or a record that is only such a number is not an object of inputs.
    const whole = await t.call<{ message: string }>('POST', '/api/deep/v1', '1e999');
    expect([whole.status, whole.body.message]).toEqual([400, 'body must be a JSON object of the service inputs']);
    const record = await t.call<{ message: string }>('POST', '/api/deep/v1/batch', '[{"v": [1]}, -1e999]');
    expect([record.status, record.body.message]).toEqual([400, 'record 1 must be a JSON object of the service inputs']);
    expect((await t.call<string[]>('GET', '/api/deep/v1/batch')).body).toEqual([]);
  });

  it('records that pass the checks still run in a batch', async () => {
    const id = await startBatch(t, 'deep', [{ v: [[1]] }, { n: 2, i: '3' }], 2, 'v1');
    const end = await waitForEnd(t, 'deep', id, 40_000, 'v1');
    expect(end.batchExecutionResults.map((r) => r?.outputParameters)).toEqual([{ y: 1, n: null }, { y: 1, n: 2 }]);
  });
});

describe('parameter names that shadow what the runtime needs', () => {
  let t: TestServer;
  beforeAll(async () => {
    // A record that hangs fails after 20 s instead of the default 10 minutes.
    t = await startTestServer({ maxWorkers: 2, recordTimeoutMs: 20_000 });
  });
  afterAll(() => t.stop());

  const publish = (name: string, runtimeType: string, body: Record<string, unknown>) =>
    t.call<{ message: string }>('POST', `/services/${name}/v1`, { runtimeType, ...body });

  it('JavaScript: inputs named process, require, console, globalThis and module reach the code; the worker keeps working', async () => {
    const res = await publish('shadow-js', 'JavaScript', {
      initCode: "function tools() { return [typeof require('node:path').join, typeof console.log, typeof process.pid]; }",
      code: 'const y = [process, require, console, globalThis, module, tools()];',
      inputParameterDefinitions: params('process:vector', 'require', 'console:character', 'globalThis', 'module:logical'),
      outputParameterDefinitions: params('y:vector', 'process:vector', 'setTimeout'),
    });
    expect(res.status).toBe(201);
    for (const n of [1, 2]) {
      const out = await t.call<WebServiceResult>('POST', '/api/shadow-js/v1', {
        process: [n], require: n, console: 'c', globalThis: 3, module: true,
      });
      expect(out.body.errorMessage).toBe('');
      // An output named like a global the code did not set is null, not the global.
      expect(out.body.outputParameters).toEqual({
        y: [[n], n, 'c', 3, true, ['function', 'function', 'number']],
        process: [n],
        setTimeout: null,
      });
    }
  });

  it('JavaScript: an output the code assigns as a global (process = 7) is read back, and the real one is back for the next record', async () => {
    const res = await publish('clobber-js', 'JavaScript', {
      code: "const before = typeof globalThis.process.pid;\nprocess = 7;\nconsole = 'gone';",
      outputParameterDefinitions: params('before:character', 'process', 'console:character'),
    });
    expect(res.status).toBe(201);
    for (let k = 0; k < 2; k++) {
      const out = await t.call<WebServiceResult>('POST', '/api/clobber-js/v1', {});
      expect(out.body.errorMessage).toBe('');
      expect(out.body.outputParameters).toEqual({ before: 'number', process: 7, console: 'gone' });
    }
  });

  it('JavaScript: reserved words and __proto__ are refused at publish, naming the input', async () => {
    for (const name of ['class', '__proto__']) {
      const res = await publish('bad-js', 'JavaScript', { code: '', inputParameterDefinitions: params(`x`, name) });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(`inputParameterDefinitions[1].name '${name}' cannot be a JavaScript variable name`);
    }
  });

  it.skipIf(!hasPython)('Python: inputs named like builtins (print, len, json) reach the code', async () => {
    const res = await publish('shadow-py', 'Python', {
      code: 'y = [print, len, json]\ncount = sum([1, 2])',
      inputParameterDefinitions: params('print', 'len:integer', 'json:character'),
      outputParameterDefinitions: params('y:vector', 'count:integer', 'sum'),
    });
    expect(res.status).toBe(201);
    for (const n of [1, 2]) {
      const out = await t.call<WebServiceResult>('POST', '/api/shadow-py/v1', { print: n, len: 2, json: 'j' });
      expect(out.body.errorMessage).toBe('');
      expect(out.body.outputParameters).toEqual({ y: [n, 2, 'j'], count: 3, sum: null });
    }
  });

  it('Python: keywords and __dunder__ names are refused at publish, naming the input or output', async () => {
    const keyword = await publish('bad-py', 'Python', { code: '', inputParameterDefinitions: params('lambda') });
    expect(keyword.status).toBe(400);
    expect(keyword.body.message).toBe("inputParameterDefinitions[0].name 'lambda' cannot be a Python variable name: it is reserved in Python");
    const dunder = await publish('bad-py', 'Python', { code: '', outputParameterDefinitions: params('y', '__builtins__') });
    expect(dunder.status).toBe(400);
    expect(dunder.body.message).toBe(
      "outputParameterDefinitions[1].name '__builtins__' cannot be a Python variable name: Python keeps __dunder__ names for itself",
    );
  });
});
