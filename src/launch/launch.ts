/** Opening the app: on the saved login's services, on the connect screen, or on one execution. */
import type { Client } from '../client/client.js';
import { resolveConnection, type Connection } from '../session/connection.js';
import { selectTarget, type Target } from '../session/context-select.js';
import type { Context } from '../session/contexts.js';
import { exitCodeOf } from '../session/exit.js';
import { createAppStore, type AppStore } from '../store/app-store.js';
import { isFinalError } from '../client/errors.js';
import type { ExecRef, Screen } from '../store/types.js';
import type { AppFlags } from './flags.js';
import { Controller } from '../controller/controller.js';
import { contextInfo } from '../controller/context-flows.js';
import { openJournal } from '../journal/journal.js';
import { findExecution, isWholeId } from '../journal/find-execution.js';
import { executionArgs } from '../commands/execution-query.js';
import { safeText } from '../text/safe-text.js';
import { errorText } from '../session/error-text.js';
import { rememberedHost } from '../session/remembered.js';
import { resolvePollBudget } from '../session/poll-budget.js';
import { isInteractive, runPlain, runTerminalApp } from '../terminal/run-app.js';

/**
 * The context the app opens in, as the app gets it at launch: its name and accent colour for the
 * header, and why dangerous keys are off (a read-only context, or --readonly), or null.
 */
export interface LaunchContext {
  context: Context | null;
  readonlyReason: string | null;
}

/** What the app gets of a connection's context. */
function launchContextOf(connection: Pick<Connection, 'context' | 'readonlyReason'>): LaunchContext {
  return { context: connection.context, readonlyReason: connection.readonlyReason };
}

/**
 * Starts the app with a client (or none: connect screen) on a first screen; resolves to the
 * exit code. `onStart` may answer the error that stopped it: without a TTY that ends the run
 * with the headless commands' exit code for it, since nobody would read it in a status line.
 */
export async function launch(
  client: Client | null,
  first: Screen,
  flags: AppFlags,
  onStart?: (controller: Controller) => unknown,
  session: LaunchContext = { context: null, readonlyReason: flags.readonly ? 'started with --readonly' : null },
): Promise<number> {
  let pollBudget: number | undefined;
  try {
    pollBudget = resolvePollBudget(flags.pollBudget);
  } catch (err) {
    process.stderr.write(`mlbatch: ${errorText(err)}\n`);
    return exitCodeOf(err);
  }
  const quit = new AbortController();
  // A read-only context is read-only by its own word (the store says so); --readonly stays on in every context.
  const store = createAppStore(first, { readonly: flags.readonly, context: session.context ? contextInfo(session.context) : null });
  // A journal that cannot be used is said once (status line, or stderr without a terminal); the app opens all the same.
  const warnings: string[] = [];
  const journal = openJournal({ warn: (line) => warnings.push(line) });
  const controller = new Controller(store, client, {
    downloadDir: flags.downloadDir, pollBudget, journal, context: session.context?.name ?? null, onQuit: () => quit.abort(),
  });
  if (client) store.getState().setConnection(client.host, flags.user ?? '', true);
  for (const line of warnings) {
    if (isInteractive()) store.getState().setStatus(safeText(line), 'error');
    else process.stderr.write(`${safeText(line)}\n`);
  }
  const failure = await onStart?.(controller);
  // Nothing to show for an execution that does not exist: say so and end, terminal or not.
  if (isFinalError(failure)) {
    process.stderr.write(`mlbatch: ${errorText(failure)}\n`);
    return exitCodeOf(failure);
  }
  const code = await run(store, controller, quit, failure, flags.bell !== false);
  // The app ended on its own (what it was opened on turned out not to exist): say why, after the screen is restored.
  if (controller.failure !== null) {
    process.stderr.write(`mlbatch: ${errorText(controller.failure)}\n`);
    return exitCodeOf(controller.failure);
  }
  return code;
}

async function run(store: AppStore, controller: Controller, quit: AbortController, failure: unknown, bell: boolean): Promise<number> {
  if (!isInteractive()) {
    if (failure !== undefined) {
      process.stderr.write(`mlbatch: ${errorText(failure)}\n`);
      return exitCodeOf(failure);
    }
    if (store.getState().exec.ref === null) {
      process.stderr.write('mlbatch: the app needs a terminal; use the headless commands (mlbatch --help) in scripts\n');
      return 2;
    }
    return runPlain(store, controller, quit);
  }
  return runTerminalApp(store, controller, quit, { bell });
}

/**
 * `mlbatch` with no command: the services of the context in use (or --host), else the connect
 * screen offering its server. A context that is unknown, or a config file that cannot be used,
 * ends it at once (exit 2) with the reason, as for any command.
 */
export async function openApp(flags: AppFlags): Promise<number> {
  const notes: string[] = [];
  let target: Target;
  try {
    target = await selectTarget(flags, { warn: (line) => notes.push(line) });
  } catch (err) {
    process.stderr.write(`mlbatch: ${errorText(err)}\n`);
    return exitCodeOf(err);
  }
  let connection: Connection | null = null;
  let note = '';
  try {
    connection = await resolveConnection(flags, { warn: () => undefined, target });
  } catch (err) {
    note = errorText(err);
  }
  // A login moved into a context (see context-state.ts) is said once, on the status line.
  const said = notes.length ? (c: Controller) => c.store.getState().setStatus(safeText(notes.join('; '))) : undefined;
  if (connection) return launch(connection.client, { kind: 'services' }, flags, said, launchContextOf(connection));
  const remembered = await rememberedHost();
  const host = target.host ?? remembered?.host ?? '';
  const user = target.user ?? (target.context ? undefined : remembered?.user) ?? 'admin';
  return launch(null, { kind: 'connect' }, flags, (c) => {
    c.store.getState().setConnection(host, user, false);
    if (note && target.host) c.store.getState().setStatus(note, 'error');
  }, launchContextOf(target));
}

/**
 * `mlbatch attach <service> <version> <id>` (or `attach <id>`: the journal knows its service and
 * version; the id may be a prefix, or `last`): straight onto one execution's grid.
 */
export async function attachApp(args: readonly string[], flags: AppFlags): Promise<number> {
  let connection: Connection;
  let ref: ExecRef;
  try {
    const { query } = executionArgs('attach', args);
    connection = await resolveConnection(flags, { warn: () => undefined });
    // The app opens the journal again and says there if it cannot be read; here it only finds the id.
    const journal = query.service !== undefined && isWholeId(query.id) ? null : openJournal({ warn: () => undefined });
    const { service, id } = await findExecution(connection.client, journal, query, { command: 'mlbatch attach' });
    journal?.close();
    ref = { service: service.name, version: service.version, id };
  } catch (err) {
    // An ambiguous id lists its candidates, one a line.
    process.stderr.write(`mlbatch: ${safeText(err instanceof Error ? err.message : String(err), { multiline: true })}\n`);
    return exitCodeOf(err);
  }
  return launch(connection.client, { kind: 'execution', ref }, flags, (c) => c.attachData(ref), launchContextOf(connection));
}
