/**
 * Contexts in the built app, in a real 80×24 terminal: two contexts on two embedded servers with
 * different services; C switches from one to the other without a restart (the header's name and
 * the services follow), a read-only context refuses cancel with its reason, `:ctx dev` goes back.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { openSharedLogin } from '../../src/session/shared-login.js';
import { contextLoginPath, setCurrentContext } from '../../src/session/context-state.js';
import { saveContext } from '../../src/session/contexts.js';
import { TEST_HASH_COST } from '../server/helpers.js';
import { startPty, type PtyApp } from './pty.js';

const root = resolve(import.meta.dirname, '../..');
const PASSWORD = 'pty-contexts-1';
const ENTER = '\r';
const CTRL_C = '\x03';

describe('contexts in a real terminal', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  const servers: RunningServer[] = [];
  let app: PtyApp | undefined;

  /** A server on port 0 with only `service` of the examples. */
  async function serverWith(name: string, service: string): Promise<RunningServer> {
    const services = join(work, `${name}-services`);
    await cp(join(root, 'examples', 'services', service), join(services, service), { recursive: true });
    const server = await startServer({
      port: 0, host: '127.0.0.1', dataDir: join(work, `${name}-data`), servicesDir: services,
      adminPassword: PASSWORD, passwordHashCost: TEST_HASH_COST, log: () => undefined,
    });
    servers.push(server);
    return server;
  }

  /** Saves a login for context `name` of `server`, as `mlbatch login --context NAME` would. */
  async function loginTo(name: string, server: RunningServer): Promise<void> {
    const client = await connect({ host: server.url, username: 'admin', password: PASSWORD });
    await openSharedLogin(contextLoginPath(name, env)).save({ host: server.url, username: 'admin', refreshToken: client.refreshToken!, savedAt: new Date().toISOString() });
  }

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'launch', 'app-command.js'))) throw new Error('build first: npm run build');
    work = await mkdtemp(join(tmpdir(), 'mlbatch-pty-contexts-'));
    env = { HOME: work, XDG_CONFIG_HOME: join(work, 'config'), XDG_STATE_HOME: join(work, 'state'), XDG_DATA_HOME: join(work, 'data') };
    await mkdir(env.XDG_CONFIG_HOME!, { recursive: true });
  });

  afterAll(async () => {
    app?.kill();
    for (const s of servers) await s.close().catch(() => undefined);
    await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  it('C switches to the other server in place; the read-only one refuses cancel, saying why; :ctx dev goes back', async () => {
    const dev = await serverWith('dev', 'transmission');
    const prod = await serverWith('prod', 'slow-scorer');
    await saveContext({ name: 'dev', host: dev.url, user: 'admin', color: 'cyan' }, env);
    await saveContext({ name: 'prod', host: prod.url, user: 'admin', readonly: true }, env);
    await loginTo('dev', dev);
    await loginTo('prod', prod);
    await setCurrentContext('dev', env);
    // A batch running on prod, long enough to still run when the app gets to it.
    const client = await connect({ host: prod.url, username: 'admin', password: PASSWORD });
    const records = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, value: i % 7 }));
    const batch = await (await client.getService('slow-scorer', '1.0')).batch(records, { parallelCount: 1 }).start();
    const id = batch.requireId();

    const blank = { MLBATCH_CONTEXT: '', MLBATCH_HOST: '', MLBATCH_USER: '', MLBATCH_PASSWORD: '', MLBATCH_TOKEN: '' };
    app = startPty(['--download-dir', join(work, 'dl')], { cwd: root, env: { ...env, ...blank } as NodeJS.ProcessEnv });

    // The current context's services, its name at the top right.
    let rows = await app.waitForScreen((r) => r[0].startsWith(`Services on ${dev.url} (1)`) && r.some((l) => l.includes('transmission')), 'the services of dev', 45_000);
    expect(rows[0]).toMatch(/ dev$/);
    expect(rows.join('\n')).not.toContain('slow-scorer');
    // In its accent colour (cyan), through ink to the terminal.
    expect(app.raw()).toContain('\x1b[36mdev');

    app.press('C');
    rows = await app.waitForScreen((r) => r[0].startsWith('Contexts (2)') && r.some((l) => l.includes('prod')), 'the contexts');
    expect(rows.find((l) => l.includes(dev.url))).toMatch(/^>\*dev +http:\/\/127\.0\.0\.1:\d+ +admin$/);
    expect(rows.find((l) => l.includes(prod.url))).toMatch(/^ {2}prod +http:\/\/127\.0\.0\.1:\d+ +admin +read-only$/);

    app.press('j');
    app.press(ENTER);
    rows = await app.waitForScreen((r) => r[0].startsWith(`Services on ${prod.url} (1)`) && r.some((l) => l.includes('slow-scorer')), 'the services of prod');
    expect(rows[0]).toMatch(/ prod$/);
    expect(rows.join('\n')).not.toContain('transmission');
    expect(rows.some((l) => l.startsWith(`Switched to context prod: ${prod.url} as admin, read-only`))).toBe(true);
    // A production name, no colour of its own: the warning colour.
    expect(app.raw()).toContain('\x1b[33mprod');

    // prod's running execution, from H: cancel is refused with the context's reason.
    app.press('H');
    await app.waitForScreen((r) => r[0].startsWith('All executions') && r.some((l) => l.includes(id.slice(0, 8))), 'prod\'s executions');
    app.press(ENTER);
    rows = await app.waitForScreen((r) => r[0].startsWith(`slow-scorer 1.0  ${id}`) && r[1].startsWith('InProgress'), 'the running execution');
    expect(rows[0]).toMatch(/\[read-only\] +prod$/);
    expect(rows[22]).not.toContain('cancel');
    app.press('c');
    rows = await app.waitForScreen((r) => r.some((l) => l.startsWith('Context prod is read-only')), 'the refusal');
    expect(rows.join('\n')).not.toContain('Cancel execution');
    expect((await batch.poll({ showPartialResults: false })).state).toBe('InProgress');

    // `:ctx dev` from the execution screen: back on dev, cancel possible again there.
    app.press(':');
    await app.waitForScreen((r) => r.some((l) => l.startsWith('jump to index (or ctx): ')), 'the prompt');
    app.press('ctx dev');
    await app.waitForScreen((r) => r.some((l) => l.startsWith('jump to index (or ctx): ctx dev')), 'the command typed');
    app.press(ENTER);
    rows = await app.waitForScreen((r) => r[0].startsWith(`Services on ${dev.url} (1)`) && r.some((l) => l.includes('transmission')), 'the services of dev again');
    expect(rows[0]).toMatch(/ dev$/);
    expect(rows.some((l) => l.startsWith(`Switched to context dev: ${dev.url} as admin`))).toBe(true);

    app.press(CTRL_C);
    expect(await app.exited).toBe(0);
  }, 120_000);
});
