/** Pure text of the stats screen: its layout for a terminal size, and each block's lines. */
import { barRows, chartPoints, fitUnits, lineChart } from '../report/charts.js';
import type { StatsSummary } from '../analysis/execution-stats.js';
import { fitCells } from '../text/cells.js';
import { safeText } from '../text/safe-text.js';
import { outputCells } from '../report/stats-rows.js';
import { formatDuration } from '../text/units.js';
import type { TableColumn } from './table-fit.js';

const ASCII_STAND_INS: Record<string, string> = { '·': '|', '…': '~' };

/** `line` with the separator dot and the cut mark as ASCII (one cell each) outside a UTF-8 locale. */
export function asciiText(line: string, ascii: boolean): string {
  return ascii ? line.replace(/[·…]/g, (ch) => ASCII_STAND_INS[ch]) : line;
}

/** Rows of each block for a frame `height` rows tall showing `outputs` outputs. */
export interface StatsLayout {
  chartRows: number;
  barRows: number;
  /** Data rows of the outputs table (0: one line says there are none). */
  tableRows: number;
  /** Rows the outputs block takes. */
  tableHeight: number;
}

/** Title, counts, chart titles, time axis, durations line, bar axis, status and hints. */
const FIXED_ROWS = 8;
const MIN_CHART_ROWS = 5;
// Box-drawing rows cost ink a width measure per character every frame: taller charts show no more.
const MAX_CHART_ROWS = 10;

/** How a frame of `height` rows is shared: the charts get at least 5 rows, the outputs table what is left. */
export function statsLayout(height: number, outputs: number): StatsLayout {
  const bars = height >= 34 ? 5 : 3;
  const room = Math.max(0, height - FIXED_ROWS - bars);
  // ink-table draws a line between rows: each data row takes two, plus three for the frame.
  const tableRows = outputs > 0 ? Math.max(1, Math.min(outputs, Math.floor((room - MIN_CHART_ROWS - 3) / 2))) : 0;
  const tableHeight = tableRows > 0 ? tableRows * 2 + 3 : 1;
  const chartRows = Math.max(2, Math.min(MAX_CHART_ROWS, room - tableHeight));
  return { chartRows, barRows: bars, tableRows, tableHeight };
}

/** Widths of the two charts side by side (throughput, failed), one space between. */
export function chartWidths(width: number): [number, number] {
  const left = Math.floor((width - 1) / 2);
  return [left, width - 1 - left];
}

/** Points of the rate series for a screen `width` wide (both charts plot as many). */
export function ratePoints(width: number): number {
  return chartPoints(chartWidths(width)[0]);
}

/** What the second line says of where the rates come from. */
export function sourceText(s: StatsSummary, polls: number): string {
  if (!s.rates) return 'rates after two polls';
  return s.rates.source === 'records' ? 'rates from record end times' : `rates from ${polls} polls (no record times)`;
}

/** The two charts side by side: titles, `rows` lines of charts, and the time each spans. */
export function chartBlock(s: StatsSummary, width: number, rows: number, ascii: boolean): string[] {
  const [lw, rw] = chartWidths(width);
  const r = s.rates;
  const step = r ? ` (${formatDuration(r.binMs, 2)} a point)` : '';
  const title = fitCells(`throughput /s${step}`, lw) + ' ' + fitCells('failed %', rw);
  const left = lineChart(r?.perSecond ?? [], lw, rows, ascii);
  const right = lineChart(r?.failedPercent ?? [], rw, rows, ascii);
  const lines = left.map((l, i) => `${l} ${right[i]}`);
  const span = r ? formatDuration(r.binMs * r.perSecond.length) : '';
  const axis = (w: number) => fitCells(`${' '.repeat(7)}0s${span.padStart(Math.max(0, w - 9))}`, w);
  return [title, ...lines, r ? `${axis(lw)} ${axis(rw)}` : ''];
}

const seconds = (ms: number | null | undefined) => formatDuration(ms, 3);

/** The duration figures, the histogram as vertical bars, and its range. */
export function durationBlock(s: StatsSummary, width: number, rows: number, ascii: boolean): string[] {
  const d = s.durations;
  if (!d) {
    const why = s.records === 0 ? 'no record has finished yet' : 'the server gives no record start and end times';
    return [fitCells(`durations  ${why}`, width), ...new Array<string>(rows + 1).fill('')];
  }
  const figures = `durations  p50 ${seconds(d.p50)}  p95 ${seconds(d.p95)}  p99 ${seconds(d.p99)}  max ${seconds(d.max)}  (${d.count})`;
  const counts = d.histogram?.counts ?? [];
  // Whole-millisecond bins can be fewer than the columns: each takes as many columns as fit, alike.
  const each = Math.max(1, Math.floor(width / Math.max(1, counts.length)));
  const bars = barRows(counts.flatMap((c) => new Array<number>(each).fill(c)), rows, ascii);
  const drawn = Math.min(width, counts.length * each);
  const lo = d.histogram ? seconds(d.histogram.min) : '';
  const hi = d.histogram ? seconds(d.histogram.max) : '';
  return [fitCells(figures, width), ...bars.map((b) => fitUnits(b, width)), fitCells(lo + hi.padStart(Math.max(1, drawn - lo.length)), width)];
}

/** Columns of the outputs table. */
export const OUTPUT_COLUMNS: TableColumn[] = [
  { key: 'name', title: 'output', max: 18 },
  { key: 'count', title: 'n', max: 8 },
  { key: 'min', title: 'min', max: 10 },
  { key: 'mean', title: 'mean', max: 10 },
  { key: 'max', title: 'max', max: 10 },
  { key: 'spread', title: 'distribution / most frequent' },
];

/** Rows of the outputs table, server text made safe here: the table measures its columns before it cuts. */
export function outputRows(s: StatsSummary, ascii: boolean): Record<string, string>[] {
  return s.outputs.map((o) => {
    const c = outputCells(o, ascii);
    return { ...c, name: safeText(c.name), spread: safeText(c.spread) };
  });
}

/** The line under the title: state, counts, reading progress and where rates come from. */
export function countsLine(state: string | null, total: number, finished: number, s: StatsSummary, polls: number, width: number): string {
  const parts = [safeText(state ?? 'waiting for the first poll'), `${finished}/${total} finished`, `${s.failed} failed`];
  // Records are read in slices after the first frame: say so until all are in the figures.
  if (finished > s.records) parts.push(`reading ${finished - s.records} more`);
  parts.push(sourceText(s, polls));
  if (s.outputsLeftOut) parts.push(`${s.outputsLeftOut} outputs left out`);
  return fitCells(parts.join(' · '), width);
}
