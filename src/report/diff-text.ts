/** Short, terminal-safe text for what a diff found: values, differences, verdicts (shared by the command and the screens). */
import type { LargestDifference, Verdict } from '../analysis/diff.js';
import { cutCells } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';

/** A value as one short line of safe text: strings quoted, `(missing)` for an output one side lacks. */
export function valueText(v: unknown, width = 24): string {
  if (v === undefined) return '(missing)';
  let text: string;
  try {
    text = typeof v === 'number' ? String(Number(v.toPrecision(6))) : JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return cutCells(safeText(text), width);
}

/** A difference's size for display (3 significant digits), or '' when it is not numeric. */
export function deltaText(delta: number | null): string {
  return delta === null ? '' : String(Number(delta.toPrecision(3)));
}

/** The signs a difference is written with. */
export interface DiffGlyphs {
  arrow: string;
  delta: string;
}

/** `→` and `Δ`, for a UTF-8 terminal. */
export const UNICODE_GLYPHS: DiffGlyphs = { arrow: '→', delta: 'Δ' };
/** `->` and `diff`: plain ASCII (the commands' output, and the app outside a UTF-8 locale). */
export const ASCII_GLYPHS: DiffGlyphs = { arrow: '->', delta: 'diff' };

/** `1.5 → 1.41421 (Δ 0.0858)`: a value on both sides and by how much it changed. */
export function changeText(a: unknown, b: unknown, delta: number | null, g: DiffGlyphs = UNICODE_GLYPHS): string {
  return `${valueText(a)} ${g.arrow} ${valueText(b)}${delta === null ? '' : ` (${g.delta} ${deltaText(delta)})`}`;
}

/** `3: 1.5 → 1.41421 (Δ 0.0858)`: one of the largest differences. */
export function differenceText(d: LargestDifference, g: DiffGlyphs = UNICODE_GLYPHS): string {
  return `${d.index}: ${changeText(d.a, d.b, d.delta, g)}`;
}

/** How a verdict reads in a list or a report. */
export const VERDICT_LABEL: Record<Verdict, string> = {
  equal: 'equal',
  different: 'different',
  failedInA: 'failed in A only',
  failedInB: 'failed in B only',
  failedInBoth: 'failed in both',
  unfinished: 'unfinished',
  onlyInA: 'only in A',
  onlyInB: 'only in B',
};
