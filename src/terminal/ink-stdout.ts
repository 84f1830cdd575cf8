/**
 * The stdout ink draws through. ink 6.8's incremental renderer writes each frame followed by a
 * newline (when the frame is shorter than the terminal), which leaves the cursor one row below
 * the frame, yet starts the next diff with `cursorUp(lines - 1)` as if it sat on the last row:
 * every frame would land one row lower and unchanged rows would keep stale text. Adding the
 * missing row to that leading cursor-up keeps frames anchored; everything else passes through.
 */

const LEADING_UP = /^\x1b\[(\d+)A/;

/** Fixes one chunk ink writes; exported for tests. */
export function anchorFrame(chunk: string): string {
  const m = LEADING_UP.exec(chunk);
  if (!m) return chunk;
  return `\x1b[${Number(m[1]) + 1}A${chunk.slice(m[0].length)}`;
}

/** A view of `stdout` whose `write` anchors ink's frames; sizes, events and TTY checks are the real stream's. */
export function inkStdout(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? anchorFrame(chunk) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
