/**
 * Output of the headless commands: JSON or aligned text on stdout, progress on stderr. Text from
 * outside (server answers, file names, records files) reaches the terminal only through
 * `safeText`: table cells, progress lines, error messages and JSON all pass it. The tables are
 * here; what draws no table is in print.ts (a command that prints no table imports that alone).
 */
import { safeText } from '../text/safe-text.js';
import { cellWidth, padCells } from '../text/cells.js';

export { printJson, progressLine, ProgressWriter } from './print.js';

/** Rows as aligned columns, by display cells (server names can hold wide characters); the last column is never padded. */
export function tableLines(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padCells(c, widths[i]))).join('  ');
  return [line(headers), ...rows.map(line)];
}

/** Writes rows as aligned columns to stdout; cells are made safe to show. */
export function printTable(headers: string[], rows: string[][]): void {
  const safe = rows.map((r) => r.map((c) => safeText(c)));
  process.stdout.write(`${tableLines(headers, safe).join('\n')}\n`);
}
