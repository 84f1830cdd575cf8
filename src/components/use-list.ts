/** Selection and scrolling of a simple list screen, driven by the list commands of the key table. */
import { useCallback, useRef, useState } from 'react';
import type { CommandId } from '../keys.js';

/** A list's selection: `current()` is always up to date, even between keys of one chunk. */
export interface ListState {
  selected: number;
  top: number;
  /** The selection right now (a ref, so `jj\r` opens the row two below). */
  current(): number;
  /** Handles a movement command; false when `id` is not one. */
  move(id: CommandId): boolean;
}

/** The selected row, the first visible row, and a handler for the movement commands. */
export function useList(length: number, rows: number): ListState {
  const [, setVersion] = useState(0);
  const ref = useRef(0);
  const clamp = (n: number) => Math.max(0, Math.min(Math.max(0, length - 1), n));
  ref.current = clamp(ref.current);
  const selected = ref.current;
  // Scrolls only as far as needed to keep the selection on screen.
  const top = Math.max(0, selected - rows + 1);
  const move = useCallback(
    (id: CommandId): boolean => {
      const page = Math.max(1, rows);
      const c = (n: number) => Math.max(0, Math.min(Math.max(0, length - 1), n));
      const at = ref.current;
      let next: number;
      switch (id) {
        case 'up':
          next = c(at - 1);
          break;
        case 'down':
          next = c(at + 1);
          break;
        case 'pageUp':
          next = c(at - page);
          break;
        case 'pageDown':
          next = c(at + page);
          break;
        case 'top':
          next = 0;
          break;
        case 'bottom':
          next = c(length - 1);
          break;
        default:
          return false;
      }
      ref.current = next;
      setVersion((v) => v + 1);
      return true;
    },
    [length, rows],
  );
  const current = useCallback(() => ref.current, []);
  return { selected, top, move, current };
}
