/**
 * Width in display cells, not UTF-16 units: server text (service names, outputs, error messages,
 * file names) can hold wide characters (CJK, emoji) and combining marks. Printable ASCII, which
 * is nearly all text and all of the grid, is measured by its length without segmenting.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** Cells `text` takes on a terminal. */
export function cellWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Cuts `text` to at most `width` cells, ending in `…` when cut. */
export function cutCells(text: string, width: number): string {
  const w = Math.max(0, Math.floor(width));
  if (PRINTABLE_ASCII.test(text)) {
    if (text.length <= w) return text;
    return w === 0 ? '' : text.slice(0, w - 1) + '…';
  }
  // Measured only as far as the cut: a console line can be megabytes long.
  let used = 0;
  let head: string | undefined;
  for (const { segment, index } of segmenter.segment(text)) {
    used += stringWidth(segment);
    if (used > w) {
      head = text.slice(0, index + segment.length);
      break;
    }
  }
  if (head === undefined) return text;
  // cli-truncate keeps a wide character that straddles the edge (one cell over): cut shorter then.
  for (let target = w; target > 0; target--) {
    const out = cliTruncate(head, target);
    if (stringWidth(out) <= w) return out;
  }
  return '';
}

/** Pads `text` with spaces to `width` cells (text already that wide is left as it is). */
export function padCells(text: string, width: number): string {
  const missing = Math.floor(width) - cellWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Exactly `width` cells: cut with `…`, or padded; for columns of server text. */
export function fitCells(text: string, width: number): string {
  return padCells(cutCells(text, width), width);
}

/** The text's user-perceived characters (grapheme clusters) with the cells each takes. */
function clusters(text: string): { text: string; cells: number }[] {
  if (PRINTABLE_ASCII.test(text)) return Array.from(text, (c) => ({ text: c, cells: 1 }));
  return Array.from(segmenter.segment(text), ({ segment }) => ({ text: segment, cells: stringWidth(segment) }));
}

/** Drops the first `cells` cells (horizontal scrolling); half of a wide character becomes a space. */
export function dropCells(text: string, cells: number): string {
  if (cells <= 0) return text;
  if (PRINTABLE_ASCII.test(text)) return text.slice(cells);
  let dropped = 0;
  let i = 0;
  const parts = clusters(text);
  while (i < parts.length && dropped < cells) dropped += parts[i++].cells;
  const rest = parts.slice(i).map((p) => p.text).join('');
  return dropped > cells ? ' '.repeat(dropped - cells) + rest : rest;
}

/**
 * Breaks one line of text into lines of at most `width` cells, at a space when one falls in the
 * last two thirds of the line, else mid-word. A character wider than the whole width shows as `…`.
 */
export function wrapCells(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const parts = clusters(text);
  const join = (from: number, to: number) => parts.slice(from, to).map((p) => p.text).join('');
  const out: string[] = [];
  let start = 0;
  for (;;) {
    let end = start;
    let used = 0;
    while (end < parts.length && used + parts[end].cells <= w) used += parts[end++].cells;
    if (end >= parts.length) {
      out.push(join(start, end));
      return out;
    }
    if (end === start) {
      out.push(cutCells(parts[start].text, w));
      end = start + 1;
    } else {
      let space = end;
      while (space > start && parts[space].text !== ' ') space--;
      let before = 0;
      for (let i = start; i < space; i++) before += parts[i].cells;
      if (space > start && before > w / 3) end = space;
      out.push(join(start, end).trimEnd());
    }
    start = end;
    while (start < parts.length && parts[start].text === ' ') start++;
  }
}
