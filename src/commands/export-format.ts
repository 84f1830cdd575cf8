/** Rows of `mlbatch export`: one per record, as CSV or JSON lines. */
import type { PollSnapshot } from '../batch/poller.js';
import { ITEM_STATES, type ParameterDefinition } from '../protocol.js';
import { safeText } from '../batch/safe-text.js';

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

/** Yields the export's lines (header first for CSV), each ending in a newline. */
export function* exportRows(s: PollSnapshot, outputs: readonly ParameterDefinition[], format: ExportFormat): Generator<string> {
  let names = outputs.map((o) => o.name);
  if (names.length === 0) {
    // No declared outputs: use whatever the results carry, in first-seen order.
    const seen = new Set<string>();
    for (let i = 0; i < s.totalItemCount; i++) for (const k of Object.keys(s.result(i)?.outputs ?? {})) seen.add(k);
    names = [...seen];
  }
  if (format === 'csv') yield `${['index', 'state', 'error', ...names].map(csvCell).join(',')}\n`;
  for (let i = 0; i < s.totalItemCount; i++) {
    const r = s.result(i);
    const state = ITEM_STATES[s.items[i]] ?? 'Pending';
    if (format === 'csv') {
      yield `${[i, state, r?.error ?? '', ...names.map((n) => r?.outputs[n])].map(csvCell).join(',')}\n`;
    } else {
      // safeText keeps JSON the same value: it only adds \u escapes for DEL, C1 and bidi characters.
      yield `${safeText(JSON.stringify({ index: i, state, success: r ? r.success : null, error: r?.error || null, outputs: r ? r.outputs : null }))}\n`;
    }
  }
}
