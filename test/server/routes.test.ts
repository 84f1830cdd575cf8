import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths, routes } from '../../src/protocol.js';
import { startTestServer, type TestServer } from './helpers.js';

describe('routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('the route patterns are the protocol paths with a parameter per argument', () => {
    expect(routes.file('name', 'version', 'id', 'index', 'fileName')).toBe('/api/:name/:version/batch/:id/:index/files/:fileName');
    expect(paths.file('a b', '1.0', 'x/y', 3, 'out.csv')).toBe('/api/a%20b/1.0/batch/x%2Fy/3/files/out.csv');
  });

  it('every path the client builds from the protocol reaches a route of the server', async () => {
    const [n, v, id] = ['svc', '1.0', 'no-such-id'];
    const calls: [string, string][] = [
      ['POST', paths.login],
      ['POST', paths.refreshToken],
      ['DELETE', `${paths.refreshToken}?refreshToken=x`],
      ['GET', paths.status],
      ['GET', paths.services],
      ['GET', paths.service(n)],
      ['GET', paths.serviceVersion(n, v)],
      ['POST', paths.api(n, v)],
      ['GET', paths.swagger(n, v)],
      ['GET', paths.batch(n, v)],
      ['GET', paths.execution(n, v, id)],
      ['GET', paths.files(n, v, id, 0)],
      ['GET', paths.file(n, v, id, 0, 'out.csv')],
    ];
    for (const [method, path] of calls) {
      const res = await t.call<{ message: string }>(method, path, method === 'POST' ? {} : undefined);
      // Unknown service, bad body or token: answered by the route, not by "no such endpoint".
      expect(res.body.message ?? '', `${method} ${path}`).not.toMatch(/^no such endpoint/);
    }
  });
});
