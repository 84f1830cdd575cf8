/** Pure fitting of read-only tables to a width in display cells (for ink-table, see DataTable). */
import stringWidth from 'string-width';
import { safeText } from '../text/safe-text.js';
import { cutCells } from '../text/cells.js';

/** One column: its key in the rows, its title, and the most cells it may take (before fitting). */
export interface TableColumn {
  key: string;
  title: string;
  max?: number;
}

/** Rows fitted to a width: every cell at most its column's `widths[i]` cells (and UTF-16 units). */
export interface FittedTable {
  widths: number[];
  rows: Record<string, string>[];
  /** Rows left out for want of height. */
  hidden: number;
}

/** Borders and padding of `columns` columns: `│ a │ b │` is 3·2 + 4. */
export const tableChrome = (columns: number) => columns * 3 + 1;

/** Lines a table of `rows` data rows takes (top, heading, a separator before each row, bottom). */
export const tableHeight = (rows: number) => rows * 2 + 3;

/**
 * One table cell: server text flattened, made safe and cut to at most `width` cells (`…` when
 * cut). ink-table pads by `.length`, which can exceed the cells (combining marks, emoji), so the
 * result is also kept within `width` UTF-16 units.
 */
export function tableCell(text: string, width: number): string {
  const flat = safeText(text.replace(/[\r\n\t]+/g, ' ')).normalize('NFC').trim();
  if (width <= 0) return '';
  let out = cutCells(flat, width);
  for (let w = width - 1; out.length > width && w > 0; w--) out = cutCells(flat, w);
  return out.length > width ? out.slice(0, width) : out;
}

/**
 * Fits rows into `width` cells with at most `maxRows` data rows (the last one then says how many
 * are left out). Columns take what they need up to their `max`; the last column gets what is
 * left, and when even that is short every column gives up room in turn, widest first.
 */
export function fitTable(columns: TableColumn[], rows: Record<string, string>[], width: number, maxRows = Infinity): FittedTable {
  const room = Math.max(columns.length, width - tableChrome(columns.length));
  const limit = Math.max(1, Math.floor(maxRows));
  const shown = rows.length > limit ? rows.slice(0, limit - 1) : rows;
  const hidden = rows.length - shown.length;
  const data = hidden ? [...shown, { [columns[0].key]: `… ${hidden} more` }] : shown;
  const widths = columns.map((c) => Math.min(c.max ?? Infinity, Math.max(stringWidth(c.title), ...data.map((r) => stringWidth(r[c.key] ?? '')))));
  const last = widths.length - 1;
  widths[last] = Math.max(1, Math.min(widths[last], room - widths.slice(0, last).reduce((a, b) => a + b, 0)));
  while (widths.reduce((a, b) => a + b, 0) > room) {
    const widest = widths.indexOf(Math.max(...widths));
    widths[widest]--;
  }
  const fitted = data.map((r) => Object.fromEntries(columns.map((c, i) => [c.key, tableCell(r[c.key] ?? '', widths[i])])));
  return { widths, rows: fitted, hidden };
}

/** The declared-type name (as ML Server spells types) of a decoded value, for tables of outputs. */
export function valueType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'numeric';
  if (typeof value === 'string') return 'character';
  if (typeof value === 'boolean') return 'logical';
  if (Array.isArray(value)) return value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) && value.length > 0 ? 'data.frame' : 'vector';
  if (typeof value === 'object') {
    const columns = Object.values(value);
    return columns.length > 0 && columns.every(Array.isArray) ? 'data.frame' : 'list';
  }
  return typeof value;
}
