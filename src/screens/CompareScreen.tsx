/**
 * Two executions compared index by index:
 * ```
 * A flaky 1.0 5b1c7d2e…  B flaky 2.0 7d2e8f3a…
 * 6 compared: 2 equal, 3 different, 1 failed in one only, 0 failed in both
 * ┌────────┬───────────┬───────┬──────────────────────────────────┐
 * │ output │ different │ max Δ │ largest (index: A → B)           │
 * ├────────┼───────────┼───────┼──────────────────────────────────┤
 * │ root   │ 3         │ 1.59  │ 5: 3 → 1.41421 (Δ 1.59); 0: 2 →… │
 * └────────┴───────────┴───────┴──────────────────────────────────┘
 * Not equal (5)
 * >      0  different        root: 2 → 1.41421 (Δ 0.586)
 *        1  failed in A only value must not be negative, got -1
 * Enter open  q back  ? help
 * ```
 */
import { useCallback, useEffect } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { compareKey, dataOf } from '../store/resources.js';
import type { ExecRef } from '../store/types.js';
import { useActions } from '../actions.js';
import { DataTable } from '../components/DataTable.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';
import { Waiting } from '../components/Waiting.js';
import { tableHeight, type TableColumn } from '../views/table-fit.js';
import { glyphs, indexRow, outputSummaryRows, refText, summaryLines } from '../views/compare-lines.js';

/** Props of CompareScreen. */
export interface CompareScreenProps {
  a: ExecRef;
  b: ExecRef;
  width: number;
  height: number;
  focused: boolean;
}

const columns = (g = glyphs()): TableColumn[] => [
  { key: 'name', title: 'output', max: 20 },
  { key: 'different', title: 'different', max: 9 },
  { key: 'max', title: `max ${g.delta}`, max: 10 },
  { key: 'largest', title: `largest (index: A ${g.arrow} B)` },
];
/** Outputs the summary table shows at most (the rest: `… n more`). */
const MAX_OUTPUT_ROWS = 3;

/** The summary, per output its largest differences, and the indices that are not equal; Enter opens one side by side. */
export function CompareScreen({ a, b, width, height, focused }: CompareScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const key = compareKey(a, b);
  const loaded = useApp((s) => s.resources.compare);
  const comparison = dataOf(loaded, key) ?? null;
  const failed = comparison === null && loaded.key === key && loaded.status === 'error';
  useEffect(() => {
    const shown = store.getState().resources.compare;
    if (shown.key !== key || shown.status === 'idle') actions.loadComparison(a, b);
    // Kept while an index of it is open above; released once no screen of this pair is left.
    return () => {
      const open = store.getState().stack.some((s) => (s.kind === 'compare' || s.kind === 'compare-index') && compareKey(s.a, s.b) === key);
      if (!open) actions.release('compare');
    };
  }, [store, actions, a, b, key]);
  const summary = comparison?.summary;
  const counts = summary ? summaryLines(summary) : [];
  const tableRows = summary ? Math.min(summary.outputs.length, MAX_OUTPUT_ROWS) : 0;
  const rows = Math.max(1, height - 2 - Math.max(1, counts.length) - (tableRows ? tableHeight(tableRows) : 0) - 2);
  const indices = comparison?.indices ?? [];
  const list = useList(indices.length, rows);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      const index = indices[list.current()];
      if (id === 'open' && index !== undefined) store.getState().push({ kind: 'compare-index', a, b, index });
    },
    [store, list, indices, a, b],
  );
  const overlay = useApp((s) => s.overlay.kind);
  useKeys('compare', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="compare" height={height} width={width} />;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{`A ${refText(a)}  B ${refText(b)}`}</TitleLine>
      {summary ? counts.map((line) => <Text key={line} wrap="truncate">{line}</Text>) : (
        <Text wrap="truncate">{failed ? 'The comparison failed: q goes back.' : <Waiting label="polling both executions and comparing" />}</Text>
      )}
      {summary && tableRows ? <DataTable columns={columns()} rows={outputSummaryRows(summary)} width={width} maxRows={MAX_OUTPUT_ROWS} /> : null}
      <Text dimColor wrap="truncate">{summary ? (indices.length ? `Not equal (${indices.length})` : 'Every index is equal.') : ' '}</Text>
      <Box flexDirection="column" height={rows}>
        {comparison
          ? indices.slice(list.top, list.top + rows).map((index, i) => {
            const sel = list.top + i === list.selected;
            return (
              <Text key={index} inverse={sel} wrap="truncate">
                {`${sel ? '>' : ' '}${indexRow(comparison.detail(index), width - 1)}`}
              </Text>
            );
          })
          : null}
      </Box>
      <StatusLine width={width} />
      <HintBar context="compare" width={width} />
    </Box>
  );
}
