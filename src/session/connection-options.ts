/**
 * The connection options every command that talks to a server takes. Apart from the connecting
 * itself (connection.ts): registering them must not load the client.
 */
import { Option, type Command } from 'commander';
import { ADMIN_USER } from '../protocol.js';

/** The connection flags as commander hands them over. */
export interface ConnectionFlags {
  context?: string;
  host?: string;
  user?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
}

/** Adds --context, --host, --user, --password-stdin and --insecure to `command` (skipping any already there). */
export function addConnectionOptions(command: Command): Command {
  const options = [
    new Option('--context <name>', 'the context (a named server of config.yaml) to use (env MLBATCH_CONTEXT; default: the current one)'),
    new Option('--host <url>', 'server URL (env MLBATCH_HOST; default: the current context\'s)'),
    new Option('--user <name>', `user name (env MLBATCH_USER; default ${ADMIN_USER})`),
    new Option('--password-stdin', 'read the password from standard input (else env MLBATCH_PASSWORD)'),
    new Option('--insecure', 'accept self-signed TLS certificates (prints a warning)'),
  ];
  for (const option of options) {
    if (!command.options.some((o) => o.long === option.long)) command.addOption(option);
  }
  return command;
}
