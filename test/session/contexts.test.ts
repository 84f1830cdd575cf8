/** The contexts file and the choice of a server: names, precedence, writes that keep the user's file. */
import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDir } from '../../src/session/config.js';
import { selectTarget } from '../../src/session/context-select.js';
import { contextLoginPath, setCurrentContext } from '../../src/session/context-state.js';
import { contextsPath, nameForHost, readContexts, saveContext } from '../../src/session/contexts.js';
import { tempDir } from '../helpers.js';

async function envWith(config: string): Promise<NodeJS.ProcessEnv> {
  const home = await tempDir();
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') };
  await mkdir(join(home, 'config', 'mlbatch'), { recursive: true });
  await writeFile(contextsPath(env), config);
  return env;
}

const TWO = `contexts:
  test:
    host: http://127.0.0.1:12800
  prod:
    host: https://prod.example.com:12800/
    user: alice
    readonly: true
    color: red
`;

describe('context names', () => {
  it('come from the host: its name, and its port when it names one', () => {
    expect(nameForHost('https://prod.example.com')).toBe('prod.example.com');
    expect(nameForHost('http://127.0.0.1:12800')).toBe('127.0.0.1-12800');
    expect(nameForHost('prod.example.com:12800/mlserver/')).toBe('prod.example.com-12800');
    expect(nameForHost('http://[::1]:12800')).toBe('1-12800');
  });
});

describe('choosing the server', () => {
  it('--context, then --host (its context), then MLBATCH_CONTEXT, then MLBATCH_HOST, then the current context', async () => {
    const env = await envWith(TWO);
    await setCurrentContext('test', env);
    const pick = async (flags: object, extra: NodeJS.ProcessEnv = {}) => {
      const t = await selectTarget(flags, { env: { ...env, ...extra } });
      return [t.context?.name ?? null, t.host, t.user ?? null];
    };
    expect(await pick({})).toEqual(['test', 'http://127.0.0.1:12800', null]);
    expect(await pick({}, { MLBATCH_HOST: 'https://prod.example.com:12800' })).toEqual(['prod', 'https://prod.example.com:12800/', 'alice']);
    expect(await pick({}, { MLBATCH_HOST: 'http://elsewhere:1' })).toEqual([null, 'http://elsewhere:1', null]);
    expect(await pick({}, { MLBATCH_CONTEXT: 'prod', MLBATCH_HOST: 'http://elsewhere:1' })).toEqual(['prod', 'https://prod.example.com:12800/', 'alice']);
    expect(await pick({ host: 'http://127.0.0.1:12800' }, { MLBATCH_CONTEXT: 'prod' })).toEqual(['test', 'http://127.0.0.1:12800', null]);
    // Another user on prod's server is not prod.
    expect(await pick({ host: 'https://prod.example.com:12800', user: 'bob' })).toEqual([null, 'https://prod.example.com:12800', 'bob']);
    expect(await pick({ context: 'prod' }, { MLBATCH_CONTEXT: 'test' })).toEqual(['prod', 'https://prod.example.com:12800/', 'alice']);
    expect(await pick({ context: 'prod', user: 'bob' })).toEqual(['prod', 'https://prod.example.com:12800/', 'bob']);
  });

  it('gives each context its own login file, and says why a read-only one refuses', async () => {
    const env = await envWith(TWO);
    const prod = await selectTarget({ context: 'prod' }, { env });
    expect(prod.loginPath).toBe(join(stateDir(env), 'logins', 'prod.json'));
    expect(prod.loginPath).toBe(contextLoginPath('prod', env));
    expect(prod.readonlyReason).toBe(`context "prod" is read-only (readonly: true in ${contextsPath(env)})`);
    expect((await selectTarget({ context: 'test' }, { env })).readonlyReason).toBeNull();
    expect((await selectTarget({ context: 'test', readonly: true }, { env })).readonlyReason).toBe('started with --readonly');
    expect((await selectTarget({ host: 'http://x:1' }, { env })).loginPath).toBeUndefined();
  });

  it('refuses a --host that is not the named context\'s server, and a current context the file no longer has', async () => {
    const env = await envWith(TWO);
    await expect(selectTarget({ context: 'test', host: 'http://other:1' }, { env })).rejects.toThrow(
      '--host http://other:1 is not the server of context "test" (http://127.0.0.1:12800): give one or the other');
    await setCurrentContext('gone', env);
    await expect(selectTarget({}, { env })).rejects.toThrow(
      `the current context "gone" is not in ${contextsPath(env)} (known: test, prod): choose one with mlbatch context use NAME`);
  });

  it('for login, names a new context after its host, and needs a host for a new named one', async () => {
    const env = await envWith(TWO);
    const fresh = await selectTarget({ host: 'http://10.0.0.5:12800' }, { env, creating: true });
    expect(fresh).toMatchObject({ isNew: true, context: { name: '10.0.0.5-12800', host: 'http://10.0.0.5:12800' } });
    expect((await selectTarget({ host: 'http://127.0.0.1:12800' }, { env, creating: true })).context?.name).toBe('test');
    await expect(selectTarget({ context: 'dev' }, { env, creating: true })).rejects.toThrow('context "dev" is new: give its server with --host URL');
    await expect(selectTarget({ context: '../x' }, { env, creating: true })).rejects.toThrow('--context: "../x" is not a context name');
  });
});

describe('writing config.yaml', () => {
  it('keeps the user\'s comments, and a config file linked from elsewhere stays a link', async () => {
    const home = await tempDir();
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
    await mkdir(join(home, 'config', 'mlbatch'), { recursive: true });
    await mkdir(join(home, 'dotfiles'));
    await writeFile(join(home, 'dotfiles', 'mlbatch.yaml'), `# my servers\n${TWO.replace('  prod:\n', '  # the real one\n  prod:\n')}`);
    await symlink(join(home, 'dotfiles', 'mlbatch.yaml'), contextsPath(env));
    await saveContext({ name: 'dev', host: 'http://dev:12800', user: 'me' }, env);
    await saveContext({ name: 'prod', host: 'https://prod.example.com:12800/', user: 'carol' }, env);
    expect((await lstat(contextsPath(env))).isSymbolicLink()).toBe(true);
    const text = await readFile(join(home, 'dotfiles', 'mlbatch.yaml'), 'utf8');
    expect(text).toMatch(/^# my servers\n/);
    expect(text).toContain('  # the real one\n  prod:\n');
    expect((await readContexts(env)).contexts).toEqual([
      { name: 'test', host: 'http://127.0.0.1:12800' },
      { name: 'prod', host: 'https://prod.example.com:12800/', user: 'carol', readonly: true, color: 'red' },
      { name: 'dev', host: 'http://dev:12800', user: 'me' },
    ]);
  });

  it('writers adding contexts at once lose none (the lock is a file, as between processes)', async () => {
    const home = await tempDir();
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
    await Promise.all(Array.from({ length: 8 }, (_, i) => saveContext({ name: `c${i}`, host: `http://h${i}:1` }, env)));
    expect((await readContexts(env)).contexts.map((c) => c.name).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  });
});
