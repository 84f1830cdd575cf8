/**
 * Output of the headless commands: JSON or aligned text on stdout, progress on stderr. Text from
 * outside (server answers, file names, records files) reaches the terminal only through
 * `safeText`: table cells, progress lines, error messages and JSON all pass it here.
 */
import type { PollSnapshot } from '../batch/poller.js';
import { safeText } from '../batch/safe-text.js';
import { progressOf } from '../batch/progress.js';
import { formatDuration, formatRate } from '../batch/units.js';
import { cellWidth, padCells } from '../batch/cells.js';

/** Writes one JSON document to stdout (DEL, C1 and bidi characters as \u escapes: the same JSON, safe to show). */
export function printJson(value: unknown): void {
  process.stdout.write(`${safeText(JSON.stringify(value, null, 2), { multiline: true })}\n`);
}

/** Rows as aligned columns, by display cells (server names can hold wide characters); the last column is never padded. */
export function tableLines(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padCells(c, widths[i]))).join('  ');
  return [line(headers), ...rows.map(line)];
}

/** Writes rows as aligned columns to stdout; cells are made safe to show. */
export function printTable(headers: string[], rows: string[][]): void {
  const safe = rows.map((r) => r.map((c) => safeText(c)));
  process.stdout.write(`${tableLines(headers, safe).join('\n')}\n`);
}

/** One progress line for an execution: state, counts, rate, ETA and staleness. */
export function progressLine(s: PollSnapshot, now = Date.now()): string {
  const p = progressOf({
    total: s.totalItemCount, completed: s.completedItemCount, counts: s.counts, ended: s.ended,
    throughput: s.throughput, etaMs: s.etaMs, stale: s.lastError !== undefined,
  });
  const parts = [`${s.state}`, `${p.finished}/${p.total} done`];
  const detail: string[] = [];
  // A guessed count is marked as one (`~`, as in the app); one nobody knows is not shown.
  if (p.running > 0 && !s.ended && s.runningSource !== 'unknown') {
    detail.push(`${s.runningSource === 'inferred' ? '~' : ''}${p.running} running`);
  }
  if (p.failed > 0) detail.push(`${p.failed} failed`);
  if (p.canceled > 0) detail.push(`${p.canceled} canceled`);
  if (detail.length) parts.push(`(${detail.join(', ')})`);
  if (p.rate !== null) parts.push(formatRate(p.rate));
  if (p.etaMs !== null) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  if (s.lastError) {
    const age = s.lastGoodPollAt ? `last good poll ${formatDuration(now - s.lastGoodPollAt)} ago` : 'no good poll yet';
    parts.push(`- poll failed (${s.lastError.message}); ${age}`);
  }
  return safeText(parts.join(' '));
}

/** Progress on stderr: one line per change without a TTY (never a redraw), one rewritten line with one. */
export class ProgressWriter {
  private last = '';
  private open = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly tty = Boolean(process.stderr.isTTY),
  ) {}

  /**
   * Shows `line` when `key` (default: the line itself) differs from the last one shown; a key
   * leaving out rate and ETA keeps a log from growing while nothing happens.
   */
  update(line: string, key = line): void {
    if (key === this.last) return;
    this.last = key;
    if (this.tty) {
      this.stream.write(`\r\x1b[K${line}`);
      this.open = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** A line of its own (a warning) between progress lines; a rewritten line is ended first. */
  note(line: string): void {
    this.finish();
    this.stream.write(`${line}\n`);
  }

  /** Ends a rewritten line so later output starts on its own line. */
  finish(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
