/**
 * How commands that act on one execution take it: `<service> <version> <id>`, or the id alone
 * (the journal knows its service and version); the id whole, a prefix, or `last`. Registration
 * only (commander): the arguments are read by `execution-query.ts` when the command runs.
 */
import type { Command } from 'commander';

/** What a command takes after the execution: nothing, a record index, or an index that may be left out. */
export type IndexArgument = 'none' | 'required' | 'optional';

/** The help that follows each such command's options. */
export const EXECUTION_ID_HELP = `
An id is the whole id, a prefix of at least 6 characters that only one execution
starts with (among the journal's and the server's executions of that service
version), or "last": the newest execution of that service version in the
journal. Given alone, an id (or last: the newest of any service) is looked up in
the journal, which knows the executions mlbatch started, reran or attached to on
this host; any other needs its service and version.`;

/** The argument forms as the usage line and messages spell them, e.g. `<service> <version> <id> [index]`. */
export function executionForms(index: IndexArgument = 'none'): { full: string; alone: string } {
  const tail = index === 'required' ? ' <index>' : index === 'optional' ? ' [index]' : '';
  return { full: `<service> <version> <id>${tail}`, alone: `<id>${tail}` };
}

/** Adds the execution arguments (and, per `index`, a record index after them), their usage lines and help. */
export function executionArguments(command: Command, index: IndexArgument = 'none', description = 'the execution'): Command {
  const { full, alone } = executionForms(index);
  const what = index === 'none' ? description : `${description} and a record index (0-based)`;
  return command
    .argument('<execution...>', `${what}: ${full}, or ${alone} alone`)
    .usage(`[options] ${full}\n       mlbatch ${command.name()} [options] ${alone}`)
    .addHelpText('after', EXECUTION_ID_HELP);
}
