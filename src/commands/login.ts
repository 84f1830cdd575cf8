/** `mlbatch login`, `mlbatch logout` and `mlbatch services` (their work: login-action.ts, services-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';

/** Adds login, logout and services. */
export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('log in and keep the host and tokens (never the password) in the config dir, shared by every mlbatch process')
    .action(lazyAction(async () => (await import('./login-action.js')).login));

  program
    .command('logout')
    .description('forget the saved login')
    .action(lazyAction(async () => (await import('./login-action.js')).logout));

  program
    .command('services')
    .description('list the published services and their inputs and outputs')
    .action(lazyAction(async () => (await import('./services-action.js')).services));
}
