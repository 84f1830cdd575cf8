import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebService, WebServiceResult } from '../../src/protocol.js';
import { params, publishJs, startTestServer, type TestServer } from './helpers.js';

describe('services', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxWorkers: 2 });
  });
  afterAll(() => t.stop());

  const addService = {
    runtimeType: 'JavaScript',
    description: 'adds',
    code:
      'if (typeof y !== "number") throw new Error("y must be a number");' +
      'const sum = x + y; console.log(`sum ${sum}`); require("node:fs").writeFileSync("sum.txt", String(sum));',
    inputParameterDefinitions: params('x', 'y'),
    outputParameterDefinitions: params('sum'),
    outputFileNames: ['sum.txt'],
  };

  it('publishes (201), refuses the same name and version again (409), lists and gets it', async () => {
    const created = await t.call<string>('POST', '/services/add/1.0', addService);
    expect(created.status).toBe(201);
    expect(created.body).toBe(`${t.server.url}/api/add/1.0`);
    const dup = await t.call<{ message: string }>('POST', '/services/add/1.0', addService);
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/add.*1\.0.*already/);
    expect((await t.call('POST', '/services/add/2.0', addService)).status).toBe(201);

    const all = await t.call<WebService[]>('GET', '/services');
    expect(all.body.map((s) => `${s.name}/${s.version}`)).toEqual(['add/1.0', 'add/2.0']);
    const versions = await t.call<WebService[]>('GET', '/services/add');
    expect(versions.body).toHaveLength(2);
    const one = await t.call<WebService>('GET', '/services/add/1.0');
    expect(one.body).toMatchObject({
      name: 'add',
      version: '1.0',
      runtimeType: 'JavaScript',
      description: 'adds',
      versionPublishedBy: 'admin',
      inputParameterDefinitions: params('x', 'y'),
      outputFileNames: ['sum.txt'],
    });
    expect(Date.parse(one.body.creationTime!)).not.toBeNaN();
  });

  it('answers 404 for unknown services and versions, naming them', async () => {
    const svc = await t.call<{ message: string }>('GET', '/services/nope/1.0');
    expect(svc.status).toBe(404);
    expect(svc.body.message).toMatch(/unknown service 'nope'/);
    const ver = await t.call<{ message: string }>('GET', '/services/add/9.9');
    expect(ver.status).toBe(404);
    expect(ver.body.message).toMatch(/no version '9\.9'/);
    expect((await t.call('GET', '/services/nope')).status).toBe(404);
    expect((await t.call('POST', '/api/nope/1.0', {})).status).toBe(404);
    expect((await t.call('GET', '/api/nope/1.0/swagger.json')).status).toBe(404);
  });

  it('refuses bad publish requests with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /code is required/],
      [{ code: 'x', runtimeType: 'Cobol' }, /runtimeType must be one of/],
      [{ code: 'x', inputParameterDefinitions: [{ name: 'a', type: 'blob' }] }, /inputParameterDefinitions\[0\]\.type/],
      [{ code: 'x', outputParameterDefinitions: [{ name: '1bad', type: 'numeric' }] }, /outputParameterDefinitions\[0\]\.name/],
      // Names become variables of the service's language.
      [{ code: 'x', runtimeType: 'Python', inputParameterDefinitions: [{ name: 'x', type: 'numeric' }, { name: 'lambda', type: 'numeric' }] },
        /inputParameterDefinitions\[1\]\.name 'lambda' cannot be a Python variable name/],
      [{ code: 'x', runtimeType: 'JavaScript', outputParameterDefinitions: [{ name: 'my.score', type: 'numeric' }] },
        /outputParameterDefinitions\[0\]\.name 'my\.score' cannot be a JavaScript variable name/],
      [{ code: 'x', runtimeType: 'JavaScript', inputParameterDefinitions: [{ name: 'class', type: 'numeric' }] }, /'class' cannot be a JavaScript/],
      [{ code: 'x', outputFileNames: ['../escape.txt'] }, /outputFileNames\[0\].*separator/],
      [{ code: 'x', outputFileNames: ['/etc/passwd'] }, /outputFileNames\[0\]/],
      [[1, 2], /JSON object/],
      ['{not json', /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await t.call<{ message: string }>('POST', '/services/bad/1.0', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    const badName = await t.call<{ message: string }>('POST', '/services/..%2Fx/1.0', { code: 'x' });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/name/);
  });

  it('consumes once: outputs, console output and files as base64', async () => {
    const res = await t.call<WebServiceResult>('POST', '/api/add/1.0', { x: 2, y: 40 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      errorMessage: '',
      consoleOutput: 'sum 42\n',
      outputParameters: { sum: 42 },
      changedFiles: ['sum.txt'],
    });
    expect(Buffer.from(res.body.outputFiles['sum.txt'], 'base64').toString()).toBe('42');
    const failed = await t.call<WebServiceResult>('POST', '/api/add/1.0', { x: 1 });
    expect(failed.status).toBe(200);
    expect(failed.body.success).toBe(false);
    expect(failed.body.errorMessage).toMatch(/y must be a number/);
  });

  it('serves a swagger 2.0 document of the service', async () => {
    const res = await t.call<{ swagger: string; paths: Record<string, unknown>; definitions: Record<string, { properties: object }> }>(
      'GET', '/api/add/1.0/swagger.json',
    );
    expect(res.status).toBe(200);
    expect(res.body.swagger).toBe('2.0');
    // Every consume and batch operation, with its method, as a swagger client would generate calls.
    const ops = Object.fromEntries(Object.entries(res.body.paths).map(([p, v]) => [p, Object.keys(v as object).sort()]));
    expect(ops).toEqual({
      '/api/add/1.0': ['post'],
      '/api/add/1.0/batch': ['get', 'post'],
      '/api/add/1.0/batch/{executionId}': ['delete', 'get'],
      '/api/add/1.0/batch/{executionId}/{index}/files': ['get'],
      '/api/add/1.0/batch/{executionId}/{index}/files/{fileName}': ['get'],
    });
    const start = (res.body.paths['/api/add/1.0/batch'] as { post: { parameters: { name: string; in: string }[] } }).post;
    expect(start.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:parallelCount']));
    expect(Object.keys(res.body.definitions.InputParameters.properties)).toEqual(['x', 'y']);
    expect(Object.keys(res.body.definitions.OutputParameters.properties)).toEqual(['sum']);
  });

  it('updates with PATCH, and a deleted version is gone', async () => {
    const patched = await t.call('PATCH', '/services/add/2.0', { ...addService, code: 'const sum = x * y;' });
    expect(patched.status).toBe(200);
    const run = await t.call<WebServiceResult>('POST', '/api/add/2.0', { x: 3, y: 4 });
    expect(run.body.outputParameters).toEqual({ sum: 12 });
    expect((await t.call('DELETE', '/services/add/2.0')).status).toBe(200);
    expect((await t.call('GET', '/services/add/2.0')).status).toBe(404);
    expect((await t.call('DELETE', '/services/add/2.0')).status).toBe(404);
    expect((await t.call('POST', '/api/add/2.0', { x: 1, y: 1 })).status).toBe(404);
  });

  it('publishes R and Python services; R items fail saying the runtime is not available', async () => {
    expect((await t.call('POST', '/services/r-svc/1.0', { code: 'y <- x', runtimeType: 'R' })).status).toBe(201);
    expect((await t.call('POST', '/services/py-svc/1.0', { code: 'y = x', runtimeType: 'Python' })).status).toBe(201);
    const names = (await t.call<WebService[]>('GET', '/services')).body.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['r-svc', 'py-svc']));
    const res = await t.call<WebServiceResult>('POST', '/api/r-svc/1.0', { x: 1 });
    expect(res.body.success).toBe(false);
    expect(res.body.errorMessage).toMatch(/R runtime not available/);
    const status = await t.call<{ details: { runtimes: Record<string, boolean> } }>('GET', '/status');
    expect(status.body.details.runtimes).toMatchObject({ JavaScript: true, R: false });
  });

  it('runs a Python service once when Python is available, else says it is not', async () => {
    const published = await t.call('POST', '/services/py-add/1.0', {
      runtimeType: 'Python',
      code: 'total = x + y\nprint("total", total)',
      inputParameterDefinitions: params('x', 'y'),
      outputParameterDefinitions: params('total'),
    });
    expect(published.status).toBe(201);
    const status = await t.call<{ details: { runtimes: Record<string, boolean> } }>('GET', '/status');
    const res = await t.call<WebServiceResult>('POST', '/api/py-add/1.0', { x: 2, y: 3 });
    if (status.body.details.runtimes.Python) {
      expect(res.body).toMatchObject({ success: true, outputParameters: { total: 5 }, consoleOutput: expect.stringMatching(/^total 5(\.0)?\n$/) });
    } else {
      expect(res.body).toMatchObject({ success: false, errorMessage: expect.stringMatching(/Python runtime not available/) });
    }
  });

  it('answers unknown endpoints with 404 {"message"}', async () => {
    const res = await t.call<{ message: string }>('GET', '/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/no such endpoint/);
    await publishJs(t, 'noop', { code: '' });
  });
});
