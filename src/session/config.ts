/** The user's config, data and state dirs (XDG rules), and a saved login: host and refresh token (mode 0600), never the password. */
import { mkdir, open, readFile, rename, unlink, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** What `mlbatch login` keeps. */
export interface SavedLogin {
  host: string;
  username?: string;
  refreshToken: string;
  insecure?: boolean;
  savedAt: string;
}

/**
 * `$XDG_CONFIG_HOME/mlbatch`, else `~/.config/mlbatch`. A relative `XDG_CONFIG_HOME` is ignored,
 * as the XDG Base Directory spec says: it would put the login wherever the command happens to run.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir(env, 'XDG_CONFIG_HOME', '.config');
}

/**
 * `$XDG_DATA_HOME/mlbatch`, else `~/.local/share/mlbatch`: where the journal of executions lives
 * (data the user would miss, not settings). A relative `XDG_DATA_HOME` is ignored, as for config.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir(env, 'XDG_DATA_HOME', join('.local', 'share'));
}

/**
 * `$XDG_STATE_HOME/mlbatch`, else `~/.local/state/mlbatch`: what mlbatch writes for itself and the
 * user never edits (the current context, saved logins). A relative `XDG_STATE_HOME` is ignored.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir(env, 'XDG_STATE_HOME', join('.local', 'state'));
}

function xdgDir(env: NodeJS.ProcessEnv, variable: 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'XDG_STATE_HOME', fallback: string): string {
  const xdg = env[variable];
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), fallback);
  return join(base, 'mlbatch');
}

/**
 * Path of the one saved login of mlbatch before contexts (`login.json` in the config dir); each
 * context's login is in the state dir now (session/context-state.ts moves this one there).
 */
export function loginPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'login.json');
}

/** The saved login at `path`, or undefined when there is none (or it is unreadable). */
export async function readLogin(env: NodeJS.ProcessEnv = process.env, path = loginPath(env)): Promise<SavedLogin | undefined> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Partial<SavedLogin>;
    if (typeof data.host === 'string' && typeof data.refreshToken === 'string') return data as SavedLogin;
  } catch {
    // No login saved yet, or a damaged file: both mean "not logged in".
  }
  return undefined;
}

/** Saves the login at `path` with mode 0600 (directory 0700), replacing any earlier one atomically. */
export async function writeLogin(login: SavedLogin, env: NodeJS.ProcessEnv = process.env, path = loginPath(env)): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const part = `${path}.part`;
  await unlink(part).catch(() => {});
  const handle = await open(part, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(login, null, 2)}\n`);
  } finally {
    await handle.close();
  }
  // The umask cannot widen 0600, but an old file's mode is not inherited by rename: set it anyway.
  await chmod(part, 0o600);
  await rename(part, path);
  return path;
}

/** Removes the saved login at `path`; true when there was one. */
export async function removeLogin(env: NodeJS.ProcessEnv = process.env, path = loginPath(env)): Promise<boolean> {
  return unlink(path).then(() => true, () => false);
}
