/**
 * Which server one command (or the app) talks to: a context by name (`--context`,
 * `MLBATCH_CONTEXT`, the current one) or a host (`--host`, `MLBATCH_HOST`, with the context of
 * that host when there is one), and so which user, which saved login and whether it is read-only.
 */
import { EXIT, ExitError } from './exit.js';
import { contextLoginPath, freeName, migrateOldLogin, readState } from './context-state.js';
import { sameHost } from '../client/host.js';
import { isContextName, NAME_RULE, readContexts, type Context, type ContextsFile } from './contexts.js';

/** The flags that choose a server. */
export interface TargetFlags {
  context?: string;
  host?: string;
  user?: string;
  insecure?: boolean;
  readonly?: boolean;
}

/** The server one command talks to, and what comes with it. */
export interface Target {
  /** The context in use, or null: a host no context has, or no server at all (host undefined). */
  context: Context | null;
  /** A context `mlbatch login` is about to add (not in the config file yet). */
  isNew: boolean;
  host: string | undefined;
  user: string | undefined;
  insecure: boolean | undefined;
  /** The saved login's file, for a context; undefined without one. */
  loginPath: string | undefined;
  /** Why dangerous actions (cancel, rerun) are refused, or null when they are not. */
  readonlyReason: string | null;
}

/** Options of `selectTarget`. */
export interface SelectOptions {
  env?: NodeJS.ProcessEnv;
  /** `mlbatch login`: a context named but unknown, or a host no context has, is a context to add. */
  creating?: boolean;
  /** Where the note about a moved login goes (default standard error). */
  warn?: (line: string) => void;
}

/** The known contexts' names, for an error message. */
function knownText(file: ContextsFile): string {
  return file.contexts.length ? `known: ${file.contexts.map((c) => c.name).join(', ')}` : `there are no contexts in ${file.path} yet`;
}

/** The exit-2 error for a context name the config file does not have. */
export function unknownContext(name: string, file: ContextsFile, via = ''): ExitError {
  return new ExitError(EXIT.usage, `unknown context "${name}"${via} (${knownText(file)}; see mlbatch context)`);
}

function checkName(name: string, via: string): void {
  if (!isContextName(name)) throw new ExitError(EXIT.usage, `${via}: "${name}" is not a context name (${NAME_RULE} characters)`);
}

/**
 * Chooses the server, in this order: `--context`, `--host` (its context, if one has that host
 * and user), `MLBATCH_CONTEXT`, `MLBATCH_HOST` (likewise), the current context. A context named
 * but not in the config file is an exit-2 error listing the known ones.
 */
export async function selectTarget(flags: TargetFlags, options: SelectOptions = {}): Promise<Target> {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  await migrateOldLogin(env, warn);
  const file = await readContexts(env);
  const byName = (name: string) => file.contexts.find((c) => c.name === name);
  const byHost = (host: string, user: string | undefined) =>
    file.contexts.find((c) => sameHost(c.host, host) && (user === undefined || (c.user ?? 'admin') === user));
  const creating = Boolean(options.creating);
  let context: Context | undefined;
  let isNew = false;
  const named = (name: string, via: string, host: string | undefined): Context => {
    checkName(name, via);
    const found = byName(name);
    if (found) return found;
    if (!creating) throw unknownContext(name, file, via === '--context' ? '' : ` (from ${via})`);
    if (!host) throw new ExitError(EXIT.usage, `context "${name}" is new: give its server with --host URL`);
    isNew = true;
    return { name, host };
  };
  const hosted = (host: string, user: string | undefined): Context | undefined => {
    const found = byHost(host, user);
    if (found || !creating) return found;
    isNew = true;
    return { name: freeName(host, file, user), host };
  };
  if (flags.context !== undefined) context = named(flags.context, '--context', flags.host ?? env.MLBATCH_HOST);
  else if (flags.host !== undefined) context = hosted(flags.host, flags.user ?? env.MLBATCH_USER);
  else if (env.MLBATCH_CONTEXT) context = named(env.MLBATCH_CONTEXT, 'MLBATCH_CONTEXT', env.MLBATCH_HOST);
  else if (env.MLBATCH_HOST) context = hosted(env.MLBATCH_HOST, flags.user ?? env.MLBATCH_USER);
  else {
    const { current } = await readState(env);
    if (current !== null) {
      context = byName(current);
      if (!context) {
        throw new ExitError(EXIT.usage, `the current context "${current}" is not in ${file.path} (${knownText(file)}): choose one with mlbatch context use NAME`);
      }
    }
  }
  // A context's server is the context's: another --host would journal its executions under the wrong name.
  if (context && !isNew && flags.host !== undefined && !sameHost(flags.host, context.host)) {
    if (!creating) throw new ExitError(EXIT.usage, `--host ${flags.host} is not the server of context "${context.name}" (${context.host}): give one or the other`);
    context = { ...context, host: flags.host };
  }
  const host = context?.host ?? flags.host ?? env.MLBATCH_HOST;
  const user = flags.user ?? context?.user ?? (env.MLBATCH_USER || undefined);
  let readonlyReason: string | null = null;
  if (flags.readonly) readonlyReason = 'started with --readonly';
  else if (context?.readonly) readonlyReason = `context "${context.name}" is read-only (readonly: true in ${file.path})`;
  return {
    context: context ?? null,
    isNew,
    host,
    user,
    insecure: flags.insecure ?? context?.insecure,
    loginPath: context ? contextLoginPath(context.name, env) : undefined,
    readonlyReason,
  };
}

/** Refuses a dangerous action (`cancel`, `rerun`) where the target is read-only: an exit-2 error saying why. */
export function refuseIfReadonly(target: Target, action: string): void {
  if (target.readonlyReason) throw new ExitError(EXIT.usage, `${action} refused: ${target.readonlyReason}`);
}
