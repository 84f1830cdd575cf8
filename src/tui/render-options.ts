/** ink's render options, shared by the app and bench/tui-frame so the bench measures what runs. */

/**
 * Frames are drawn only when something changes (a poll, a key), so the cap matters only for
 * bursts. At 15 fps a key pressed just after a poll's frame waited out the 67 ms throttle; at 30
 * the worst case stays under 50 ms while a held key costs at most 30 small diff frames a second.
 */
export const MAX_FPS = 30;

/** Incremental rendering, our own Ctrl-C handling, and no console patching (we own the screen). */
export const RENDER_OPTIONS = {
  incrementalRendering: true,
  maxFps: MAX_FPS,
  patchConsole: false,
  exitOnCtrlC: false,
} as const;
