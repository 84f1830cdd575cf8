/** The user's config and data dirs (XDG rules), and where the saved login lives (its file: shared-login.ts). */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

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

function xdgDir(env: NodeJS.ProcessEnv, variable: 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME', fallback: string): string {
  const xdg = env[variable];
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), fallback);
  return join(base, 'mlbatch');
}

/** Path of the saved login file (the default one for `openSharedLogin`). */
export function loginPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'login.json');
}
