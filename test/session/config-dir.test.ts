/** One config dir for the saved login and the remembered host, by the XDG Base Directory rules. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configDir, dataDir, loginPath, readLogin, stateDir, writeLogin } from '../../src/session/config.js';
import { rememberedHost, rememberedPath, rememberHost } from '../../src/session/remembered.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'mlbatch-config-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('configDir', () => {
  it('uses an absolute XDG_CONFIG_HOME', () => {
    expect(configDir({ HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') })).toBe(join(home, 'xdg', 'mlbatch'));
  });

  it('falls back to ~/.config without XDG_CONFIG_HOME, or with an empty one', () => {
    expect(configDir({ HOME: home })).toBe(join(home, '.config', 'mlbatch'));
    expect(configDir({ HOME: home, XDG_CONFIG_HOME: '' })).toBe(join(home, '.config', 'mlbatch'));
  });

  it('ignores a relative XDG_CONFIG_HOME, as the spec says', () => {
    expect(configDir({ HOME: home, XDG_CONFIG_HOME: 'relative/cfg' })).toBe(join(home, '.config', 'mlbatch'));
    expect(configDir({ HOME: home, XDG_CONFIG_HOME: './cfg' })).toBe(join(home, '.config', 'mlbatch'));
  });
});

describe('the saved login and the remembered host', () => {
  const cases: [string, NodeJS.ProcessEnv, string][] = [
    ['an absolute XDG_CONFIG_HOME', { XDG_CONFIG_HOME: 'ABS' }, join('xdg', 'mlbatch')],
    ['no XDG_CONFIG_HOME', {}, join('.config', 'mlbatch')],
    ['a relative XDG_CONFIG_HOME', { XDG_CONFIG_HOME: 'relative-cfg' }, join('.config', 'mlbatch')],
  ];
  it.each(cases)('land in the same dir with %s', async (_name, extra, dir) => {
    const env: NodeJS.ProcessEnv = { HOME: home, ...extra };
    if (env.XDG_CONFIG_HOME === 'ABS') env.XDG_CONFIG_HOME = join(home, 'xdg');
    await writeLogin({ host: 'http://h:1', refreshToken: 'r', savedAt: 'now' }, env);
    await rememberHost('http://h:1', 'admin', env);
    expect(loginPath(env)).toBe(join(home, dir, 'login.json'));
    expect(rememberedPath(env)).toBe(join(home, dir, 'app.json'));
    expect(JSON.parse(await readFile(join(home, dir, 'app.json'), 'utf8'))).toEqual({ host: 'http://h:1', user: 'admin' });
    expect(await rememberedHost(env)).toEqual({ host: 'http://h:1', user: 'admin' });
    expect((await readLogin(env))?.host).toBe('http://h:1');
  });

  it('whichever comes first, the dir is private to the user', async () => {
    const env = { HOME: home };
    await rememberHost('http://h:1', 'admin', env);
    expect((await stat(join(home, '.config', 'mlbatch'))).mode & 0o777).toBe(0o700);
    expect((await stat(rememberedPath(env))).mode & 0o777).toBe(0o600);
  });
});

describe('dataDir', () => {
  it('uses an absolute XDG_DATA_HOME', () => {
    expect(dataDir({ HOME: home, XDG_DATA_HOME: join(home, 'data') })).toBe(join(home, 'data', 'mlbatch'));
  });

  it('falls back to ~/.local/share without XDG_DATA_HOME, with an empty or a relative one', () => {
    for (const XDG_DATA_HOME of [undefined, '', 'relative/data', './data']) {
      expect(dataDir({ HOME: home, XDG_DATA_HOME })).toBe(join(home, '.local', 'share', 'mlbatch'));
    }
  });

  it('is not the config dir, whatever XDG_CONFIG_HOME says', () => {
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'cfg') };
    expect(dataDir(env)).toBe(join(home, '.local', 'share', 'mlbatch'));
    expect(configDir(env)).toBe(join(home, 'cfg', 'mlbatch'));
  });
});

describe('stateDir', () => {
  it('uses an absolute XDG_STATE_HOME, else ~/.local/state (a relative one is ignored)', () => {
    expect(stateDir({ HOME: home, XDG_STATE_HOME: join(home, 'st') })).toBe(join(home, 'st', 'mlbatch'));
    for (const XDG_STATE_HOME of [undefined, '', 'relative/state']) {
      expect(stateDir({ HOME: home, XDG_STATE_HOME })).toBe(join(home, '.local', 'state', 'mlbatch'));
    }
  });
});
