/** What `mlbatch history` does: the journal's executions as a table or JSON, newest first. */
import type { Command } from 'commander';
import { formatDuration } from '../text/units.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { commandJournal } from './journal-use.js';

/** `2025-01-31 14:05` in local time. */
function localMinute(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** `history`: lists the journal's executions. */
export async function history(_o: unknown, command: Command): Promise<void> {
  const flags = flagsOf<{ limit: number }>(command);
  const journal = commandJournal();
  const entries = journal.list(flags.limit);
  if (flags.json) return printJson(entries);
  if (entries.length === 0) {
    process.stderr.write(`no executions in the journal ${journal.path} yet\n`);
    return;
  }
  // Loaded for text only, as in services.
  const { printTable } = await import('./output.js');
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
}
