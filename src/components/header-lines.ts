/** Pure builder of the execution screen's header lines. */
import { ITEM_CODE, ITEM_STATES, isEndedState, type ItemState } from '../protocol.js';
import type { ExecData, ExecView } from '../store/types.js';
import { DIM, RESET, STATE_SGR, STATE_SYMBOL, paint } from './ansi.js';
import { cut, formatDuration, formatRate, progressBar } from './format.js';

/** Lines the header takes. */
export const HEADER_LINES = 3;

/** Seconds since the last good poll, or null before the first one. */
export function pollAge(exec: ExecData, now: number): number | null {
  return exec.lastGoodPollAt === null ? null : Math.max(0, Math.floor((now - exec.lastGoodPollAt) / 1000));
}

/** While polls fail: `reconnecting, last good poll N s ago` (null while they succeed). */
export function reconnectNotice(exec: ExecData, now: number): string | null {
  if (exec.lastError === null) return null;
  const age = pollAge(exec, now);
  return `reconnecting, ${age === null ? 'no good poll yet' : `last good poll ${age} s ago`}`;
}

/**
 * The state line: state, parallelCount, elapsed, rate, ETA, and poll freshness (or reconnecting;
 * `notice: false` leaves that out, for a header that draws it beside a spinner).
 */
export function stateLine(exec: ExecData, now: number, color: boolean, notice = true): string {
  const age = pollAge(exec, now);
  const state = exec.state ?? 'connecting';
  const ended = exec.endedAt ?? (exec.state && exec.state !== 'InProgress' && exec.state !== 'Pending' ? exec.lastGoodPollAt : null);
  const elapsed = exec.startedAt === null ? null : (ended ?? now) - exec.startedAt;
  // A run that ended within seconds gets tenths: "elapsed 0s" beside 32 finished records reads wrong.
  const took = ended !== null && elapsed !== null && elapsed >= 0 && elapsed < 10_000 ? `${(elapsed / 1000).toFixed(1)}s` : formatDuration(elapsed);
  const parts = [paint('\x1b[1m', state, color), `parallel ${exec.parallelCount || '—'}`, `elapsed ${took}`];
  // Rate and ETA are stale while polls fail; the notice takes their room at 80 columns.
  if (exec.lastError === null) {
    const eta = exec.etaMs === null || ended !== null ? '—' : formatDuration(exec.etaMs);
    // Once ended, the recent rate means nothing (often 0/s): the whole run's average does.
    const finished = exec.counts[ITEM_CODE.Complete] + exec.counts[ITEM_CODE.Failed];
    const rate = ended !== null && elapsed !== null && elapsed > 0 ? (finished * 1000) / elapsed : exec.throughput;
    parts.push(formatRate(rate), `ETA ${eta}`);
  }
  if (exec.lastError !== null) {
    if (notice) parts.push(paint('\x1b[33m', reconnectNotice(exec, now)!, color));
  } else if (exec.state !== null && isEndedState(exec.state)) {
    // An ended execution is not polled any more: its data is final, not stale.
    parts.push('final');
  } else if (age !== null) {
    parts.push(`polled ${age} s ago`);
  }
  return parts.join(' · ');
}

/** Counts per state with symbol and colour, e.g. `# 1004  X 12  > 10  . 974  - 0`. */
export function countsText(counts: readonly number[], color: boolean): string {
  const order: ItemState[] = ['Complete', 'Failed', 'Running', 'Pending', 'Canceled'];
  return order
    .map((s) => paint(STATE_SGR[s], `${STATE_SYMBOL[s]} ${counts[ITEM_CODE[s]] ?? 0}`, color))
    .join('  ');
}

/** The progress line: bar, percentage, finished/total and the counts per state. */
export function progressLine(exec: ExecData, width: number, color: boolean): string {
  const c = exec.counts;
  // Per-item counts freeze while partial results are off; the server's count still moves.
  // Canceled records never ran: a canceled execution does not read as 100% done.
  const finished = Math.min(exec.total, Math.max(exec.completed, c[ITEM_CODE.Complete] + c[ITEM_CODE.Failed]));
  const pct = exec.total > 0 ? Math.floor((finished / exec.total) * 100) : 0;
  const tail = ` ${String(pct).padStart(3)}% ${finished}/${exec.total}  `;
  const countsPlain = ITEM_STATES.map((s) => `${c[ITEM_CODE[s]]}`).join('    ').length + 10;
  const barWidth = Math.max(5, Math.min(30, width - tail.length - countsPlain));
  return progressBar(finished, exec.total, barWidth) + tail + countsText(c, color);
}

/** First header line: service, version and the full execution id (people copy it to re-attach). */
export function titleLine(exec: ExecData, view: ExecView, width: number, color: boolean): string {
  if (!exec.ref) return '';
  const { service, version, id } = exec.ref;
  // Compact, so that with the full id the flags still fit in 80 columns.
  const flags = [view.filter ?? '', view.mode === 'list' ? 'list' : '', exec.partial ? '' : 'no partial']
    .filter(Boolean)
    .join('|');
  const head = `${service} ${version}  ${id}`;
  const line = flags ? `${head}  [${flags}]` : head;
  return color ? `\x1b[1m${cut(head, width)}${RESET}${line.length > head.length ? DIM + cut(line, width).slice(head.length) + RESET : ''}` : cut(line, width);
}
