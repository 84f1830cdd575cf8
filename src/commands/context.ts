/** `mlbatch context`, `context use NAME|-` and `context rm NAME`: the named servers of config.yaml (their work: context-action.ts). */
import type { Command } from 'commander';
import { lazyAction } from './action.js';

const HELP = `
Contexts are named servers, kept in config.yaml in $XDG_CONFIG_HOME/mlbatch
(default ~/.config/mlbatch), a file you edit; mlbatch login adds to it and keeps
your comments:

  contexts:
    prod:
      host: https://prod.example.com:12800
      user: alice
      readonly: true     # no cancel or rerun, in the commands and the app
      color: red         # the app's accent colour
    test:
      host: http://127.0.0.1:12800

Every command uses the current context unless --context NAME (or
MLBATCH_CONTEXT) names another, or --host (or MLBATCH_HOST) names a server. The
current and previous context and each context's saved login live in
$XDG_STATE_HOME/mlbatch (default ~/.local/state/mlbatch).`;

/** Adds `context` and its subcommands. */
export function registerContextCommand(program: Command): void {
  const context = program
    .command('context')
    .description('list the contexts (named servers), the current one marked; use or rm one')
    .addHelpText('after', HELP)
    .action(lazyAction(async () => (await import('./context-action.js')).list));
  context
    .command('use')
    .description('make NAME the current context (-: the previous one)')
    .argument('<name>', 'a context of config.yaml, or - for the previous one')
    .action(lazyAction(async () => (await import('./context-action.js')).use));
  context
    .command('rm')
    .description('remove a context from config.yaml, and its saved login')
    .argument('<name>')
    .action(lazyAction(async () => (await import('./context-action.js')).rm));
}
