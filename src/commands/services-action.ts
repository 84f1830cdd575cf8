/** What `mlbatch services` does: one row per published service, with its inputs and outputs. */
import type { Command } from 'commander';
import { resolveConnection } from '../session/connection.js';
import { printJson } from './print.js';
import { flagsOf } from './flags.js';

/** `services`: lists the published services. */
export async function services(_opts: unknown, command: Command): Promise<void> {
  const flags = flagsOf(command);
  const { client } = await resolveConnection(flags);
  const list = await client.listServices();
  if (flags.json) return printJson(list);
  // Loaded for text only: display widths cost a script reading JSON more than the rest of the command.
  const { printTable } = await import('./output.js');
  const params = (defs: { name: string; type: string }[] | undefined) =>
    (defs ?? []).map((d) => `${d.name}:${d.type}`).join(' ');
  printTable(['NAME', 'VERSION', 'RUNTIME', 'INPUTS', 'OUTPUTS'], list.map((s) => [
    s.name, s.version, s.runtimeType ?? '', params(s.inputParameterDefinitions), params(s.outputParameterDefinitions),
  ]));
}
