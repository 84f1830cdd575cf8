/** What `mlbatch status` does: one poll (or, with --wait, every poll to the end) and the exit code of the state. */
import type { Command } from 'commander';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { safeText } from '../text/safe-text.js';
import { flagsOf } from './flags.js';
import { printJson, progressLine } from './print.js';
import { executionSummary, openExecution } from './shared.js';
import { executionArgs } from './execution-query.js';
import { commandJournal, noteAttached } from './journal-use.js';
import { EndWait, type WaitFlags } from './wait.js';

/** `status`: state and counts of one execution; resolves to the exit code. */
export async function status(args: string[], _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<WaitFlags>(command);
  const waiting = EndWait.of(flags);
  const { query } = executionArgs('status', args);
  const { service, user, context, id, batch } = await openExecution(command, query);
  const note = (s: PollSnapshot) => noteAttached(commandJournal(), service, s, user, context);
  let snapshot: PollSnapshot | undefined;
  if (waiting.wanted) {
    snapshot = await waiting.follow(batch, note);
    if (!snapshot) return waiting.exitCode(snapshot);
  } else {
    snapshot = await new Poller(batch).pollOnce();
    note(snapshot);
  }
  if (flags.json) printJson(executionSummary(batch, snapshot));
  else process.stdout.write(`${safeText(id)} ${progressLine(snapshot)}\n`);
  return waiting.exitCode(snapshot);
}
