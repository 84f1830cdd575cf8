/** Pure builder of the execution screen's list view rows (index, state, duration, outputs, error). */
import { formatDuration } from '../text/units.js';
import type { ItemDetail } from '../store/types.js';
import { INVERSE, RESET, SGR_BY_CODE, SYMBOL_BY_CODE, stateOfCode } from '../text/ansi.js';
import { brief, cut } from './format.js';
import { safeText } from '../text/safe-text.js';

/** Inputs of one list row. */
export interface ListRowInput {
  index: number;
  code: number;
  detail: ItemDetail | undefined;
  indexWidth: number;
  width: number;
  color: boolean;
  selected: boolean;
}

/** `  1234  # Complete   0.12s  score=0.53 label=a  <error>`, cut to the width in cells. */
export function buildListRow({ index, code, detail, indexWidth, width, color, selected }: ListRowInput): string {
  const state = stateOfCode(code);
  const dur = detail?.durationMs == null ? '' : formatDuration(detail.durationMs, 2);
  const outputs = detail
    ? Object.entries(detail.outputs)
        .slice(0, 3)
        .map(([k, v]) => `${safeText(k)}=${cut(brief(v), 16)}`)
        .join(' ')
    : '';
  const error = detail?.error ? safeText(detail.error) : '';
  const head = `${String(index).padStart(indexWidth)}  `;
  const stateText = `${SYMBOL_BY_CODE[code] ?? '?'} ${state.padEnd(9)}`;
  const rest = `${dur.padStart(7)}  ${error ? `${outputs}${outputs ? '  ' : ''}${error}` : outputs}`;
  const plain = cut(head + stateText + rest, width);
  const stateEnd = head.length + stateText.length;
  let line: string;
  if (color) {
    line = plain.slice(0, head.length) + (SGR_BY_CODE[code] ?? '') + plain.slice(head.length, stateEnd) + RESET + plain.slice(stateEnd);
  } else {
    line = plain;
  }
  return selected ? INVERSE + line.replaceAll(RESET, RESET + INVERSE) + RESET : line;
}
