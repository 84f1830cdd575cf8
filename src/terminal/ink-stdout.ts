/**
 * The stdout ink draws through. ink 6.8's incremental renderer writes each frame followed by a
 * newline (when the frame is shorter than the terminal), which leaves the cursor one row below
 * the frame, yet starts the next diff with `cursorUp(lines - 1)` as if it sat on the last row:
 * every frame would land one row lower and unchanged rows would keep stale text. Adding the
 * missing row to that leading cursor-up keeps frames anchored; everything else passes through.
 *
 * No ink option avoids it while keeping incremental rendering (the full renderer rewrites the
 * whole frame per update), and a patch applied at install would not reach users who install
 * mlbatch from the registry (patches apply in the root project only). So the correction is made
 * here, behind a fence (`frameAnchorFence`): ink 6.8.0, whose renderer shows the one-row gap
 * when probed. Otherwise ink's writes pass through untouched.
 */
import { INK_VERSION } from './ink-output.js';
import { loadInkModule } from './ink-private.js';
import { asciiText } from '../text/glyphs.js';

const LEADING_UP = /^\x1b\[(\d+)A/;

/** Fixes one chunk ink writes; exported for tests. */
export function anchorFrame(chunk: string): string {
  const m = LEADING_UP.exec(chunk);
  if (!m) return chunk;
  return `\x1b[${Number(m[1]) + 1}A${chunk.slice(m[0].length)}`;
}

/** ink's log-update module (private): `create(stream, options)` gives a frame writer. */
export interface LogUpdate {
  create(stream: { write(chunk: string): boolean }, options: { showCursor?: boolean; incremental?: boolean }): (frame: string) => unknown;
}

/**
 * Why the correction does not apply, or null when it does. Beyond the version, ink's own
 * incremental renderer is probed: after a three-row frame (and its trailing newline, which leaves
 * the cursor on the fourth row) the next frame must start with a cursor-up of 2, one row short.
 */
export function frameAnchorFence(logUpdate: LogUpdate | undefined, version: string | undefined): string | null {
  if (version !== INK_VERSION) return `ink ${version ?? '(unknown version)'} is installed; the frame anchor is written for ink ${INK_VERSION}`;
  if (typeof logUpdate?.create !== 'function') return `ink ${version}'s log-update has no create()`;
  const writes: string[] = [];
  const render = logUpdate.create({ write: (chunk) => writes.push(chunk) > 0 }, { showCursor: true, incremental: true });
  render('a\nb\nc\n');
  render('a\nB\nc\n');
  const second = writes.at(-1) ?? '';
  if (!second.startsWith('\x1b[2A')) return `ink ${version}'s incremental frames do not start one row short (${JSON.stringify(second.slice(0, 12))})`;
  return null;
}

/** Checks the installed ink: true when its frames need anchoring; `onDecline` hears why not. */
export async function needsFrameAnchor(onDecline: (reason: string) => void = () => undefined): Promise<boolean> {
  const { module, version } = await loadInkModule<{ default?: LogUpdate }>('log-update.js').catch(() => ({ module: undefined, version: undefined }));
  const declined = frameAnchorFence(module?.default, version);
  if (declined) onDecline(declined);
  return declined === null;
}

/**
 * A view of `stdout` whose `write` anchors ink's frames (when `anchor`, see `needsFrameAnchor`)
 * and, with `ascii` (a locale that is not UTF-8), puts every glyph in ASCII (`asciiText`);
 * sizes, events and TTY checks are the real stream's.
 */
export function inkStdout(stdout: NodeJS.WriteStream, anchor = false, ascii = false): NodeJS.WriteStream {
  if (!anchor && !ascii) return stdout;
  const fix = (chunk: string) => {
    const anchored = anchor ? anchorFrame(chunk) : chunk;
    return ascii ? asciiText(anchored) : anchored;
  };
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? fix(chunk) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
