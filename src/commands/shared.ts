/** Helpers shared by the commands' implementations: connecting, execution summaries (the flags are flags.ts). */
import type { Command } from 'commander';
import type { Batch } from '../client/batch.js';
import type { PollSnapshot } from '../watch/poller.js';
import { ITEM_STATES, ITEM_CODE, type ItemState } from '../protocol.js';
import { indicesIn } from '../watch/poll-state.js';
import { resolveConnection, type ResolveOptions } from '../session/connection.js';
import type { ConnectionFlags } from '../session/connection-options.js';
import { findExecution, isWholeId, type ExecutionQuery } from '../journal/find-execution.js';
import { flagsOf } from './flags.js';
import { commandJournal } from './journal-use.js';

/** What opening a service may add: a dangerous action (refused in a read-only context), other connection flags. */
export interface OpenOptions {
  dangerous?: ResolveOptions['dangerous'];
  /** Instead of the command's own (diff's side B: another context). */
  flags?: ConnectionFlags;
}

/** Connects and finds the service version, for commands that take `<service> <version>`. */
export async function openService(command: Command, name: string, version: string, options: OpenOptions = {}) {
  return (await openServiceWith(command, name, version, options)).service;
}

/**
 * Like `openService`, with the user the connection is made as and its context (the journal keeps
 * both: the context is null for a host no context has).
 */
export async function openServiceWith(command: Command, name: string, version: string, options: OpenOptions = {}) {
  const { client, user, context } = await resolveConnection(options.flags ?? flagsOf(command), { dangerous: options.dangerous });
  return { client, user: user ?? null, context: context?.name ?? null, service: await client.getService(name, version) };
}

/**
 * Connects and finds the execution a command names (`<service> <version> <id>`, or the id alone;
 * a whole id, a prefix, or `last`: see journal/find-execution.ts), with the user connected as and
 * its context (null: a host no context has).
 */
export async function openExecution(command: Command, query: ExecutionQuery, options: OpenOptions = {}) {
  const { client, user, context } = await resolveConnection(options.flags ?? flagsOf(command), { dangerous: options.dangerous });
  // A whole id with its service and version is used as given: the journal is not opened for it.
  const journal = query.service !== undefined && isWholeId(query.id) ? null : commandJournal();
  const { service, id } = await findExecution(client, journal, query, { command: `mlbatch ${command.name()}` });
  return { client, user: user ?? null, context: context?.name ?? null, service, id, batch: service.getBatch(id) };
}

/** Connects and re-attaches to the execution a command names (see `openExecution`). */
export async function openBatch(command: Command, query: ExecutionQuery, options: OpenOptions = {}): Promise<Batch> {
  return (await openExecution(command, query, options)).batch;
}

/** Items per state as a named object (`{Pending: 3, Running: 2, ...}`). */
export function countsObject(counts: readonly number[]): Record<ItemState, number> {
  const out = {} as Record<ItemState, number>;
  for (const state of ITEM_STATES) out[state] = counts[ITEM_CODE[state]] ?? 0;
  return out;
}

/** The machine-readable summary of an execution, as --json prints it. */
export function executionSummary(batch: Batch, s: PollSnapshot) {
  return {
    service: batch.service.name,
    version: batch.service.version,
    executionId: s.executionId,
    state: s.state,
    rawState: s.rawState,
    totalItemCount: s.totalItemCount,
    completedItemCount: s.completedItemCount,
    counts: countsObject(s.counts),
    itemStatesReported: s.itemStatesReported,
    // `reported`: the server's; `inferred`: the first parallelCount unfinished records; `unknown`: none shown running.
    running: s.runningSource,
    parallelCount: s.parallelCount,
    failedIndices: indicesIn(s.items, ITEM_CODE.Failed, 1000),
  };
}
