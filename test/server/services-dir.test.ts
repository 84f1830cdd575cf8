import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { startTestServer, tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function serviceFolder(root: string, folder: string, spec: unknown, files: Record<string, string>): void {
  mkdirSync(path.join(root, folder));
  writeFileSync(path.join(root, folder, 'service.json'), typeof spec === 'string' ? spec : JSON.stringify(spec));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, folder, name), text);
}

describe('--services DIR', () => {
  it('refuses to start on a bad service.json, naming the file and the field', async () => {
    const cases: [unknown, Record<string, string>, RegExp][] = [
      ['{oops', { 'code.js': '' }, /service\.json: not valid JSON/],
      [{ version: '1.0' }, { 'code.js': '' }, /service\.json: name must be a non-empty string/],
      [{ name: 'a', inputs: [{ name: 'x', type: 'float' }] }, { 'code.js': '' }, /service\.json: inputs\[0\]\.type/],
      [{ name: 'a', artifacts: ['../up.txt'] }, { 'code.js': '' }, /service\.json: artifacts\[0\]/],
      [{ name: 'a' }, {}, /service\.json: code\.js is missing/],
      [{ name: 'a', runtime: 'Python' }, { 'code.js': '' }, /service\.json: code\.py is missing/],
    ];
    for (const [spec, files, message] of cases) {
      const root = tempDir();
      const dataDir = tempDir();
      dirs.push(root, dataDir);
      serviceFolder(root, 'svc', spec, files);
      await expect(startServer({ port: 0, dataDir, servicesDir: root, adminPassword: 'x' })).rejects.toThrow(message);
    }
  });

  it('publishes init and code, and a restart with changed code updates the service in place', async () => {
    const root = tempDir();
    const dataDir = tempDir();
    dirs.push(root, dataDir);
    serviceFolder(root, 'greet', { name: 'greet', version: '2.0', inputs: [{ name: 'who', type: 'character' }], outputs: [{ name: 'text', type: 'character' }] }, {
      'init.js': 'const greeting = "hello";',
      'code.js': 'const text = `${greeting} ${who}`;',
    });
    let t = await startTestServer({ dataDir, servicesDir: root });
    let res = await t.call<{ outputParameters: { text: string } }>('POST', '/api/greet/2.0', { who: 'ada' });
    expect(res.body.outputParameters.text).toBe('hello ada');
    await t.stop();

    writeFileSync(path.join(root, 'greet/init.js'), 'const greeting = "bonjour";');
    t = await startTestServer({ dataDir, servicesDir: root });
    res = await t.call<{ outputParameters: { text: string } }>('POST', '/api/greet/2.0', { who: 'ada' });
    expect(res.body.outputParameters.text).toBe('bonjour ada');
    expect((await t.call<unknown[]>('GET', '/services')).body).toHaveLength(1);
    await t.stop();
  });
});
