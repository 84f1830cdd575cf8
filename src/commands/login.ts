/** `mlbatch login`, `mlbatch logout` and `mlbatch services`. */
import type { Command } from 'commander';
import { loginPath, removeLogin, writeLogin } from '../session/config.js';
import { resolveConnection } from '../session/connection.js';
import { EXIT, ExitError } from '../session/exit.js';
import { action, printJson, printTable } from './output.js';
import { flagsOf } from './shared.js';

/** Adds login, logout and services. */
export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('log in and keep the host and a refresh token (never the password) in the config dir')
    .action(action(async (_opts: unknown, command: Command) => {
      const flags = flagsOf(command);
      const { client, host, user } = await resolveConnection(flags, { requirePassword: true });
      if (!client.refreshToken) throw new ExitError(EXIT.connection, `${host} gave no refresh token; nothing to keep`);
      const path = await writeLogin({
        host, username: user, refreshToken: client.refreshToken, insecure: flags.insecure || undefined,
        savedAt: new Date().toISOString(),
      });
      if (flags.json) printJson({ host, user, saved: path });
      else process.stdout.write(`logged in to ${host} as ${user}; saved to ${path}\n`);
    }));

  program
    .command('logout')
    .description('forget the saved login')
    .action(action(async (_opts: unknown, command: Command) => {
      const removed = await removeLogin();
      if (flagsOf(command).json) printJson({ removed, path: loginPath() });
      else process.stdout.write(removed ? `removed ${loginPath()}\n` : 'no saved login\n');
    }));

  program
    .command('services')
    .description('list the published services and their inputs and outputs')
    .action(action(async (_opts: unknown, command: Command) => {
      const flags = flagsOf(command);
      const { client } = await resolveConnection(flags);
      const services = await client.listServices();
      if (flags.json) return printJson(services);
      const params = (defs: { name: string; type: string }[] | undefined) =>
        (defs ?? []).map((d) => `${d.name}:${d.type}`).join(' ');
      printTable(['NAME', 'VERSION', 'RUNTIME', 'INPUTS', 'OUTPUTS'], services.map((s) => [
        s.name, s.version, s.runtimeType ?? '', params(s.inputParameterDefinitions), params(s.outputParameterDefinitions),
      ]));
    }));
}
