/** What a poll says of one index, decoded for the screens, and when an ended execution ended. */
import type { PollSnapshot } from '../batch/poller.js';
import { ITEM_CODE, type BatchRecord } from '../protocol.js';
import type { ItemDetail } from '../store/types.js';

function durationOf(start?: string, end?: string): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** The latest end time among an execution's results (ms), or null when none carries one. */
export function latestEnd(snap: PollSnapshot): number | null {
  let last: number | null = null;
  for (let i = 0; i < snap.items.length; i++) {
    const t = Date.parse(snap.result(i)?.raw.endTime ?? '');
    if (Number.isFinite(t) && (last === null || t > last)) last = t;
  }
  return last;
}

/** One index of a poll as the index screen and the list show it (inputs only for batches started here). */
export function detailOf(snap: PollSnapshot, index: number, records?: readonly BatchRecord[]): ItemDetail | undefined {
  const r = snap.result(index);
  const code = snap.items[index];
  if (code === undefined) return undefined;
  const inputs = records?.[index] ?? null;
  if (!r) return { index, state: stateName(code), inputs, outputs: {}, consoleOutput: '', error: '', durationMs: null };
  return {
    index,
    state: stateName(code),
    inputs,
    outputs: r.outputs,
    consoleOutput: r.consoleOutput,
    error: r.error,
    durationMs: durationOf(r.raw.startTime, r.raw.endTime),
  };
}

function stateName(code: number): ItemDetail['state'] {
  switch (code) {
    case ITEM_CODE.Running:
      return 'Running';
    case ITEM_CODE.Complete:
      return 'Complete';
    case ITEM_CODE.Failed:
      return 'Failed';
    case ITEM_CODE.Canceled:
      return 'Canceled';
    default:
      return 'Pending';
  }
}
