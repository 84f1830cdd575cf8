/**
 * The attached execution's failures, grouped by message pattern (live while it runs):
 * ```
 * Failures of flaky 1.0  5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f
 * 42 failed of 2000 · 3 groups · live
 *    #  count  share  pattern
 * >  1     30  71.4%  value must not be negative, got <num> (record id <num>)
 *    2     10  23.8%  KeyError: <str>
 * indices 2, 5, 6, 11, 19, …
 * sample (index 2):
 * value must not be negative, got -2 (record id 102)
 * status line
 * q back  Enter show in grid  ? help
 * ```
 */
import { useCallback, useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import { isEndedState } from '../protocol.js';
import type { ErrorGroups } from '../analysis/error-groups.js';
import type { CommandId } from '../keys.js';
import type { ExecRef } from '../store/types.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { useActions } from '../actions.js';
import { safeText } from '../text/safe-text.js';
import { cut, wrapText } from '../views/format.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';
import { Waiting } from '../components/Waiting.js';

/** Props of ErrorsScreen. */
export interface ErrorsScreenProps {
  refer: ExecRef;
  width: number;
  height: number;
  focused: boolean;
}

/** One row of the group list: number, count, share and pattern, cut to the width. */
export function groupRow(g: ErrorGroups['groups'][number], selected: boolean, width: number): string {
  const head = `${selected ? '>' : ' '} ${String(g.number).padStart(3)}  ${String(g.count).padStart(5)}  ${`${(g.share * 100).toFixed(1)}%`.padStart(6)}  `;
  return cut(head + g.pattern, width);
}

/** The summary line: failures, groups, and whether it still changes. */
export function errorsSummary(errors: ErrorGroups, total: number, live: boolean): string {
  const n = errors.groups.length;
  return `${errors.failed} failed of ${total} · ${n} group${n === 1 ? '' : 's'} · ${live ? 'live' : 'final'}`;
}

/** Groups with count and share; the selected one's first indices and sample below; Enter filters the grid to it. */
export function ErrorsScreen({ refer, width, height, focused }: ErrorsScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const errors = useApp((s) => s.errors);
  const total = useApp((s) => s.exec.total);
  const state = useApp((s) => s.exec.state);
  useEffect(() => {
    actions.groupErrors(refer);
  }, [actions, refer]);
  const groups = errors?.groups ?? [];
  const listRows = Math.max(3, Math.floor((height - 6) / 2));
  const sampleRows = Math.max(1, height - 6 - listRows);
  const list = useList(groups.length, listRows);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      const g = store.getState().errors?.groups[list.current()];
      if (id !== 'open' || !g) return;
      const s = store.getState();
      s.filterGroup(g.pattern);
      s.pop();
      s.setStatus(`Group ${g.number} only: ${g.count} record${g.count === 1 ? '' : 's'} (Esc shows every record)`);
    },
    [store, list],
  );
  const overlay = useApp((s) => s.overlay.kind);
  useKeys('errors', focused && overlay === 'none', { onCommand });
  const selected = groups[list.selected];
  const detail = useMemo(() => {
    if (!selected) return [] as string[];
    const lines = wrapText(`sample (index ${selected.first[0]}):\n${selected.sample}`, width);
    return lines.length > sampleRows ? [...lines.slice(0, sampleRows - 1), cut(`… ${lines.length - sampleRows + 1} more lines`, width)] : lines;
  }, [selected, width, sampleRows]);
  if (overlay === 'help') return <HelpOverlay context="errors" height={height} width={width} />;
  const live = state === null || !isEndedState(state);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{cut(`Failures of ${safeText(refer.service)} ${safeText(refer.version)}  ${safeText(refer.id)}`, width)}</TitleLine>
      <Text wrap="truncate">{errors ? errorsSummary(errors, total, live) : <Waiting label="grouping the failures" />}</Text>
      <Text dimColor wrap="truncate">{'    #  count   share  pattern'}</Text>
      <Box flexDirection="column" height={listRows}>
        {groups.slice(list.top, list.top + listRows).map((g, i) => (
          <Text key={g.pattern} inverse={list.top + i === list.selected} wrap="truncate">
            {groupRow(g, list.top + i === list.selected, width)}
          </Text>
        ))}
        {errors && groups.length === 0 ? <Text dimColor>{live ? 'No record has failed yet.' : 'No record failed.'}</Text> : null}
      </Box>
      <Text wrap="truncate">{selected ? cut(`indices ${selected.first.join(', ')}${selected.count > selected.first.length ? ', …' : ''}`, width) : ' '}</Text>
      <Box flexDirection="column" height={sampleRows}>
        {detail.map((line, i) => (
          <Text key={i} dimColor={i === 0} wrap="truncate">
            {line || ' '}
          </Text>
        ))}
      </Box>
      <StatusLine width={width} />
      <HintBar context="errors" width={width} />
    </Box>
  );
}
