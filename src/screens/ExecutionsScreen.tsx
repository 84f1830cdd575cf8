/**
 * The executions of one service (or, without one, of every service: the journal's and the server's):
 * ```
 * Executions of slow-scorer 1.0 (3)                       ! = the server no longer lists it
 *   id                                   state       start  age   done       failed
 * > 5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f  InProgress  14:05  3m    1040/2000  12
 *  ◆0a1b2c3d-8f3a-4c1b-9e2d-5b1c7d2e4e5f !Complete   01-30  2d    20/20      0
 * (◆ marked to compare with, m)
 * ```
 * Across services (H), each row also names its context, when any row has one:
 * ```
 *   service          id        context  state       start  age   done       fail
 * > flaky 1.0        aaaa1111… prod     InProgress  14:05  1m05s 5/20       1
 * ```
 * When the server reports them, a running column follows (`10 running of 20`).
 */
import { useCallback, useEffect } from 'react';
import { Box, Text } from 'ink';
import type { WebService } from '../protocol.js';
import type { ExecutionSummary } from '../store/types.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { isUtf8Locale } from '../text/locale.js';
import { dataOf, executionsKey } from '../store/resources.js';
import { useActions } from '../actions.js';
import { safeText } from '../text/safe-text.js';
import { cellWidth, fitCells } from '../text/cells.js';
import { formatDuration, localMinuteShort } from '../text/units.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';
import { Waiting } from '../components/Waiting.js';

/** `  10 running of 20` (running records of the parallel count), when the server reports them. */
function runningColumn(e: ExecutionSummary): string {
  if (e.running === undefined && e.parallelCount === undefined) return '';
  return `  ${e.running ?? '?'} running of ${e.parallelCount ?? '?'}`;
}
/** The marked execution's glyph (plain `*` outside a UTF-8 locale). */
const MARK_GLYPH = () => (isUtf8Locale() ? '◆' : '*');

/** The column names of the list across services before `state` (with the context's, when it has one). */
function columnsAcross(contextWidth: number): string {
  return contextWidth > 0 ? `${'service'.padEnd(17)}${'id'.padEnd(10)}${'context'.padEnd(contextWidth + 1)}` : `${'service'.padEnd(19)}${'id'.padEnd(19)}`;
}

/** Props of ExecutionsScreen. */
export interface ExecutionsScreenProps {
  /** None: every execution, across services. */
  service?: WebService;
  width: number;
  height: number;
  focused: boolean;
}

/** `14:05` today, else `01-30` (local time); `—` when unknown. */
function startText(ms: number | null | undefined, now: number): string {
  return ms === null || ms === undefined ? '—' : localMinuteShort(ms, now);
}

