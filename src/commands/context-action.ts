/** What `mlbatch context` does: list, switch and remove contexts (session/context-admin.ts, shared with the app). */
import type { Command } from 'commander';
import { deleteContext, listContexts, useContext } from '../session/context-admin.js';
import { flagsOf } from './flags.js';
import { printJson } from './print.js';

/** `context`: every context, the current one marked with `*`. */
export async function list(_o: unknown, command: Command): Promise<void> {
  const list = await listContexts();
  if (flagsOf(command).json) return printJson(list);
  if (list.contexts.length === 0) {
    process.stderr.write(`no contexts in ${list.path} yet: mlbatch login --host URL adds one\n`);
    return;
  }
  const { printTable } = await import('./output.js');
  printTable(['CURRENT', 'NAME', 'HOST', 'USER', 'LOGIN', 'READONLY', 'COLOR'], list.contexts.map((c) => [
    c.current ? '*' : '', c.name, c.host, c.user ?? '', c.loggedIn ? 'saved' : '-', c.readonly ? 'yes' : '', c.color ?? '',
  ]));
}

/** `context use NAME|-`: makes it current. */
export async function use(name: string, _o: unknown, command: Command): Promise<void> {
  const context = await useContext(name);
  if (flagsOf(command).json) printJson(context);
  else process.stdout.write(`switched to context "${context.name}" (${context.host})\n`);
}

/** `context rm NAME`: removes it and its saved login. */
export async function rm(name: string, _o: unknown, command: Command): Promise<void> {
  const { path, loginRemoved } = await deleteContext(name);
  if (flagsOf(command).json) printJson({ removed: name, loginRemoved, config: path });
  else process.stdout.write(`removed context "${name}" from ${path}${loginRemoved ? ' and its saved login' : ''}\n`);
}
