/**
 * Charts as lines of text, for the stats screen and `mlbatch stats`: line charts drawn by
 * asciichart (small, no dependencies, its glyphs replaceable), sparklines and vertical bars.
 * Box-drawing and block glyphs in a UTF-8 locale, printable ASCII otherwise.
 */
import { plot, type PlotConfig } from 'asciichart';

type Symbols = NonNullable<PlotConfig['symbols']>;

// asciichart's glyphs in its order: axis at 0, axis, two ticks, flat, the four corners, vertical.
const ASCII_SYMBOLS: Symbols = ['+', '|', '-', '-', '-', '`', ',', '.', "'", '|'];
const SPARK_UTF8 = ' ▁▂▃▄▅▆▇█';
const SPARK_ASCII = ' .:-=+*#@';
const EIGHTHS_UTF8 = ' ▁▂▃▄▅▆▇█';

/** Cells the y-axis labels of `lineChart` take, the axis itself included. */
export const AXIS_CELLS = 7;

/** Points a line chart `width` cells wide plots (one per cell after the axis). */
export function chartPoints(width: number): number {
  return Math.max(2, width - AXIS_CELLS);
}

/** A y-axis label of at most six cells: `0.00`, `12.5`, `840`, `12.3k`, `4.1M`. */
export function axisLabel(x: number): string {
  const a = Math.abs(x);
  let text: string;
  if (!Number.isFinite(x)) text = '?';
  else if (a >= 1e9) text = x.toExponential(0);
  else if (a >= 1e6) text = `${(x / 1e6).toFixed(1)}M`;
  else if (a >= 1e4) text = `${(x / 1e3).toFixed(1)}k`;
  else if (a >= 100) text = x.toFixed(0);
  else if (a >= 10) text = x.toFixed(1);
  else text = x.toFixed(2);
  return text.slice(0, 6).padStart(6);
}

/** Exactly `width` units of text made only of one-cell, one-unit glyphs. */
export function fitUnits(text: string, width: number): string {
  const w = Math.max(0, Math.floor(width));
  return text.length > w ? text.slice(0, w) : text.padEnd(w);
}

/** Non-finite values (a server's NaN, a division by nothing) are drawn as 0 rather than breaking the chart. */
const finite = (values: readonly number[]) => values.map((v) => (Number.isFinite(v) ? v : 0));

/**
 * A line chart of `values` from 0 up, exactly `height` lines of exactly `width` cells. One
 * value is plotted per cell after the axis (see chartPoints); extra values are dropped.
 */
export function lineChart(values: readonly number[], width: number, height: number, ascii: boolean): string[] {
  const points = finite(values).slice(0, chartPoints(width));
  if (points.length === 0) points.push(0);
  if (points.length === 1) points.push(points[0]);
  const top = Math.max(...points);
  const rows = Math.max(1, Math.floor(height));
  const text = plot(points, {
    min: 0,
    // A flat zero line still gets its full height (asciichart draws one row for an empty range).
    max: top > 0 ? top : 1,
    height: rows - 1,
    offset: 2,
    format: (x) => axisLabel(x),
    symbols: ascii ? ASCII_SYMBOLS : undefined,
  });
  // Every glyph asciichart draws (digits, box drawing, ASCII) is one cell and one UTF-16 unit:
  // fitted by length, without measuring each character again on every frame.
  const lines = text.split('\n').map((l) => fitUnits(l, width));
  while (lines.length < rows) lines.push(' '.repeat(Math.max(0, width)));
  return lines.slice(0, rows);
}

/** One character per count, its height relative to the largest; a non-zero count is never blank. */
export function sparkline(counts: readonly number[], ascii: boolean): string {
  const ramp = ascii ? SPARK_ASCII : SPARK_UTF8;
  const top = Math.max(0, ...counts);
  const steps = ramp.length - 1;
  return counts.map((c) => (c > 0 && top > 0 ? ramp[Math.max(1, Math.round((c / top) * steps))] : ramp[0])).join('');
}

/**
 * Vertical bars, one column per count and `height` lines: eighth blocks in UTF-8; in ASCII `#`
 * for a full cell, `:` for half or more and `.` for less. A non-zero count always shows.
 */
export function barRows(counts: readonly number[], height: number, ascii: boolean): string[] {
  const rows = Math.max(1, Math.floor(height));
  const top = Math.max(0, ...counts);
  const eighths = counts.map((c) => (c > 0 && top > 0 ? Math.max(1, Math.round((c / top) * rows * 8)) : 0));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const floor = (rows - 1 - r) * 8;
    out.push(eighths.map((e) => {
      const level = Math.min(8, Math.max(0, e - floor));
      if (!ascii) return EIGHTHS_UTF8[level];
      return level === 0 ? ' ' : level === 8 ? '#' : level >= 4 ? ':' : '.';
    }).join(''));
  }
  return out;
}
