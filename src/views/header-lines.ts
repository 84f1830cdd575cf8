/** Pure builder of the execution screen's header lines. */
import { ITEM_CODE, ITEM_STATES, isEndedState, type ItemState } from '../protocol.js';
import { progressOf, type Progress } from '../watch/progress.js';
import { formatDuration, formatRate } from '../text/units.js';
import type { ExecData, ExecView } from '../store/types.js';
import { DIM, RESET, STATE_SGR, STATE_SYMBOL, paint } from '../text/ansi.js';
import { cellWidth, cutCells } from '../text/cells.js';
import { cut, progressBar } from './format.js';

/** Marks a count mlbatch inferred rather than read from the server (explained in the help legend). */
export const INFERRED_MARK = '~';

/** Seconds the per-index view may lag the counts before the header says how old it is. */
const STALE_GRID_S = 3;

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

/** `stalled 2m05s` while no record has finished for the stall alarm's time (in colour when `color`), or null. */
export function stallNotice(exec: ExecData, now: number, color: boolean): string | null {
  if (exec.stalledSince == null || (exec.state !== null && isEndedState(exec.state))) return null;
  return paint('\x1b[1;31m', `stalled ${formatDuration(Math.max(0, now - exec.stalledSince))}`, color);
}

/** When the execution ended (the last good poll stands in until the end time is known), or null. */
export function endedAt(exec: ExecData): number | null {
  return exec.endedAt ?? (exec.state !== null && isEndedState(exec.state) ? exec.lastGoodPollAt : null);
}

/** The execution's progress, as the header and the plain line show it. */
export function execProgress(exec: ExecData): Progress {
  const ended = endedAt(exec);
  return progressOf({
    total: exec.total,
    completed: exec.completed,
    counts: exec.counts,
    ended: exec.state !== null && isEndedState(exec.state),
    throughput: exec.throughput,
    etaMs: exec.etaMs,
    elapsedMs: ended !== null && exec.startedAt !== null ? ended - exec.startedAt : null,
    stale: exec.lastError !== null,
  });
}

/**
 * The state line: state, parallelCount, elapsed, rate, ETA, and poll freshness (or reconnecting;
 * `notice: false` leaves that out, for a header that draws it beside a spinner).
 */
export function stateLine(exec: ExecData, now: number, color: boolean, notice = true): string {
  const age = pollAge(exec, now);
  const state = exec.state ?? 'connecting';
  const ended = endedAt(exec);
  const elapsed = exec.startedAt === null ? null : (ended ?? now) - exec.startedAt;
  // A run that ended within seconds gets tenths: "elapsed 0s" beside 32 finished records reads wrong.
  const stalled = stallNotice(exec, now, color);
  const parts = [paint('\x1b[1m', state, color), ...(stalled ? [stalled] : []), `parallel ${exec.parallelCount || '—'}`, `elapsed ${formatDuration(elapsed, ended === null ? 0 : 1)}`];
  // Rate and ETA are stale while polls fail; the notice takes their room at 80 columns.
  if (exec.lastError === null) {
    const p = execProgress(exec);
    parts.push(formatRate(p.rate), `ETA ${formatDuration(p.etaMs)}`);
  }
  if (exec.lastError !== null) {
    if (notice) parts.push(paint('\x1b[33m', reconnectNotice(exec, now)!, color));
  } else if (exec.state !== null && isEndedState(exec.state)) {
    // An ended execution is not polled any more: its data is final, not stale.
    parts.push('final');
  } else if (age !== null) {
    parts.push(`polled ${age} s ago`);
    // Full answers held back by the bandwidth budget: the counts are live, the cells are not.
    const gridAge = exec.resultsAsOf != null && exec.partial ? Math.floor((now - exec.resultsAsOf) / 1000) : 0;
    if (gridAge >= STALE_GRID_S + age) parts.push(`grid ${gridAge} s old (poll budget)`);
  }
  return parts.join(' · ');
}

/** Header lines on a short terminal: the state goes on the progress line (see `ExecHeader`). */
export const COMPACT_HEADER_LINES = 2;

/** Lines the header takes in a frame of `height` rows: fewer on a short terminal, so the grid keeps rows. */
export function headerLinesFor(height: number): number {
  return height < 16 ? COMPACT_HEADER_LINES : HEADER_LINES;
}

/**
 * Counts per state with symbol and colour, e.g. `# 1004  X 12  > 10  . 974  - 0`; with `words`
 * (wide terminals) they say what they count: `# 1004 complete  X 12 failed …`. A Running count
 * mlbatch inferred reads `> 10~`; one nobody knows reads `> ?` (its records count as pending).
 */
export function countsText(
  counts: readonly number[],
  color: boolean,
  running: ExecData['runningSource'] = 'reported',
  words = false,
): string {
  const order: ItemState[] = ['Complete', 'Failed', 'Running', 'Pending', 'Canceled'];
  return order
    .map((s) => {
      let n = String(counts[ITEM_CODE[s]] ?? 0);
      if (s === 'Running' && running === 'inferred') n += INFERRED_MARK;
      else if (s === 'Running' && running === 'unknown') n = '?';
      return paint(STATE_SGR[s], `${STATE_SYMBOL[s]} ${n}${words ? ` ${s.toLowerCase()}` : ''}`, color);
    })
    .join('  ');
}

/** From this width on, the header counts are followed by what they count. */
export const WORDS_FROM_COLS = 100;

/** The progress line: bar, percentage, finished/total and the counts per state. */
export function progressLine(exec: ExecData, width: number, color: boolean): string {
  const p = execProgress(exec);
  const tail = ` ${String(p.percent).padStart(3)}% ${p.finished}/${p.total}  `;
  const words = width >= WORDS_FROM_COLS;
  const countsPlain = countsText(exec.counts, false, exec.runningSource, words).length;
  const barWidth = Math.max(5, Math.min(30, width - tail.length - countsPlain));
  const running = exec.state !== null && isEndedState(exec.state) ? 'reported' : exec.runningSource;
  return progressBar(p.finished, p.total, barWidth) + tail + countsText(exec.counts, color, running, words);
}

/** First header line: service, version and the full execution id (people copy it to re-attach). */
export function titleLine(exec: ExecData, view: ExecView, width: number, color: boolean, readonly = false): string {
  if (!exec.ref) return '';
  const { service, version, id } = exec.ref;
  // Compact, so that with the full id the flags still fit in 80 columns.
  const flags = [readonly ? 'read-only' : '', view.filter ?? '', view.group ? `group ${view.group.number}` : '', view.mode === 'list' ? 'list' : '', exec.partial ? '' : 'no partial']
    .filter(Boolean)
    .join('|');
  const full = `${service} ${version}  ${id}`;
  const head = cut(full, width);
  const room = width - cellWidth(head);
  const rest = flags && room > 0 && !head.endsWith('…') ? cutCells(`  [${flags}]`, room) : '';
  return color ? `\x1b[1m${head}${RESET}${rest ? DIM + rest + RESET : ''}` : head + rest;
}
