/** What `mlbatch ls` does: a service's executions, each polled for its counts only. */
import type { Command } from 'commander';
import { mapPool } from '../client/pool.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { openService } from './shared.js';

/** `ls`: the executions of one service, with their state and counts. */
export async function ls(name: string, version: string, _o: unknown, command: Command): Promise<void> {
  const service = await openService(command, name, version);
  const ids = await service.listBatchExecutions();
  // Counts only: listing must stay cheap even when executions are large.
  const rows = await mapPool(ids, 4, async (id) => {
    try {
      const p = await service.getBatch(id).poll({ showPartialResults: false });
      return { executionId: id, state: p.state, totalItemCount: p.totalItemCount, completedItemCount: p.completedItemCount };
    } catch (err) {
      return { executionId: id, error: (err as Error).message };
    }
  });
  if (flagsOf(command).json) return printJson(rows);
  if (rows.length === 0) return void process.stderr.write(`${name} ${version} has no executions\n`);
  // Loaded for text only, as in services.
  const { printTable } = await import('./output.js');
  printTable(['EXECUTION', 'STATE', 'DONE'], rows.map((r) => 'error' in r
    ? [r.executionId, 'unknown', r.error ?? '']
    : [r.executionId, r.state, `${r.completedItemCount}/${r.totalItemCount}`]));
}
