/** `mlbatch login`, `mlbatch logout` and `mlbatch services` (their work: login-action.ts, services-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';

/** Adds login, logout and services. */
export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('log in and keep the server as a context, with its tokens (never the password), shared by every mlbatch process')
    .addHelpText('after', `
The context is --context NAME, else the one of --host (or MLBATCH_HOST), else a new one named
after the host (prod.example.com, 127.0.0.1-12800); without --host, the current context logs in
again. A new context is added to config.yaml in the config dir (see mlbatch help context), its
login is kept in $XDG_STATE_HOME/mlbatch/logins/<context>.json (mode 0600), and it becomes the
current context.`)
    .action(lazyAction(async () => (await import('./login-action.js')).login));

  program
    .command('logout')
    .description('forget the saved login of the context (the current one, or --context NAME)')
    .action(lazyAction(async () => (await import('./login-action.js')).logout));

  program
    .command('services')
    .description('list the published services and their inputs and outputs')
    .action(lazyAction(async () => (await import('./services-action.js')).services));
}
