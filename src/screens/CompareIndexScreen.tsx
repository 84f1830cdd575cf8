/**
 * One index of two compared executions, side by side:
 * ```
 * Index 3: different  (2 of 5 not equal)    A flaky 1.0 5b1c7d2e…  B flaky 2.0 7d2e8f3a…
 * inputs   id=3  value=2.25
 * state    A Complete  B Complete
 * ┌────────┬──────┬─────────┬────────┐
 * │ output │ A    │ B       │ Δ      │
 * ├────────┼──────┼─────────┼────────┤
 * │ root   │ 1.5  │ 1.41421 │ 0.0858 │
 * └────────┴──────┴─────────┴────────┘
 * error A  —
 * error B  —
 * ← previous  → next  q back
 * ```
 */
import { useCallback, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp } from '../store/hooks.js';
import { compareKey, dataOf } from '../store/resources.js';
import type { ExecRef } from '../store/types.js';
import { safeText } from '../text/safe-text.js';
import { DataTable } from '../components/DataTable.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { wrapText } from '../views/format.js';
import { tableHeight, type TableColumn } from '../views/table-fit.js';
import { VERDICT_LABEL } from '../report/diff-text.js';
import { glyphs, inputsText, outputRows, refText } from '../views/compare-lines.js';

/** Props of CompareIndexScreen. */
export interface CompareIndexScreenProps {
  a: ExecRef;
  b: ExecRef;
  index: number;
  width: number;
  height: number;
  focused: boolean;
}

const columns = (): TableColumn[] => [
  { key: 'name', title: 'output', max: 20 },
  { key: 'a', title: 'A' },
  { key: 'b', title: 'B' },
  { key: 'delta', title: glyphs().delta, max: 12 },
];
/** Lines each side's error may take. */
const ERROR_LINES = 3;

function errorLines(label: string, error: string, width: number): string[] {
  if (!error) return [`${label}  —`];
  const lines = wrapText(safeText(error, { multiline: true }), width - label.length - 2).slice(0, ERROR_LINES);
  return lines.map((l, i) => `${i === 0 ? label : ' '.repeat(label.length)}  ${l}`);
}

/** Inputs, both states, the outputs with their difference, and both errors; ←/→ go to the previous/next index that is not equal. */
export function CompareIndexScreen({ a, b, index: first, width, height, focused }: CompareIndexScreenProps) {
  const loaded = useApp((s) => s.resources.compare);
  const comparison = dataOf(loaded, compareKey(a, b)) ?? null;
  const [index, setIndex] = useState(first);
  const detail = useMemo(() => comparison?.detail(index) ?? null, [comparison, index]);
  const position = comparison ? comparison.indices.indexOf(index) : -1;
  const onCommand = useCallback(
    (id: CommandId) => {
      if (!comparison || position < 0) return;
      const step = id === 'left' || id === 'up' ? -1 : id === 'right' || id === 'down' ? 1 : 0;
      const next = comparison.indices[position + step];
      if (step && next !== undefined) setIndex(next);
    },
    [comparison, position],
  );
  const overlay = useApp((s) => s.overlay.kind);
  useKeys('compare-index', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="compare-index" height={height} width={width} />;
  const lines: string[] = [];
  let errors: string[] = [];
  let rows: Record<string, string>[] = [];
  let tableRows = 0;
  if (detail) {
    const ia = inputsText(detail.inputsA);
    const ib = inputsText(detail.inputsB);
    if (ia === null && ib === null) lines.push('inputs   not known (the server does not return them; known for batches started here)');
    else if (ia === ib || ib === null) lines.push(`inputs   ${ia}`);
    else if (ia === null) lines.push(`inputs   ${ib}`);
    else lines.push(`inputs A ${ia}`, `inputs B ${ib}`);
    const state = (s: string) => (s === 'none' ? 'no result' : s);
    lines.push(`state    A ${state(detail.a.state)}   B ${state(detail.b.state)}`);
    rows = outputRows(detail.outputs);
    errors = [...errorLines('error A', detail.a.error, width), ...errorLines('error B', detail.b.error, width)];
    // What is left once the other lines are placed goes to the outputs table.
    const room = height - 1 - lines.length - errors.length - 2;
    tableRows = rows.length ? Math.max(1, Math.min(rows.length, Math.floor((room - 3) / 2))) : 0;
  }
  const title = detail
    ? `Index ${index}: ${VERDICT_LABEL[detail.verdict]}${position >= 0 ? ` (${position + 1} of ${comparison!.indices.length} not equal)` : ''}`
    : `Index ${index}`;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{`${title}   A ${refText(a)}  B ${refText(b)}`}</TitleLine>
      {detail ? null : <Text wrap="truncate">The comparison is no longer loaded: q goes back.</Text>}
      {lines.map((l, i) => <Text key={`h${i}`} wrap="truncate">{l}</Text>)}
      {tableRows ? <DataTable columns={columns()} rows={rows} width={width} maxRows={tableRows} /> : detail ? <Text dimColor>no outputs on either side</Text> : null}
      {errors.map((l, i) => <Text key={`t${i}`} wrap="truncate">{l}</Text>)}
      <Box flexGrow={1} />
      <StatusLine width={width} />
      <HintBar context="compare-index" width={width} />
    </Box>
  );
}
