/** Builds the JSON text of items and poll answers without re-serialising stored results. */
import type { BatchItemResult, ExecutionState } from '../protocol.js';
import type { RunOutcome } from './runtime/types.js';

/** The JSON text of one finished item; `success` comes first so its outcome is read cheaply. */
export function itemJson(index: number, outcome: RunOutcome, artifacts: string[]): string {
  const item: BatchItemResult = {
    success: outcome.success,
    errorMessage: outcome.errorMessage,
    consoleOutput: outcome.consoleOutput,
    changedFiles: artifacts,
    outputParameters: outcome.outputParameters ?? {},
    outputFiles: {},
    index,
    state: outcome.success ? 'Complete' : 'Failed',
    startTime: outcome.startTime,
    endTime: outcome.endTime,
  };
  try {
    return JSON.stringify(item);
  } catch (err) {
    // Outputs come from service code: one too deep to serialise fails the item, not the server.
    const errorMessage = `the outputs cannot be encoded as JSON: ${(err as Error).message}`;
    return JSON.stringify({ ...item, success: false, errorMessage, outputParameters: {}, state: 'Failed' });
  }
}

/** True when a stored item's JSON text is a failure (see `itemJson`'s key order). */
export function isFailedJson(json: string): boolean {
  return json.startsWith('{"success":false');
}

/** The artifact names recorded in an item's JSON text. */
export function artifactsOf(json: string): string[] {
  const parsed = JSON.parse(json) as { changedFiles?: unknown } | null;
  const files = parsed?.changedFiles;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}

/** A failed outcome for a run that never reached a worker. */
export function failedOutcome(message: string, startTime = new Date().toISOString()): RunOutcome {
  return {
    success: false,
    errorMessage: message,
    consoleOutput: '',
    outputParameters: {},
    artifacts: [],
    startTime,
    endTime: new Date().toISOString(),
  };
}

/**
 * The JSON text of a record that is running: the keys of a result (so a client reading them finds
 * them), no outcome yet, and its state. It replaces the `null` a real server sends.
 */
export function runningJson(index: number, startTime: string): string {
  return (
    '{"success":false,"errorMessage":"","consoleOutput":"","changedFiles":[],"outputParameters":{},' +
    `"outputFiles":{},"index":${index},"state":"Running","startTime":"${startTime}"}`
  );
}

/** The extension members of a poll answer (see PollExtension), as JSON text starting with a comma. */
export function extensionMembers(ext: {
  parallelCount: number;
  running: number;
  cursor?: string;
  refused?: 'expired' | 'unknown';
}): string {
  let out = `,"parallelCount":${ext.parallelCount},"runningItemCount":${ext.running}`;
  if (ext.cursor !== undefined) out += `,"cursor":"${ext.cursor}"`;
  if (ext.refused !== undefined) out += `,"cursorRefused":"${ext.refused}"`;
  return out;
}

/** A poll answer around item texts already joined with commas (or '' for none); `extra` ends it. */
export function pollBody(
  state: ExecutionState,
  total: number,
  completed: number,
  joinedItems: string,
  extra = '',
): string {
  return (
    `{"state":"${state}","totalItemCount":${total},"completedItemCount":${completed},` +
    `"batchExecutionResults":[${joinedItems}]${extra}}`
  );
}

/** A delta answer: the counts, the extension members, and only the changed items. */
export function deltaBody(state: ExecutionState, total: number, completed: number, extra: string, items: string[]): string {
  return (
    `{"state":"${state}","totalItemCount":${total},"completedItemCount":${completed}${extra},` +
    `"delta":true,"changedItems":[${items.join(',')}]}`
  );
}
