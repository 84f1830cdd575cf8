/**
 * Output of the headless commands that draws no table: JSON on stdout, progress on stderr. Apart
 * from the tables (output.ts) because display widths load large Unicode tables, which a command
 * printing JSON or a progress line does without. Text from outside reaches the terminal only
 * through `safeText`.
 */
import type { PollSnapshot } from '../watch/poller.js';
import { safeText } from '../text/safe-text.js';
import { progressOf } from '../watch/progress.js';
import { formatDuration, formatRate } from '../text/units.js';

/** Writes one JSON document to stdout (DEL, C1 and bidi characters as \u escapes: the same JSON, safe to show). */
export function printJson(value: unknown): void {
  process.stdout.write(`${safeText(JSON.stringify(value, null, 2), { multiline: true })}\n`);
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
