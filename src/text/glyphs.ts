/**
 * The one glyph table. Every character outside ASCII that the app itself draws (bars, borders,
 * separators, arrows, the cut mark, the text cursor) has an ASCII stand-in of the same width
 * here; outside a UTF-8 locale whatever reaches the terminal goes through `asciiText`, so
 * nothing arrives as mojibake (`█` as `â–ˆ` on a Latin-1 terminal) and no column moves.
 */
import stringWidth from 'string-width';
import { isUtf8Locale } from './locale.js';

/** Each glyph the app draws, and what stands in for it in ASCII (one cell each). */
export const ASCII_GLYPH: Readonly<Record<string, string>> = {
  '█': '_', // the text cursor of fields and prompts (the bar has its own pair, BAR)
  '░': '.',
  '…': '~',
  '—': '-',
  '–': '-',
  '·': '|',
  '↑': '^',
  '↓': 'v',
  '←': '<',
  '→': '>',
  '▸': '>',
  '×': 'x',
  '─': '-',
  '│': '|',
  '┌': '+',
  '┐': '+',
  '└': '+',
  '┘': '+',
  '┬': '+',
  '┴': '+',
  '├': '+',
  '┤': '+',
  '┼': '+',
};

/** The progress bar's filled and empty cells: blocks in UTF-8, `#` and `-` in ASCII. */
export function barGlyphs(utf8 = isUtf8Locale()): { full: string; empty: string } {
  return utf8 ? { full: '█', empty: '░' } : { full: '#', empty: '-' };
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const segmenter = new Intl.Segmenter();

/**
 * `text` in ASCII, cell for cell: glyphs of the table become their stand-in; any other
 * character (server text in another script) becomes `?` per cell it takes, so layouts hold.
 */
export function asciiText(text: string): string {
  if (ASCII_ONLY.test(text)) return text;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    if (ASCII_ONLY.test(segment)) out += segment;
    else out += ASCII_GLYPH[segment] ?? '?'.repeat(stringWidth(segment));
  }
  return out;
}
