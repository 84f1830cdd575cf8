/** One output's figures as table cells, the same in the stats screen and `mlbatch stats`. */
import { sparkline } from './charts.js';
import type { OutputStats } from '../analysis/execution-stats.js';
import { formatNumber } from '../text/units.js';

/** Cells of one output's row (server text not yet made safe: the table does that). */
export interface OutputCells {
  name: string;
  count: string;
  min: string;
  mean: string;
  max: string;
  /** A sparkline of the histogram, or the most frequent values with their counts. */
  spread: string;
}

/** One output as cells: min/mean/max and a sparkline for numbers, most frequent values for text and logicals. */
export function outputCells(o: OutputStats, ascii: boolean): OutputCells {
  if (o.kind === 'numeric') {
    const notes = [o.nonFinite ? `${o.nonFinite} NaN/Inf` : '', o.other ? `${o.other} not numbers` : ''].filter(Boolean);
    const spark = o.histogram ? sparkline(o.histogram.counts, ascii) : '';
    return {
      name: o.name, count: String(o.count), min: formatNumber(o.min), mean: formatNumber(o.mean), max: formatNumber(o.max),
      spread: notes.length ? `${spark} (${notes.join(', ')})` : spark,
    };
  }
  // Quoted, so an empty string or one with spaces reads as what it is.
  const top = o.top.map((t) => `${JSON.stringify(t.value)} ${t.count}`).join(', ');
  const rest = o.distinct - o.top.length + (o.other ? 1 : 0);
  return { name: o.name, count: String(o.count), min: '', mean: '', max: '', spread: rest > 0 ? `${top}, … ${rest}${o.other ? '+' : ''} more` : top };
}
