/**
 * The merged view of an execution and its reruns: per original index, the latest attempt.
 * ```
 * Merged: slow-scorer 1.0 5b1c… and 2 reruns
 * # 1998  X 2  > 0  . 0  - 0
 *   index  state     from                                  result
 * >     0  Complete  5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f  {"score":0.53}
 *       3  Complete  0a1b2c3d-8f3a-4c1b-9e2d-5b1c7d2e4e5f  {"score":0.12}
 * ```
 */
import { useCallback, useEffect } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp } from '../store/hooks.js';
import { dataOf, execKey } from '../store/resources.js';
import type { ExecRef } from '../store/types.js';
import { useActions } from '../actions.js';
import { safeText } from '../text/safe-text.js';
import { cutCells, fitCells } from '../text/cells.js';
import { countsText } from '../views/header-lines.js';
import { STATE_SYMBOL } from '../text/ansi.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';
import { Waiting } from '../components/Waiting.js';

/** Props of MergedScreen. */
export interface MergedScreenProps {
  refer: ExecRef;
  width: number;
  height: number;
  focused: boolean;
}

/** Counts of the merged view, then one row per original index: state, the execution it came from, and its result. */
export function MergedScreen({ refer, width, height, focused }: MergedScreenProps) {
  const actions = useActions();
  const loaded = useApp((s) => s.resources.merged);
  const data = dataOf(loaded, execKey(refer)) ?? null;
  const overlay = useApp((s) => s.overlay.kind);
  useEffect(() => {
    actions.loadMerged(refer);
    return () => actions.release('merged');
  }, [actions, refer]);
  const rows = Math.max(1, height - 5);
  const list = useList(data?.rows.length ?? 0, rows);
  const onCommand = useCallback((id: CommandId) => void list.move(id), [list]);
  useKeys('merged', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="merged" height={height} width={width} />;
  const reruns = data ? data.attempts.length - 1 : 0;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>
        {`Merged: ${safeText(refer.service)} ${safeText(refer.version)} ${safeText(refer.id)} and `}
        {data ? `${reruns} rerun${reruns === 1 ? '' : 's'}` : loaded.status === 'error' ? '?' : <Waiting label="loading" />}
      </TitleLine>
      <Text wrap="truncate">{data ? countsText(data.counts, false) : loaded.status === 'error' ? `Could not merge: ${safeText(loaded.error ?? '')}` : ' '}</Text>
      <Text dimColor wrap="truncate">{`  ${'index'.padStart(6)}  ${'state'.padEnd(12)}${'from'.padEnd(38)}result`}</Text>
      <Box flexDirection="column" height={rows}>
        {(data?.rows ?? []).slice(list.top, list.top + rows).map((r, i) => {
          const sel = list.top + i === list.selected;
          const line = `${sel ? '>' : ' '} ${String(r.index).padStart(6)}  ${STATE_SYMBOL[r.state]} ${fitCells(r.state, 9)} ${fitCells(safeText(r.from), 36)}  ${safeText(r.text)}`;
          return (
            <Text key={r.index} inverse={sel} wrap="truncate">
              {cutCells(line, width)}
            </Text>
          );
        })}
      </Box>
      <StatusLine width={width} />
      <HintBar context="merged" width={width} />
    </Box>
  );
}
