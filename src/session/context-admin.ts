/**
 * What `mlbatch context` and the app do with contexts: list them with the current one, switch
 * (to a name, or `-` for the previous one), and remove one with its saved login.
 */
import { existsSync } from 'node:fs';
import { openSharedLogin } from './shared-login.js';
import { contextLoginPath, forgetContext, migrateOldLogin, readState, setCurrentContext } from './context-state.js';
import { unknownContext } from './context-select.js';
import { readContexts, removeContext, type Context } from './contexts.js';
import { EXIT, ExitError } from './exit.js';

/** One context as listed: its fields, whether it is current, whether a login is saved for it. */
export interface ListedContext extends Context {
  current: boolean;
  loggedIn: boolean;
}

/** The contexts of the config file, in its order, with the current and previous one named. */
export interface ContextList {
  /** The config file. */
  path: string;
  contexts: ListedContext[];
  current: string | null;
  previous: string | null;
}

/** Every context, the current one marked (an old `login.json` is moved into one first). */
export async function listContexts(env: NodeJS.ProcessEnv = process.env, warn?: (line: string) => void): Promise<ContextList> {
  await migrateOldLogin(env, warn);
  const [file, state] = await Promise.all([readContexts(env), readState(env)]);
  return {
    path: file.path,
    current: state.current,
    previous: state.previous,
    contexts: file.contexts.map((c) => ({ ...c, current: c.name === state.current, loggedIn: existsSync(contextLoginPath(c.name, env)) })),
  };
}

/** The current context, or null when none is (or it is no longer in the config file). */
export async function currentContext(env: NodeJS.ProcessEnv = process.env): Promise<Context | null> {
  const list = await listContexts(env);
  return list.contexts.find((c) => c.current) ?? null;
}

/**
 * Makes `name` the current context (`-`: the previous one), so every later command and app start
 * uses it; resolves to it. Exit 2 for an unknown name, or `-` with no previous context.
 */
export async function useContext(name: string, env: NodeJS.ProcessEnv = process.env): Promise<Context> {
  const list = await listContexts(env);
  let wanted = name;
  if (name === '-') {
    if (list.previous === null) throw new ExitError(EXIT.usage, 'no previous context: `mlbatch context use -` goes back to the one current before the last switch');
    wanted = list.previous;
  }
  const found = list.contexts.find((c) => c.name === wanted);
  if (!found) throw unknownContext(wanted, { path: list.path, contexts: list.contexts }, name === '-' ? ' (the previous one)' : '');
  await setCurrentContext(found.name, env);
  const { current: _c, loggedIn: _l, ...context } = found;
  return context;
}

/** Removes a context from the config file, and its saved login; exit 2 for an unknown name. */
export async function deleteContext(name: string, env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; loginRemoved: boolean }> {
  const file = await readContexts(env);
  if (!file.contexts.some((c) => c.name === name)) throw unknownContext(name, file);
  await removeContext(name, env);
  const loginRemoved = await openSharedLogin(contextLoginPath(name, env)).remove();
  await forgetContext(name, env);
  return { path: file.path, loginRemoved };
}
