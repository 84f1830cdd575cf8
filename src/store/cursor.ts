/** Pure cursor and viewport arithmetic of the execution screen's grid and list. */
import type { ExecView } from './types.js';

/** Cursor moves the keys ask for. */
export type CursorMove = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

/** Rows the sequence takes at the view's geometry. */
export function rowCount(view: ExecView, length: number): number {
  return Math.ceil(length / Math.max(1, view.cellsPerRow));
}

/** The view with the cursor at `position` (clamped) and scrolled so the cursor shows. */
export function placeCursor(view: ExecView, length: number, position: number): ExecView {
  const per = Math.max(1, view.cellsPerRow);
  const cursor = length === 0 ? 0 : Math.min(Math.max(0, Math.trunc(position)), length - 1);
  const row = Math.floor(cursor / per);
  const rows = Math.max(1, view.bodyRows);
  let top = view.top;
  if (row < top) top = row;
  else if (row >= top + rows) top = row - rows + 1;
  top = Math.max(0, Math.min(top, Math.max(0, rowCount(view, length) - rows)));
  if (cursor === view.cursor && top === view.top) return view;
  return { ...view, cursor, top };
}

/** The view after a cursor move over a sequence of `length` items. */
export function moveCursor(view: ExecView, length: number, move: CursorMove): ExecView {
  const per = view.mode === 'grid' ? Math.max(1, view.cellsPerRow) : 1;
  const page = per * Math.max(1, view.bodyRows);
  const c = view.cursor;
  switch (move) {
    case 'up':
      return placeCursor(view, length, c - per < 0 ? c : c - per);
    case 'down':
      return placeCursor(view, length, c + per >= length ? c : c + per);
    case 'left':
      return placeCursor(view, length, c - 1);
    case 'right':
      return placeCursor(view, length, c + 1);
    // A page key turns the page: the view moves with the cursor, which keeps its place on screen.
    case 'pageUp':
      return placeCursor({ ...view, top: view.top - Math.max(1, view.bodyRows) }, length, Math.max(0, c - page));
    case 'pageDown':
      return placeCursor({ ...view, top: view.top + Math.max(1, view.bodyRows) }, length, Math.min(c + page, length - 1));
    case 'top':
      return placeCursor(view, length, 0);
    case 'bottom':
      return placeCursor(view, length, length - 1);
  }
}
