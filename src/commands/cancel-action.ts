/** What `mlbatch cancel` does: asks the server to cancel, then shows the state it answers with. */
import type { Command } from 'commander';
import { safeText } from '../text/safe-text.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { openExecution } from './shared.js';
import { executionArgs } from './execution-query.js';

/** `cancel`: cancels an execution. */
export async function cancel(args: string[], _o: unknown, command: Command): Promise<void> {
  const { id, batch } = await openExecution(command, executionArgs('cancel', args).query, { dangerous: 'cancel' });
  await batch.cancel();
  const p = await batch.poll({ showPartialResults: false });
  if (flagsOf(command).json) printJson({ executionId: id, state: p.state, completedItemCount: p.completedItemCount, totalItemCount: p.totalItemCount });
  else process.stdout.write(`${safeText(id)} cancel requested; now ${p.state} ${p.completedItemCount}/${p.totalItemCount} done\n`);
}
