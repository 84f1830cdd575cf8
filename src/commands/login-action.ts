/** What `mlbatch login` and `mlbatch logout` do: keep or forget a refresh token in the config dir. */
import type { Command } from 'commander';
import { loginPath, removeLogin, writeLogin } from '../session/config.js';
import { resolveConnection } from '../session/connection.js';
import { EXIT, ExitError } from '../session/exit.js';
import { printJson } from './print.js';
import { flagsOf } from './flags.js';

/** `login`: connects with a password and saves the host and refresh token. */
export async function login(_opts: unknown, command: Command): Promise<void> {
  const flags = flagsOf(command);
  const { client, host, user } = await resolveConnection(flags, { requirePassword: true });
  if (!client.refreshToken) throw new ExitError(EXIT.connection, `${host} gave no refresh token; nothing to keep`);
  const path = await writeLogin({
    host, username: user, refreshToken: client.refreshToken, insecure: flags.insecure || undefined,
    savedAt: new Date().toISOString(),
  });
  if (flags.json) printJson({ host, user, saved: path });
  else process.stdout.write(`logged in to ${host} as ${user}; saved to ${path}\n`);
}

/** `logout`: removes the saved login. */
export async function logout(_opts: unknown, command: Command): Promise<void> {
  const removed = await removeLogin();
  if (flagsOf(command).json) printJson({ removed, path: loginPath() });
  else process.stdout.write(removed ? `removed ${loginPath()}\n` : 'no saved login\n');
}
