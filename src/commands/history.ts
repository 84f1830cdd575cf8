/** `mlbatch history [--json]`: the journal of executions, newest first. */
import type { Command } from 'commander';
import { formatDuration } from '../batch/units.js';
import { action, printJson, printTable } from './output.js';
import { flagsOf, wholeNumber } from './shared.js';
import { commandJournal, journalHelp } from './journal-use.js';

/** `2025-01-31 14:05` in local time. */
function localMinute(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Adds `history`. */
export function registerHistoryCommand(program: Command): void {
  journalHelp(program
    .command('history')
    .description('executions started, attached to or rerun from mlbatch, newest first (from the local journal)')
    .option('--limit <n>', 'at most N executions', wholeNumber('--limit', 1), 1000)
    .action(action(async (_o: unknown, command: Command) => {
      const flags = flagsOf<{ limit: number }>(command);
      const journal = commandJournal();
      const entries = journal.list(flags.limit);
      if (flags.json) return printJson(entries);
      if (entries.length === 0) {
        process.stderr.write(`no executions in the journal ${journal.path} yet\n`);
        return;
      }
      const now = Date.now();
      printTable(['STARTED', 'AGE', 'SERVICE', 'VERSION', 'EXECUTION', 'STATE', 'DONE', 'FAILED', 'PARENT'], entries.map((e) => [
        localMinute(e.startedAt),
        formatDuration(now - e.startedAt),
        e.service,
        e.version,
        e.id,
        e.state ?? 'unknown',
        e.total === null ? '—' : `${e.completed ?? 0}/${e.total}`,
        e.counts ? String(e.counts[3] ?? 0) : '—',
        e.parentId ?? '',
      ]));
    })));
}
