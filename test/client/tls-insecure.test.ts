/** `insecure`: a self-signed HTTPS server is refused with advice, and accepted only when asked. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, MlBatchNetworkError } from '../../src/index.js';
import { sendJson, tempDir, tinyServer } from '../helpers.js';

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const dir = await tempDir();
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    if (req.url === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600, refresh_token: 'r' });
    sendJson(res, 200, [{ name: 'svc', version: '1' }]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
});
afterAll(async () => close?.());

describe('self-signed TLS', () => {
  it('is refused by default, with advice naming --insecure', async () => {
    const err = await connect({ host: url, username: 'u', password: 'p', retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(/POST \/login failed \(.*(SELF_SIGNED|CERT).*\): the TLS certificate was refused; use --insecure only if you trust this server/);
  });

  it('is accepted with insecure', async () => {
    const client = await connect({ host: url, username: 'u', password: 'p', insecure: true });
    expect((await client.listServices()).map((s) => s.name)).toEqual(['svc']);
  });

  it('says when https:// reaches a plain HTTP server, rather than blaming a certificate', async () => {
    const plain = await tinyServer((_req, res) => sendJson(res, 200, {}));
    const https = plain.url.replace('http:', 'https:');
    const err = await connect({ host: https, username: 'u', password: 'p', insecure: true, retries: 0 }).catch((e) => e);
    await plain.close();
    expect(err).toBeInstanceOf(MlBatchNetworkError);
    expect(err.message).toMatch(new RegExp(`^POST /login failed \\(.+\\): the server at ${https} does not speak HTTPS on that port; try ${plain.url}$`));
  });
});
