/** The clipboard: whether this terminal can take OSC 52, and each copy the store asks for, written between ink's frames. */
import { osc52 } from '../text/osc52.js';
import type { AppStore } from '../store/app-store.js';
import type { ClipboardReach } from '../store/types.js';

/**
 * How copied text reaches the clipboard from a process on `stdout`: OSC 52 on a terminal (in tmux's
 * passthrough when `$TMUX` is set), not at all without one or on a terminal that cannot take it.
 */
export function clipboardReach(env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): ClipboardReach {
  if (!stdoutIsTerminal) return { osc52: false, why: 'not a terminal' };
  if (env.TERM === 'dumb') return { osc52: false, why: 'TERM=dumb' };
  // The Linux console ignores OSC 52: saying "copied" there would be a lie.
  if (env.TERM === 'linux') return { osc52: false, why: 'the Linux console has no clipboard' };
  return { osc52: true, tmux: Boolean(env.TMUX) };
}

/**
 * Sends each copy the store asks for (its `copied` count goes up) as OSC 52; returns the
 * unsubscribe. Like the bell, the bytes are a write of their own, made while the store changes:
 * ink writes each frame within one call of its own, so they never land inside a frame, and an
 * OSC (or tmux's DCS around it) moves no cursor, so ink's next incremental frame still lines up.
 */
export function followClipboard(store: AppStore, write: (chunk: string) => unknown): () => void {
  let sent = store.getState().copied.count;
  return store.subscribe((s) => {
    if (s.copied.count === sent) return;
    sent = s.copied.count;
    if (s.clipboard.osc52) write(osc52(s.copied.text, { tmux: s.clipboard.tmux }));
  });
}
