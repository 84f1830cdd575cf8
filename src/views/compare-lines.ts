/** Pure text of the compare screens: the summary, one row per index that is not equal, an index's outputs side by side. */
import type { DiffSummary, OutputComparison } from '../analysis/diff.js';
import { ASCII_GLYPHS, changeText, deltaText, differenceText, UNICODE_GLYPHS, valueText, VERDICT_LABEL, type DiffGlyphs } from '../report/diff-text.js';
import { isUtf8Locale } from '../text/locale.js';
import { fitCells, cutCells } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';
import type { ComparedIndex, ExecRef } from '../store/types.js';

/** `→` and `Δ`, or ASCII outside a UTF-8 locale. */
export function glyphs(): DiffGlyphs {
  return isUtf8Locale() ? UNICODE_GLYPHS : ASCII_GLYPHS;
}

/** `flaky 1.0 5b1c7d2e…`: an execution in little room. */
export function refText(ref: ExecRef, idCells = 8): string {
  return `${safeText(ref.service)} ${safeText(ref.version)} ${cutCells(safeText(ref.id), idCells + 1)}`;
}

/**
 * The counts: `6 compared: 2 equal, 3 different, 1 failed in one only, 0 failed in both`, then a
 * line on differing sizes and one on unfinished records when there are any.
 */
export function summaryLines(s: DiffSummary): string[] {
  const c = s.counts;
  const lines = [`${s.compared} compared: ${c.equal} equal, ${c.different} different, ${c.failedInOne} failed in one only, ${c.failedInBoth} failed in both`];
  if (s.sizeA !== s.sizeB) lines.push(`Sizes differ (A ${s.sizeA}, B ${s.sizeB}): ${c.onlyInOne} only in one, not compared`);
  if (c.unfinished) lines.push(`${c.unfinished} unfinished (pending, running or canceled on a side): not compared`);
  return lines;
}

/** Rows of the outputs table of the summary. */
export function outputSummaryRows(s: DiffSummary): Record<string, string>[] {
  return s.outputs.map((o) => ({
    name: safeText(o.name),
    different: String(o.different),
    max: o.maxDelta === null ? '—' : deltaText(o.maxDelta),
    largest: o.largest.map((d) => differenceText(d, glyphs())).join('; ') || '—',
  }));
}

/** The first output that differs, as `root: 1.5 → 1.41421 (Δ 0.0858)`. */
function firstDifference(outputs: OutputComparison[]): string {
  const o = outputs.find((x) => !x.equal);
  if (!o) return '';
  return `${safeText(o.name)}: ${changeText(o.inA ? o.a : undefined, o.inB ? o.b : undefined, o.delta, glyphs())}`;
}

/** One row of the list of indices that are not equal: index, verdict, what differs or the error. */
export function indexRow(c: ComparedIndex, width: number): string {
  let what = '';
  switch (c.verdict) {
    case 'different':
      what = firstDifference(c.outputs);
      break;
    case 'failedInA':
    case 'failedInBoth':
      what = safeText(c.a.error);
      break;
    case 'failedInB':
      what = safeText(c.b.error);
      break;
    case 'unfinished':
      what = `A ${c.a.state === 'none' ? 'no result' : c.a.state}, B ${c.b.state === 'none' ? 'no result' : c.b.state}`;
      break;
    default:
      break;
  }
  return fitCells(`${String(c.index).padStart(7)}  ${VERDICT_LABEL[c.verdict].padEnd(16)}  ${what}`, width);
}

/** Rows of an index's outputs table: each output on both sides and their difference. */
export function outputRows(outputs: OutputComparison[]): Record<string, string>[] {
  return outputs.map((o) => ({
    name: safeText(o.name),
    a: valueText(o.inA ? o.a : undefined, 200),
    b: valueText(o.inB ? o.b : undefined, 200),
    delta: o.equal ? '=' : !o.inA ? 'missing in A' : !o.inB ? 'missing in B' : o.delta === null ? 'differs' : deltaText(o.delta),
  }));
}

/** Inputs as `id=3  value=2.25`, or null when not known. */
export function inputsText(inputs: Record<string, unknown> | null): string | null {
  if (!inputs) return null;
  return Object.entries(inputs).map(([k, v]) => `${safeText(k)}=${valueText(v, 40)}`).join('  ');
}
