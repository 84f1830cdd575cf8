/** Pure builders of the execution grid: geometry and one run-merged ANSI string per screen row. */
import { DIM, INVERSE, NO_INVERSE, RESET, SGR_BY_CODE, SYMBOL_BY_CODE } from '../text/ansi.js';

/** Cells per group; groups are separated by one space so indices can be counted by eye. */
export const GROUP = 10;

/** Layout of the grid for a terminal width and an execution size. */
export interface GridGeometry {
  gutter: number;
  cellsPerRow: number;
  /**
   * Under a state filter every cell has the same state, so its symbol says nothing: each cell
   * shows its index instead, in this many digits (no gutter then). Absent: symbols.
   */
  indexCells?: number;
}

/**
 * Fits groups of ten cells after an index gutter into `cols` columns; `filtered`, fits index
 * numbers instead (`  3   17   42`), so every cell says which record it is.
 */
export function gridGeometry(cols: number, total: number, filtered = false): GridGeometry {
  const digits = String(Math.max(0, total - 1)).length;
  if (filtered) return { gutter: 0, cellsPerRow: Math.max(1, Math.floor((cols + 1) / (digits + 1))), indexCells: digits };
  const gutter = digits + 1;
  const groups = Math.max(1, Math.floor((cols - gutter + 1) / (GROUP + 1)));
  return { gutter, cellsPerRow: groups * GROUP };
}

/** A filtered row: each visible index in its state's colour, the cursor's inverse. */
function buildIndexRow(states: Uint8Array, visible: Int32Array, start: number, end: number, digits: number, color: boolean, cursor: number): string {
  const cells: string[] = [];
  for (let pos = start; pos < end; pos++) {
    const index = visible[pos];
    const text = String(index).padStart(digits);
    const marked = pos === cursor ? INVERSE + text + NO_INVERSE : text;
    cells.push(color ? (SGR_BY_CODE[states[index]] ?? SGR_BY_CODE[0]) + marked + RESET : marked);
  }
  return cells.join(' ');
}

/** Inputs of one grid row. */
export interface GridRowInput {
  states: Uint8Array;
  /** Filtered indices, or null for all. */
  visible: Int32Array | null;
  row: number;
  geometry: GridGeometry;
  color: boolean;
  /** Position (in the visible sequence) drawn inverse, or -1. */
  cursor: number;
}

/** One screen row of the grid as a single string: gutter, then cells with colour runs merged. */
export function buildGridRow({ states, visible, row, geometry, color, cursor }: GridRowInput): string {
  const length = visible ? visible.length : states.length;
  const start = row * geometry.cellsPerRow;
  if (start >= length) return '';
  if (visible && geometry.indexCells) {
    return buildIndexRow(states, visible, start, Math.min(length, start + geometry.cellsPerRow), geometry.indexCells, color, cursor);
  }
  const first = visible ? visible[start] : start;
  const label = String(first).padStart(geometry.gutter - 1) + ' ';
  let out = color ? DIM + label + RESET : label;
  let open = -1;
  const end = Math.min(length, start + geometry.cellsPerRow);
  for (let pos = start; pos < end; pos++) {
    if (pos > start && (pos - start) % GROUP === 0) out += ' ';
    const code = states[visible ? visible[pos] : pos];
    if (color && code !== open) {
      out += SGR_BY_CODE[code] ?? SGR_BY_CODE[0];
      open = code;
    }
    const symbol = SYMBOL_BY_CODE[code] ?? SYMBOL_BY_CODE[0];
    out += pos === cursor ? INVERSE + symbol + NO_INVERSE : symbol;
  }
  if (color && open !== -1) out += RESET;
  return out;
}

/** The rows `[top, top + count)` of the grid, without cursor (memoised by the caller on version and viewport). */
export function buildGridRows(
  states: Uint8Array,
  visible: Int32Array | null,
  top: number,
  count: number,
  geometry: GridGeometry,
  color: boolean,
): string[] {
  const rows: string[] = [];
  for (let r = top; r < top + count; r++) {
    rows.push(buildGridRow({ states, visible, row: r, geometry, color, cursor: -1 }));
  }
  return rows;
}
