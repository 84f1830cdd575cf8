/** The journal's option and help line, as commands register them (the journal itself is journal-use.ts). */
import { Option, type Command } from 'commander';
import { wholeNumber } from './flags.js';

/** The --journal-max-mb option (commands that start executions). */
export function journalMaxOption(): Option {
  return new Option('--journal-max-mb <n>', 'keep the records in the journal up to N MB of JSON (env MLBATCH_JOURNAL_MAX_MB; default 50)')
    .argParser(wholeNumber('--journal-max-mb', 0));
}

/** Adds the journal's environment line to a command's help. */
export function journalHelp(command: Command): Command {
  return command.addHelpText('after', '\nThe journal of executions is in $XDG_DATA_HOME/mlbatch (default ~/.local/share/mlbatch), file journal.sqlite.');
}
