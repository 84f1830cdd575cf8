/** ink's render options, shared by the app and bench/tui-frame so the bench measures what runs. */

/**
 * Frames are drawn only when something changes (a poll, a key), so the cap matters only for
 * bursts: a key pressed just after a poll's frame waits out the rest of the throttle window.
 * Frames cost a few milliseconds (unchanged rows are reused, see ink-output.ts), so at 60 the
 * wait is at most 17 ms; a held key is bounded by the key repeat rate (about 30 a second) and
 * each of its frames rewrites only the rows the cursor left and entered.
 */
export const MAX_FPS = 60;

/** Incremental rendering, our own Ctrl-C handling, and no console patching (we own the screen). */
export const RENDER_OPTIONS = {
  incrementalRendering: true,
  maxFps: MAX_FPS,
  patchConsole: false,
  exitOnCtrlC: false,
} as const;
