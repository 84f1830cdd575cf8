/**
 * The contract between the screens' fake port and the real one: the same scenarios drive
 * `FakeActions` (test/tui/app-fixture.tsx, which the component tests use) and the real Controller
 * on the embedded server, and what each leaves in the store must read the same: the screen on top,
 * the status line, the execution's state and size, the downloads, the resources' states. Ids, the
 * server's address and download paths are masked; everything else is compared as is, so a message
 * or a behaviour the fake copies from the controller cannot drift from it unnoticed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppActions } from '../../src/actions.js';
import { connect } from '../../src/client/client.js';
import { Controller } from '../../src/controller/controller.js';
import { openSharedLogin } from '../../src/session/shared-login.js';
import { contextLoginPath } from '../../src/session/context-state.js';
import { saveContext } from '../../src/session/contexts.js';
import { openJournal, type Journal } from '../../src/journal/journal.js';
import type { WebService } from '../../src/protocol.js';
import { createAppStore, type AppState, type AppStore } from '../../src/store/app-store.js';
import type { ContextRow, ExecRef, Screen } from '../../src/store/types.js';
import { FakeActions, ID, SERVICES, type ExecSpec } from '../tui/app-fixture.js';
import { PASSWORD, startFixture, until, type ServerFixture } from './helpers.js';

/** One side of the contract: a store and the port that fills it. */
interface Side {
  store: AppStore;
  actions: AppActions;
  /** The fake, on the fake side, to be told what the server would answer. */
  fake?: FakeActions;
  /** A service definition as that side knows it. */
  def(name: string, version?: string): Promise<WebService>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** What a user could notice of a store, with ids, the servers' addresses and local paths masked. */
function seen(store: AppStore, hosts: [string, string][], dirs: string[]) {
  const mask = (text: string) => {
    let out = text;
    // The longer first: one server's address may begin with another's (port 4100 and 41001).
    for (const [host, name] of [...hosts].sort((a, b) => b[0].length - a[0].length)) out = out.replaceAll(host, name);
    for (const dir of dirs) out = out.replaceAll(dir, 'DIR');
    return out.replace(UUID, 'ID').replace(/\b[0-9a-f]{8}\b/g, 'ID8');
  };
  const s: AppState = store.getState();
  const top = s.stack.at(-1);
  return {
    screens: s.stack.map((screen) => screen.kind).join(' > '),
    pager: top?.kind === 'pager' ? top.title : undefined,
    status: s.status ? `${s.status.level}: ${mask(s.status.text)}` : null,
    server: `${mask(s.connection.host)} as ${s.connection.user}${s.connection.connected ? '' : ' (not connected)'}`,
    context: s.context,
    readonly: s.readonlyReason,
    exec: s.exec.ref ? { service: s.exec.ref.service, version: s.exec.ref.version, state: s.exec.state, total: s.exec.total } : null,
    downloads: s.downloads.map((d) => `${mask(d.label)} → ${mask(d.destination)}: ${d.state} ${d.done}/${d.total}, ${d.skipped} skipped, ${d.failed} failed`),
    resources: Object.fromEntries(Object.entries(s.resources).map(([name, r]) => [name, r.status])),
  };
}

/** The id of a reference on the fake side: the fake's executions all answer to one made-up id. */
const fakeRef = (service: string, version = '1.0'): ExecRef => ({ service, version, id: ID });
/** What the fake shows of an execution that ran `states`. */
const spec = (states: string, state: ExecSpec['state']): ExecSpec => ({ states, state });

describe('the fake actions port and the real controller', () => {
  let fx: ServerFixture;
  let journal: Journal;
  let downloadDir: string;
  /** The environment contexts are read from (config.yaml and saved logins under the fixture's dir). */
  let env: NodeJS.ProcessEnv;
  /** Other servers, by their masked name (a context's own, besides HOST). */
  const others: [string, string][] = [];
  const running: Controller[] = [];
  beforeAll(async () => {
    fx = await startFixture();
    journal = openJournal({ path: join(fx.work, 'journal.sqlite') });
    downloadDir = join(fx.work, 'downloads');
    env = { HOME: fx.work, XDG_CONFIG_HOME: join(fx.work, 'config'), XDG_STATE_HOME: join(fx.work, 'state') };
    await mkdir(env.XDG_CONFIG_HOME!, { recursive: true });
  });
  afterAll(async () => {
    for (const c of running) c.stop();
    journal?.close();
    await fx?.stop();
  });

  const real = (first: Screen = { kind: 'services' }, client: ServerFixture['client'] | null = fx.client): Side => {
    const store = createAppStore(first);
    const c = new Controller(store, client, { downloadDir, minPollMs: 100, listRefreshMs: 100, journal, env, onQuit: () => undefined });
    running.push(c);
    if (client) store.getState().setConnection(client.host, 'admin', true);
    return { store, actions: c, def: async (name, version = '1.0') => (await fx.client.getService(name, version)).definition };
  };
  const fake = (first: Screen = { kind: 'services' }, connected = true): Side => {
    const store = createAppStore(first);
    const f = new FakeActions(store);
    if (connected) store.getState().setConnection(fx.client.host, 'admin', true);
    return { store, actions: f, fake: f, def: async (name, version = '1.0') => SERVICES.find((s) => s.name === name && s.version === version)! };
  };

  /** Runs `scenario` on both sides and expects the same store; `masks` hide what only a real server can say. */
  async function agree(scenario: (side: Side) => Promise<void>, options: { first?: Screen; connected?: boolean; masks?: [RegExp, string][] } = {}) {
    const connected = options.connected ?? true;
    const a = real(options.first, connected ? fx.client : null);
    const b = fake(options.first, connected);
    await scenario(a);
    await scenario(b);
    const dirs = [downloadDir, fx.work, '/downloads'];
    const look = (side: Side) => {
      const view = seen(side.store, [[fx.client.host, 'HOST'], ...others], dirs);
      return { ...view, status: (options.masks ?? []).reduce((text, [from, to]) => text?.replace(from, to) ?? null, view.status) };
    };
    expect(look(b), 'the fake').toEqual(look(a));
  }

  /** A records file of `lines` (a header first). */
  const records = async (name: string, lines: string[]) => {
    const file = join(fx.work, name);
    await writeFile(file, `${lines.join('\n')}\n`);
    return file;
  };

  /** Starts `file` on `service` from its compose screen, as the app does; the fake is told what it became. */
  const start = async (side: Side, service: string, file: string, parallel: number, becomes: ExecSpec) => {
    const def = await side.def(service);
    if (side.fake) side.fake.start = () => ({ ref: fakeRef(service), spec: becomes });
    side.store.getState().push({ kind: 'compose', service: def });
    await side.actions.startBatch(def, file, parallel);
    await until(side.store, (s) => s.exec.total === becomes.states.length && s.exec.state === becomes.state, `${service} to be ${becomes.state}`);
    return side.store.getState().exec.ref!;
  };

  it('lists the same services as the server', async () => {
    await agree(async (side) => {
      side.actions.loadServices();
      await until(side.store, (s) => s.resources.services.status === 'ready', 'the services');
    });
    const listed = await fx.client.listServices();
    expect(SERVICES.map((s) => `${s.name} ${s.version}`).sort()).toEqual(listed.map((s) => `${s.name} ${s.version}`).sort());
    for (const s of SERVICES) {
      const d = listed.find((l) => l.name === s.name && l.version === s.version)!;
      expect({ runtimeType: s.runtimeType, inputs: s.inputParameterDefinitions, outputs: s.outputParameterDefinitions, files: s.outputFileNames }, `${s.name} ${s.version}`)
        .toEqual({ runtimeType: d.runtimeType, inputs: d.inputParameterDefinitions, outputs: d.outputParameterDefinitions, files: d.outputFileNames });
    }
  });

  it('refuses a wrong password and connects with the right one, saying so the same way', async () => {
    const masks: [RegExp, string][] = [[/^(error: Cannot connect: ).*/s, '$1REASON']];
    const login = (side: Side) => side.fake && (side.fake.login = (_h, _u, password) => (password === PASSWORD ? true : 'REASON'));
    await agree(async (side) => {
      login(side);
      expect(await side.actions.connect(fx.client.host, 'admin', 'wrong')).toBe(false);
    }, { first: { kind: 'connect' }, connected: false, masks });
    await agree(async (side) => {
      login(side);
      expect(await side.actions.connect(fx.client.host, 'admin', PASSWORD)).toBe(true);
    }, { first: { kind: 'connect' }, connected: false });
  });

  it('changes nothing when partial results are toggled with no execution attached', async () => {
    await agree(async (side) => side.actions.setPartial(false));
  });

  it('starts a batch onto its execution screen, toggles partial results and cancels it', async () => {
    const file = await records('many.csv', ['id,value', ...Array.from({ length: 30 }, (_, i) => `${i},${i}`)]);
    await agree(async (side) => {
      await start(side, 'slow-scorer', file, 1, spec('>' + '.'.repeat(29), 'InProgress'));
      side.actions.setPartial(false);
      await side.actions.cancelExecution();
      await until(side.store, (s) => s.exec.state === 'Canceled', 'the cancel');
    });
  });

  it('refuses a records file with a bad value before starting anything', async () => {
    const bad = await records('bad.csv', ['id,value', '0,4', '1,four']);
    await agree(async (side) => {
      const def = await side.def('flaky');
      if (side.fake) side.fake.start = () => 'REASON';
      side.store.getState().push({ kind: 'compose', service: def });
      await side.actions.startBatch(def, bad, 2);
    }, { masks: [[/^(error: Not started: ).*/s, '$1REASON']] });
  });

  it('reruns chosen records as a new execution in place of the parent', async () => {
    const file = await records('values.csv', ['id,value', '0,4', '1,-1', '2,9', '3,-3']);
    for (const indices of [[1, 3], [1]]) {
      await agree(async (side) => {
        const parent = await start(side, 'flaky', file, 2, spec('#X#X', 'Complete'));
        if (side.fake) side.fake.rerunAs = spec('X'.repeat(indices.length), 'Failed');
        await side.actions.rerun(parent, indices);
        await until(side.store, (s) => s.exec.ref?.id !== parent.id && s.exec.total === indices.length && s.exec.state === 'Failed', 'the rerun to end');
      });
    }
  });

  it('pages a text artifact from the index screen, and downloads one index and then all', async () => {
    const file = await records('two.csv', ['id,value', '0,1', '1,2']);
    await agree(async (side) => {
      const ref = await start(side, 'slow-scorer', file, 2, spec('##', 'Complete'));
      if (side.fake) side.fake.artifactText = () => 'score';
      side.store.getState().push({ kind: 'index', ref, index: 0 });
      await side.actions.viewArtifact(ref, 0, 'score.txt');
      await until(side.store, (s) => s.stack.at(-1)?.kind === 'pager', 'the pager');
      side.store.getState().pop();
      // An answer for an index screen that was left belongs to no screen.
      side.store.getState().pop();
      await side.actions.viewArtifact(ref, 0, 'score.txt');
      if (side.fake) side.fake.download = { files: 1, skipped: 0 };
      side.actions.downloadArtifacts(ref, 0);
      await until(side.store, (s) => s.downloads[0]?.state === 'done', 'the download of index 0');
      if (side.fake) side.fake.download = { files: 2, skipped: 1 };
      side.actions.downloadAll(ref);
      await until(side.store, (s) => s.downloads[1]?.state === 'done', 'the download of all');
    });
  });
  it('switches to another context\'s server with its saved login, and refuses a context it cannot use, saying why', async () => {
    const two = await startFixture();
    others.push([two.client.host, 'HOST2']);
    try {
      // Three contexts: this server, the second (read-only), and one without a saved login.
      await saveContext({ name: 'one', host: fx.client.host, user: 'admin' }, env);
      await saveContext({ name: 'two', host: two.client.host, user: 'admin', readonly: true }, env);
      await saveContext({ name: 'three', host: 'http://127.0.0.1:9', user: 'admin' }, env);
      await saveContext({ name: 'four', host: two.client.host, user: 'admin' }, env);
      const save = async (name: string, host: string, refreshToken: string) =>
        openSharedLogin(contextLoginPath(name, env)).save({ host, username: 'admin', refreshToken, savedAt: new Date().toISOString() });
      const login = async (host: string) => (await connect({ host, username: 'admin', password: PASSWORD })).refreshToken!;
      await save('one', fx.client.host, await login(fx.client.host));
      await save('two', two.client.host, await login(two.client.host));
      // A saved login the server no longer takes (revoked, expired).
      await save('four', two.client.host, 'not-a-refresh-token');
      const rows: ContextRow[] = [
        { name: 'one', host: fx.client.host, user: 'admin', readonly: false, color: null, loggedIn: true },
        { name: 'two', host: two.client.host, user: 'admin', readonly: true, color: null, loggedIn: true },
        { name: 'three', host: 'http://127.0.0.1:9', user: 'admin', readonly: false, color: null, loggedIn: false },
        { name: 'four', host: two.client.host, user: 'admin', readonly: false, color: null, loggedIn: true },
      ];
      /** A side in context `one`, its contexts listed. */
      const inOne = async (side: Side) => {
        if (side.fake) side.fake.contexts = rows;
        else (side.actions as Controller).context = 'one';
        side.store.getState().setContext({ name: 'one', color: null, readonly: false });
        side.actions.loadContexts();
        await until(side.store, (s) => s.resources.contexts.status === 'ready', 'the contexts');
        side.store.getState().push({ kind: 'contexts' });
      };
      await agree(async (side) => {
        await inOne(side);
        expect(await side.actions.switchContext('three')).toBe(false);
      });
      await agree(async (side) => {
        await inOne(side);
        expect(await side.actions.switchContext('five')).toBe(false);
      });
      await agree(async (side) => {
        await inOne(side);
        expect(await side.actions.switchContext('one')).toBe(false);
      });
      await agree(async (side) => {
        await inOne(side);
        if (side.fake) side.fake.reachable = () => 'REASON';
        expect(await side.actions.switchContext('four')).toBe(false);
        // The advice names the context to log in to again.
        if (!side.fake) expect(side.store.getState().status?.text).toMatch(/mlbatch login --context four/);
      }, { masks: [[/^(error: Cannot switch to context four: ).*/s, '$1REASON']] });
      await agree(async (side) => {
        await inOne(side);
        const def = await side.def('flaky');
        side.store.getState().push({ kind: 'actions', service: def });
        expect(await side.actions.switchContext('two')).toBe(true);
        side.actions.loadServices();
        await until(side.store, (s) => s.resources.services.status === 'ready', 'the services of two');
      });
      // The real side listed the second server's services, through its own login.
      const side = real();
      side.store.getState().push({ kind: 'contexts' });
      expect(await side.actions.switchContext('two')).toBe(true);
      const marker = await two.client.listServices();
      side.actions.loadServices();
      const listed = await until(side.store, (s) => s.resources.services.data, 'the services of two');
      expect(listed.map((d) => d.name).sort()).toEqual(marker.map((d) => d.name).sort());
      expect((side.actions as Controller).client?.host).toBe(two.client.host);
      expect((side.actions as Controller).context).toBe('two');
    } finally {
      await two.stop();
    }
  });
});
