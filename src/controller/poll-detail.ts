/** What a poll says of one index, decoded for the screens, and when an ended execution ended. */
import type { PollSnapshot } from '../watch/poller.js';
import { ITEM_CODE, type BatchRecord } from '../protocol.js';
import type { ItemDetail } from '../store/types.js';

/** An ISO 8601 time of a result as epoch ms, or null when absent or unreadable. */
export function timeOf(text?: string): number | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

function durationOf(start: number | null, end: number | null): number | null {
  if (start === null || end === null) return null;
  const ms = end - start;
  return ms >= 0 ? ms : null;
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
  const startMs = timeOf(r.raw.startTime);
  const endMs = timeOf(r.raw.endTime);
  return {
    index,
    state: stateName(code),
    inputs,
    outputs: r.outputs,
    consoleOutput: r.consoleOutput,
    error: r.error,
    durationMs: durationOf(startMs, endMs),
    startMs,
    endMs,
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
