/**
 * The error of a records file that cannot be sent. Apart from the reading (records.ts), so the
 * exit code of an error can be told without loading the parsers.
 */
import { safeText } from '../text/safe-text.js';

/** One bad value or row; `record` is the 0-based index the batch will show. */
export interface RecordProblem {
  file: string;
  record?: number;
  line?: number;
  column?: string;
  expected?: string;
  message: string;
}

/** A records file that cannot be sent; `problems` lists each bad value (up to `maxErrors`). */
export class RecordsError extends Error {
  override readonly name = 'RecordsError';
  constructor(
    readonly file: string,
    readonly problems: RecordProblem[],
    more = 0,
  ) {
    const lines = problems.map(formatProblem);
    if (more > 0) lines.push(`... and ${more} more`);
    super(lines.join('\n'));
  }
}

/**
 * "data.csv line 4 (record 2), column "hp": "abc" is not a number (numeric)", on one line and
 * safe to show: column names and values come from the file.
 */
export function formatProblem(p: RecordProblem): string {
  const where = [p.file];
  if (p.line !== undefined) where.push(`line ${p.line}`);
  if (p.record !== undefined) where.push(p.line !== undefined ? `(record ${p.record})` : `record ${p.record}`);
  const column = p.column !== undefined ? `, column "${p.column}"` : '';
  return safeText(`${where.join(' ')}${column}: ${p.message}`);
}
