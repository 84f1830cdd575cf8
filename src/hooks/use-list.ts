/** Selection and scrolling of a simple list screen, driven by the list commands of the key table. */
import { useCallback, useRef, useState } from 'react';
import type { CommandId } from '../keys.js';
import { moveCursor, placeCursor, type CursorMove } from '../store/cursor.js';
import type { ExecView } from '../store/types.js';

/** A list's selection: `current()` is always up to date, even between keys of one chunk. */
export interface ListState {
  selected: number;
  top: number;
  /** The selection right now (a ref, so `jj\r` opens the row two below). */
  current(): number;
  /** Handles a movement command; false when `id` is not one. */
  move(id: CommandId): boolean;
}

const LIST_MOVES = new Set<CommandId>(['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom']);

/**
 * The selected row, the first visible row, and a handler for the movement commands: the same
 * cursor arithmetic as the execution list (scroll only as far as the selection needs, a page key
 * turns the page). `initial` is the row selected at first (a screen come back to).
 */
export function useList(length: number, rows: number, initial = 0): ListState {
  const [, setVersion] = useState(0);
  const view = useRef<ExecView>({ cursor: initial, top: Math.max(0, initial - rows + 1), filter: null, mode: 'list', cellsPerRow: 1, bodyRows: rows });
  // The list or the screen may have changed size since the last key. An empty list is one still
  // loading: the selection waits for its rows rather than falling back to the first.
  if (length > 0) view.current = placeCursor({ ...view.current, bodyRows: rows }, length, view.current.cursor);
  const move = useCallback(
    (id: CommandId): boolean => {
      if (!LIST_MOVES.has(id)) return false;
      view.current = moveCursor(placeCursor({ ...view.current, bodyRows: rows }, length, view.current.cursor), length, id as CursorMove);
      setVersion((v) => v + 1);
      return true;
    },
    [length, rows],
  );
  const current = useCallback(() => view.current.cursor, []);
  return { selected: view.current.cursor, top: view.current.top, move, current };
}
