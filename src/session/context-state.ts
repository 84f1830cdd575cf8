/**
 * What mlbatch writes for itself about contexts, in the state dir: the current and previous
 * context (`state.json`) and one saved login per context (`logins/<context>.json`, mode 0600);
 * and the move of the single login of earlier versions (`login.json` in the config dir) into a
 * context of its own.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginPath, stateDir } from './config.js';
import { sameHost } from '../client/host.js';
import { nameForHost, readContexts, saveContext, type ContextsFile } from './contexts.js';
import { EXIT } from './exit.js';
import { withFileLock, writeFileWhole } from './locked-files.js';
import { openSharedLogin } from './shared-login.js';

/** The current and previous context, as `state.json` keeps them. */
export interface ContextState {
  current: string | null;
  previous: string | null;
}

/** `$XDG_STATE_HOME/mlbatch/state.json`. */
export function statePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'state.json');
}

/** Where the login of context `name` is saved: `$XDG_STATE_HOME/mlbatch/logins/<name>.json`. */
export function contextLoginPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'logins', `${name}.json`);
}

/** The current and previous context (both null before any is used, or when the file is unreadable). */
export async function readState(env: NodeJS.ProcessEnv = process.env): Promise<ContextState> {
  try {
    const raw = JSON.parse(await readFile(statePath(env), 'utf8')) as Partial<ContextState>;
    const name = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    return { current: name(raw.current), previous: name(raw.previous) };
  } catch {
    return { current: null, previous: null };
  }
}

/** The state file's lock: a wait that runs out is no connection problem. */
const STATE_LOCK = { doing: 'changing the current context', exit: EXIT.failed };

/** Replaces the state file atomically (mode 0600, directory 0700). */
async function writeState(state: ContextState, env: NodeJS.ProcessEnv): Promise<void> {
  await writeFileWhole(statePath(env), `${JSON.stringify(state, null, 2)}\n`);
}

/** Makes `name` the current context; the one current until now becomes the previous one. */
export async function setCurrentContext(name: string, env: NodeJS.ProcessEnv = process.env): Promise<ContextState> {
  return withFileLock(statePath(env), async () => {
    const state = await readState(env);
    const next = state.current === name ? state : { current: name, previous: state.current };
    await writeState(next, env);
    return next;
  }, STATE_LOCK);
}

/** Forgets `name` as current or previous context (it was removed). */
export async function forgetContext(name: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!existsSync(statePath(env))) return;
  await withFileLock(statePath(env), async () => {
    const state = await readState(env);
    if (state.current !== name && state.previous !== name) return;
    await writeState({ current: state.current === name ? null : state.current, previous: state.previous === name ? null : state.previous }, env);
  }, STATE_LOCK);
}

/** A name for a new context of `host` that no context of `file` has yet. */
export function freeName(host: string, file: ContextsFile, user?: string): string {
  const base = nameForHost(host);
  const taken = (n: string) => file.contexts.some((c) => c.name === n);
  if (!taken(base)) return base;
  if (user && !taken(`${user}@${base}`)) return `${user}@${base}`;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Moves the login of earlier versions (`login.json` in the config dir) into a context: the one of
 * its host (and user) when there is one, else a new one named after its host; it becomes current
 * when none is. The old file is kept beside, renamed `login.json.migrated`. Resolves to the
 * context's name, or null when there was nothing to move.
 */
export async function migrateOldLogin(env: NodeJS.ProcessEnv = process.env, warn?: (line: string) => void): Promise<string | null> {
  const old = loginPath(env);
  if (!existsSync(old)) return null;
  const saved = await openSharedLogin(old).read();
  // An unreadable file is left where it is: it is nobody's login, and it may be someone's to look at.
  if (!saved) return null;
  const file = await readContexts(env);
  const existing = file.contexts.find((c) => sameHost(c.host, saved.host) && (!c.user || !saved.username || c.user === saved.username));
  const name = existing?.name ?? freeName(saved.host, file, saved.username);
  if (!existing) await saveContext({ name, host: saved.host, user: saved.username, insecure: saved.insecure || undefined }, env);
  const dest = contextLoginPath(name, env);
  if (!existsSync(dest)) await openSharedLogin(dest).save(saved);
  if ((await readState(env)).current === null) await setCurrentContext(name, env);
  // Another process may have moved it meanwhile: then it is already where it belongs.
  const moved = await rename(old, `${old}.migrated`).then(() => true, () => false);
  if (moved) warn?.(`note: the saved login of ${saved.host} is now context "${name}" (${old} is kept as login.json.migrated)`);
  return name;
}
