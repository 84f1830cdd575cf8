/** What `mlbatch artifacts` does: the names of the files one record produced. */
import type { Command } from 'commander';
import { safeText } from '../text/safe-text.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';
import { openBatch } from './shared.js';
import { executionArgs } from './execution-query.js';

/** `artifacts`: lists one record's files. */
export async function artifacts(args: string[], _o: unknown, command: Command): Promise<void> {
  const { query, index } = executionArgs('artifacts', args, 'required');
  const batch = await openBatch(command, query);
  const files = await batch.listArtifacts(index);
  if (flagsOf(command).json) printJson(files);
  else if (files.length > 0) process.stdout.write(`${files.map((f) => safeText(f)).join('\n')}\n`);
  else process.stderr.write(`index ${index} has no files\n`);
}
