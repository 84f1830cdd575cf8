/** What `mlbatch history` does: the journal's executions (of the context in use, or --all) as a table or JSON, newest first. */
import type { Command } from 'commander';
import { formatDuration, localMinute } from '../text/units.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { commandJournal } from './journal-use.js';
import { hostKey } from '../client/host.js';
import type { ListFilter } from '../journal/journal.js';
import { selectTarget, type TargetFlags } from '../session/context-select.js';

/** Which executions history shows, and how to say so: the context's, the host's, or all. */
async function filterOf(flags: TargetFlags & { all?: boolean }): Promise<{ filter: ListFilter; what: string }> {
  if (flags.all) return { filter: {}, what: '' };
  const target = await selectTarget(flags);
  if (target.context) return { filter: { context: target.context.name, host: hostKey(target.context.host) }, what: ` of context "${target.context.name}"` };
  if (target.host) return { filter: { host: hostKey(target.host) }, what: ` of ${target.host}` };
  return { filter: {}, what: '' };
}

/** `history`: lists the journal's executions (the context's in use, or --all). */
export async function history(_o: unknown, command: Command): Promise<void> {
  const flags = flagsOf<{ limit: number; all?: boolean }>(command);
  const { filter, what } = await filterOf(flags);
  const journal = commandJournal();
  const entries = journal.list(flags.limit, filter);
  if (flags.json) return printJson(entries);
  if (entries.length === 0) {
    process.stderr.write(`no executions${what} in the journal ${journal.path} yet${what ? ' (--all shows every context\'s)' : ''}\n`);
    return;
  }
  // Loaded for text only, as in services.
  const { printTable } = await import('./output.js');
  const now = Date.now();
  printTable(['STARTED', 'AGE', 'CONTEXT', 'SERVICE', 'VERSION', 'EXECUTION', 'STATE', 'DONE', 'FAILED', 'PARENT'], entries.map((e) => [
    localMinute(e.startedAt),
    formatDuration(now - e.startedAt),
    // Executions journaled without a context (before contexts, or on a host none has) name their server.
    e.context ?? e.host,
    e.service,
    e.version,
    e.id,
    e.state ?? 'unknown',
    e.total === null ? '—' : `${e.completed ?? 0}/${e.total}`,
    e.counts ? String(e.counts[3] ?? 0) : '—',
    e.parentId ?? '',
  ]));
}
