/** Pure text formatting shared by screens: progress bars, cutting and wrapping to a width in cells. */
import { safeText } from '../text/safe-text.js';
import { cutCells, wrapCells } from '../text/cells.js';
import { barGlyphs } from '../text/glyphs.js';

/** A progress bar of `width` cells: `█████░░░░░` (`#####-----` outside a UTF-8 locale). */
export function progressBar(done: number, total: number, width: number): string {
  const w = Math.max(0, width);
  const filled = total > 0 ? Math.min(w, Math.floor((done / total) * w)) : 0;
  const { full, empty } = barGlyphs();
  return full.repeat(filled) + empty.repeat(w - filled);
}

/** Cuts plain text to a width in cells, with `…` when cut; newlines become spaces. */
export function cut(text: string, width: number): string {
  return cutCells(text.replace(/[\r\n\t]+/g, ' '), width);
}

/** A compact rendering of a value for one-line displays. */
export function brief(value: unknown): string {
  if (typeof value === 'string') return safeText(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  try {
    return safeText(JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/** Breaks plain text into lines of at most `width` cells (at spaces when it can), for messages that must be read whole. */
export function wrapText(text: string, width: number): string[] {
  return text.replace(/[\r\t]+/g, ' ').split('\n').flatMap((line) => wrapCells(line, width));
}
