/** What `mlbatch login` and `mlbatch logout` do: keep or forget the tokens (never the password) in the config dir. */
import type { Command } from 'commander';
import { loginPath } from '../session/config.js';
import { loginFields, openSharedLogin } from '../session/shared-login.js';
import { resolveConnection } from '../session/connection.js';
import { EXIT, ExitError } from '../session/exit.js';
import { printJson } from './print.js';
import { flagsOf } from './flags.js';

/** `login`: connects with a password and saves the host, the refresh token and the access token with its expiry. */
export async function login(_opts: unknown, command: Command): Promise<void> {
  const flags = flagsOf(command);
  const { client, host, user } = await resolveConnection(flags, { requirePassword: true });
  const tokens = client.tokenSet;
  if (!tokens?.refreshToken) throw new ExitError(EXIT.connection, `${host} gave no refresh token; nothing to keep`);
  const shared = openSharedLogin(loginPath());
  await shared.save({
    host, username: user, ...loginFields(tokens), insecure: flags.insecure || undefined,
    savedAt: new Date().toISOString(),
  });
  const path = shared.path;
  if (flags.json) printJson({ host, user, saved: path });
  else process.stdout.write(`logged in to ${host} as ${user}; saved to ${path}\n`);
}

/** `logout`: removes the saved login. */
export async function logout(_opts: unknown, command: Command): Promise<void> {
  const removed = await openSharedLogin(loginPath()).remove();
  if (flagsOf(command).json) printJson({ removed, path: loginPath() });
  else process.stdout.write(removed ? `removed ${loginPath()}\n` : 'no saved login\n');
}
