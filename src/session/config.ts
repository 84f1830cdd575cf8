/** The user's config, data and state dirs (XDG rules), and where the saved login lives (its file: shared-login.ts). */
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

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
