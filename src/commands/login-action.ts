/**
 * What `mlbatch login` and `mlbatch logout` do: log in to a context (adding it to config.yaml, or
 * updating its host and user), keep its tokens in the state dir (never the password) and make it
 * current; or forget a context's saved login.
 */
import type { Command } from 'commander';
import { loginFields, openSharedLogin } from '../session/shared-login.js';
import { resolveConnection } from '../session/connection.js';
import { selectTarget } from '../session/context-select.js';
import { contextLoginPath, setCurrentContext } from '../session/context-state.js';
import { saveContext } from '../session/contexts.js';
import { EXIT, ExitError } from '../session/exit.js';
import { printJson } from './print.js';
import { flagsOf } from './flags.js';

/**
 * `login`: connects with a password, then saves the context (a new one is named after its host
 * unless --context names it), its refresh token and its access token with the expiry, and makes
 * it current.
 */
export async function login(_opts: unknown, command: Command): Promise<void> {
  const flags = flagsOf(command);
  const target = await selectTarget(flags, { creating: true });
  const { client, host, user } = await resolveConnection(flags, { requirePassword: true, target });
  const context = target.context;
  // resolveConnection has refused a login without a server, and every server chosen here is a context's.
  if (!context) throw new ExitError(EXIT.usage, 'no server given: use --host URL or --context NAME');
  const tokens = client.tokenSet;
  if (!tokens?.refreshToken) throw new ExitError(EXIT.connection, `${host} gave no refresh token; nothing to keep`);
  const config = await saveContext({
    name: context.name,
    // A context's own spelling of its host stays unless another host was given.
    host: target.isNew || flags.host !== undefined ? host : context.host,
    user: target.isNew || flags.user !== undefined ? user : undefined,
    insecure: flags.insecure || undefined,
  });
  const shared = openSharedLogin(contextLoginPath(context.name));
  await shared.save({
    host, username: user, ...loginFields(tokens), insecure: flags.insecure || undefined,
    savedAt: new Date().toISOString(),
  });
  const path = shared.path;
  await setCurrentContext(context.name);
  if (flags.json) printJson({ context: context.name, host, user, config, saved: path });
  else process.stdout.write(`logged in to ${host} as ${user}; saved to ${path}; context "${context.name}" is current (${target.isNew ? 'added to' : 'in'} ${config})\n`);
}

/** `logout`: removes the saved login of the context (the current one, or --context's); the context stays. */
export async function logout(_opts: unknown, command: Command): Promise<void> {
  const flags = flagsOf(command);
  const target = await selectTarget(flags);
  const path = target.loginPath;
  const removed = path ? await openSharedLogin(path).remove() : false;
  if (flags.json) printJson({ context: target.context?.name ?? null, removed, path: path ?? null });
  else process.stdout.write(removed ? `removed ${path} (context "${target.context!.name}" stays; mlbatch context rm removes it)\n` : 'no saved login\n');
}