/** `1m05s` within the hour, then `5h`, then `3d`. */
function ageText(ms: number): string {
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)}d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)}h`;
  return formatDuration(ms);
}

/** The cells of the context column of the list across services: none when no row has a context. */
export function contextColumn(items: readonly ExecutionSummary[] | null): number {
  const widths = (items ?? []).map((e) => (e.context ? cellWidth(safeText(e.context)) : 0));
  const widest = Math.max(0, ...widths);
  return widest === 0 ? 0 : Math.max(7, Math.min(10, widest));
}

/**
 * One row: id (or service, version and a short id across services), the context across services
 * when `contextWidth` (its column's cells) is not 0, state (`!` when the server no longer lists
 * it), start, age, done, failed.
 */
export function executionRow(e: ExecutionSummary, all: boolean, now: number, contextWidth = 0): string {
  // The context's column takes its room from the service and the id: 80 columns still hold a row.
  const [sw, iw] = contextWidth > 0 ? [16, 9] : [18, 18];
  const context = contextWidth > 0 ? ` ${fitCells(safeText(e.context ?? '—'), contextWidth)}` : '';
  const who = all ? `${fitCells(safeText(`${e.service ?? ''} ${e.version ?? ''}`), sw)} ${fitCells(safeText(e.id), iw)}${context}` : fitCells(safeText(e.id), 36);
  const age = e.startedAt === null || e.startedAt === undefined ? '—' : ageText(now - e.startedAt);
  const done = e.total > 0 || e.state ? `${e.completed}/${e.total}` : '—';
  return `${who} ${e.gone ? '!' : ' '}${fitCells(safeText(e.state || '…'), 11)} ${fitCells(startText(e.startedAt, now), 6)} ${fitCells(age, 5)} ${fitCells(done, 10)} ${e.failed ?? '—'}`;
}

/** Ids with state and progress (newest first, followed while they run); Enter re-attaches, r reloads. */
export function ExecutionsScreen({ service, width, height, focused }: ExecutionsScreenProps) {
  const actions = useActions();
  const store = useAppStore();
  const mark = useApp((s) => s.mark);
  const loaded = useApp((s) => s.resources.executions);
  const items = dataOf(loaded, executionsKey(service)) ?? null;
  const failed = items === null && loaded.status === 'error';
  useEffect(() => {
    actions.loadExecutions(service);
    return () => actions.release('executions');
  }, [actions, service]);
  const rows = Math.max(1, height - 4);
  const now = Date.now();
  const contextWidth = service ? 0 : contextColumn(items);
  const list = useList(items?.length ?? 0, rows);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      const refOf = (i: number) => {
        const e = items?.[i];
        return e && { service: e.service ?? service?.name ?? '', version: e.version ?? service?.version ?? '', id: e.id };
      };
      const selected = refOf(list.current());
      const s = store.getState();
      // m marks the execution to compare with (again: unmarks it); x compares the selected one with it.
      if (id === 'mark' && selected) {
        const unmark = s.mark?.id === selected.id;
        s.setMark(unmark ? null : selected);
        s.setStatus(unmark ? 'Mark cleared' : `Marked ${safeText(selected.id)}: x compares another with it`);
      } else if (id === 'compare' && selected && s.mark) s.push({ kind: 'compare', a: s.mark, b: selected });
      else if (id === 'copy' && selected) s.copy(selected.id, 'execution id');
      else if (id === 'refresh') actions.loadExecutions(service);
      else if (id === 'open' && selected) actions.attach(selected);
    },
    [actions, store, list, items, service],
  );
  // While help is open it owns the keys; the screen's state (cursor, scroll) stays as it was.
  const overlay = useApp((st) => st.overlay.kind);
  useKeys('executions', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="executions" height={height} width={width} />;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>
        {service ? `Executions of ${safeText(service.name)} ${safeText(service.version)} (` : 'All executions, journal and server ('}
        {items === null ? (failed ? '?' : <Waiting label="loading" />) : items.length}
        {')'}
        {items?.some((e) => e.gone) ? '  ! = no longer on the server' : ''}
      </TitleLine>
      <Text dimColor wrap="truncate">{`  ${service ? 'id'.padEnd(38) : columnsAcross(contextWidth)}${'state'.padEnd(12)}${'start'.padEnd(7)}${'age'.padEnd(6)}${'done'.padEnd(11)}fail`}</Text>
      <Box flexDirection="column" height={rows}>
        {(items ?? []).slice(list.top, list.top + rows).map((e, i) => {
          const sel = list.top + i === list.selected;
          const marked = mark?.id === e.id && mark.service === (e.service ?? service?.name) && mark.version === (e.version ?? service?.version);
          const line = `${sel ? '>' : ' '}${marked ? MARK_GLYPH() : ' '}${executionRow(e, !service, now, contextWidth)}${runningColumn(e)}`;
          return (
            <Text key={e.id} inverse={sel} wrap="truncate">
              {line}
            </Text>
          );
        })}
        {items !== null && items.length === 0 ? <Text dimColor>No executions yet: n on the service starts one.</Text> : null}
        {failed ? <Text dimColor>The executions could not be listed: r tries again.</Text> : null}
      </Box>
      <StatusLine width={width} />
      <HintBar context="executions" width={width} />
    </Box>
  );
}
