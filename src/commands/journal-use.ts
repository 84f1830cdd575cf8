/** The journal as the headless commands use it: opened with a warning on stderr, keys from a service. */
import type { PollSnapshot } from '../watch/poller.js';
import type { Service } from '../client/service.js';
import { safeText } from '../text/safe-text.js';
import { openJournal, type Journal, type JournalKey, type KnownState } from '../journal/journal.js';

/** Opens the journal; a journal that cannot be used says so once on stderr and the command goes on. */
export function commandJournal(maxRecordsMb?: number): Journal {
  return openJournal({ maxRecordsMb, warn: (line) => process.stderr.write(`${safeText(line)}\n`) });
}

/** The journal key of an execution of `service`. */
export function keyOf(service: Service, id: string): JournalKey {
  return { host: service.http.host, service: service.name, version: service.version, id };
}

/** What a poll says of an execution, as the journal keeps it. */
export function knownOf(s: PollSnapshot): KnownState {
  return { state: s.state, total: s.totalItemCount, completed: s.completedItemCount, counts: s.lastPollKind === 'full' ? s.counts : null };
}

/** Journals an execution the command attached to (status, export), in its context, and its state now. */
export function noteAttached(journal: Journal, service: Service, s: PollSnapshot, user?: string | null, context?: string | null): void {
  const key = keyOf(service, s.executionId);
  journal.remember({ ...key, origin: 'attach', context: context ?? null, user: user ?? null, total: s.totalItemCount });
  journal.noteState(key, knownOf(s));
}
