/** Rows of `mlbatch export`: one per record, as CSV or JSON lines. */
import type { PollSnapshot } from '../watch/poller.js';
import { ITEM_STATES, type ParameterDefinition } from '../protocol.js';
import { safeText } from '../text/safe-text.js';

/** Formats `export` writes. */
export type ExportFormat = 'csv' | 'jsonl';

/**
 * Quotes a CSV cell when it needs it; arrays and objects are written as JSON. CSV has no escape
 * of its own and is read in terminals too: control characters other than LF and TAB are written
 * as their visible escape (`\u001b`), so a cell cannot clear a screen that shows the file.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = safeText(typeof value === 'object' ? JSON.stringify(value) : String(value), { multiline: true });
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** What an export reads: one execution's poll, or the merged view of it and its reruns. */
export type ExportSource = Pick<PollSnapshot, 'totalItemCount' | 'items' | 'result'>;

/**
 * Yields the export's lines (header first for CSV), each ending in a newline. With `from` (the
 * merged view), each row also names the execution its latest attempt came from.
 */
export function* exportRows(s: ExportSource, outputs: readonly ParameterDefinition[], format: ExportFormat, from?: (index: number) => string): Generator<string> {
  let names = outputs.map((o) => o.name);
  if (names.length === 0) {
    // No declared outputs: use whatever the results carry, in first-seen order.
    const seen = new Set<string>();
    for (let i = 0; i < s.totalItemCount; i++) for (const k of Object.keys(s.result(i)?.outputs ?? {})) seen.add(k);
    names = [...seen];
  }
  const source = from ? ['execution'] : [];
  if (format === 'csv') yield `${['index', 'state', ...source, 'error', ...names].map(csvCell).join(',')}\n`;
  for (let i = 0; i < s.totalItemCount; i++) {
    const r = s.result(i);
    const state = ITEM_STATES[s.items[i]] ?? 'Pending';
    const execution = from ? [from(i)] : [];
    if (format === 'csv') {
      yield `${[i, state, ...execution, r?.error ?? '', ...names.map((n) => r?.outputs[n])].map(csvCell).join(',')}\n`;
    } else {
      const row = { index: i, state, ...(from ? { execution: from(i) } : {}), success: r ? r.success : null, error: r?.error || null, outputs: r ? r.outputs : null };
      // safeText keeps JSON the same value: it only adds \u escapes for DEL, C1 and bidi characters.
      yield `${safeText(JSON.stringify(row))}\n`;
    }
  }
}
