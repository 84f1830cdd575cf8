/** What `mlbatch status` does: one poll (or, with --wait, every poll to the end) and the exit code of the state. */
import type { Command } from 'commander';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { safeText } from '../text/safe-text.js';
import { ITEM_CODE } from '../protocol.js';
import { exitCodeForState } from '../session/exit.js';
import { resolvePollBudget } from '../session/poll-budget.js';
import { flagsOf } from './flags.js';
import { printJson, progressLine } from './print.js';
import { executionSummary, openServiceWith } from './shared.js';
import { commandJournal, noteAttached } from './journal-use.js';
import { watchExecution } from './watch.js';

/** `status`: state and counts of one execution; resolves to the exit code. */
export async function status(name: string, version: string, id: string, _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<{ wait?: boolean; failOnItemError?: boolean; pollBudget?: string }>(command);
  const budget = resolvePollBudget(flags.pollBudget);
  const { service, user } = await openServiceWith(command, name, version);
  const batch = service.getBatch(id);
  let snapshot: PollSnapshot;
  if (flags.wait) {
    const watched = await watchExecution(batch, { poller: { budgetBytesPerSecond: budget } });
    if (watched.interrupted) return 130;
    snapshot = watched.snapshot;
  } else {
    snapshot = await new Poller(batch).pollOnce();
  }
  noteAttached(commandJournal(), service, snapshot, user);
  if (flags.json) printJson(executionSummary(batch, snapshot));
  else process.stdout.write(`${safeText(id)} ${progressLine(snapshot)}\n`);
  return exitCodeForState(snapshot.state, snapshot.counts[ITEM_CODE.Failed], Boolean(flags.failOnItemError));
}
