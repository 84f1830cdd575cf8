/** The terminal bell: one BEL per ring the store asks for, written between ink's frames. */
import type { AppStore } from '../store/app-store.js';

/** The bell character. */
export const BEL = '\x07';

/**
 * Rings the bell (one BEL) each time the store's `bell` count goes up; returns the unsubscribe.
 * The BEL is a write of its own, made while the store changes: ink writes each frame (with its
 * synchronized-update markers) within one call of its own, so this write never lands inside a
 * frame, and a BEL moves no cursor, so ink's next incremental frame still lines up. Going through
 * ink's own `write` instead would erase and redraw the whole frame for one invisible character.
 */
export function followBell(store: AppStore, write: (chunk: string) => unknown, enabled = true): () => void {
  if (!enabled) return () => undefined;
  let rung = store.getState().bell;
  return store.subscribe((s) => {
    if (s.bell === rung) return;
    rung = s.bell;
    write(BEL);
  });
}
