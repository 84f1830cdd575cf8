/**
 * The context's name as the top right of every screen shows it: in the context's accent colour,
 * a production-looking name in the warning colour when it sets none, and plain without colour.
 */
import { ACCENT_SGR, RESET } from '../text/ansi.js';
import { cellWidth } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';
import { cut } from './format.js';

/** The colour a context named like production gets when config.yaml gives it none. */
export const WARNING_ACCENT = 'yellow';

/** `prod`, `production`, `prd`, alone or as a part of the name (`eu-prod`, `prod2`, `admin@prd`). */
const PRODUCTION = /(?:^|[-._@])(?:prod|production|prd)\d*(?=$|[-._@])/i;

/** Whether a context's name says it is a production server. */
export function isProductionName(name: string): boolean {
  return PRODUCTION.test(name);
}

/** The accent colour of a context: its own, else the warning colour for a production name, else none. */
export function accentOf(context: { name: string; color: string | null }): string | null {
  return context.color ?? (isProductionName(context.name) ? WARNING_ACCENT : null);
}

/** Cells the tag may take of a line `width` wide: room is left for what the line is about. */
export function tagRoom(width: number): number {
  return Math.max(4, Math.min(24, Math.floor(width / 3)));
}

/** The tag: the name (cut to `tagRoom`), bold and in its accent colour when `color`; its width in cells. */
export function contextTag(context: { name: string; color: string | null }, width: number, color: boolean): { text: string; cells: number } {
  const name = cut(safeText(context.name), tagRoom(width));
  const accent = accentOf(context);
  const sgr = `\x1b[1m${accent ? (ACCENT_SGR[accent] ?? '') : ''}`;
  return { text: color ? `${sgr}${name}${RESET}` : name, cells: cellWidth(name) };
}
