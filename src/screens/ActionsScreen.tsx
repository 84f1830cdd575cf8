/**
 * What to do with one service:
 * ```
 * slow-scorer 1.0 (JavaScript)
 * Scores a value in 10-200 ms at random; …
 * inputs   id integer, value numeric
 * outputs  score numeric, elapsedMs integer
 * artifacts score.txt
 * > n  New batch of this service
 *   e  Executions of this service
 * ```
 */
import { useCallback } from 'react';
import { Box, Text } from 'ink';
import type { WebService } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { DataTable } from '../components/DataTable.js';
import { tableHeight } from '../views/table-fit.js';
import { cut } from '../views/format.js';
import { safeText } from '../text/safe-text.js';
import type { TableColumn } from '../views/table-fit.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';

/** Props of ActionsScreen. */
export interface ActionsScreenProps {
  service: WebService;
  width: number;
  height: number;
  focused: boolean;
}

const ITEMS = [
  { key: 'n', label: 'New batch of this service', id: 'newBatch' },
  { key: 'e', label: 'Executions of this service', id: 'listExecutions' },
] as const;

const PARAM_COLUMNS: TableColumn[] = [
  { key: 'kind', title: 'parameter' },
  { key: 'name', title: 'name', max: 40 },
  { key: 'type', title: 'type' },
];

/** The service's inputs then outputs, one table row each. */
function paramRows(service: WebService): Record<string, string>[] {
  const rows = (kind: string, defs: WebService['inputParameterDefinitions']) => (defs ?? []).map((d) => ({ kind, name: d.name, type: String(d.type) }));
  return [...rows('input', service.inputParameterDefinitions), ...rows('output', service.outputParameterDefinitions)];
}

/** The service's signature and its two actions: n new batch, e executions (or Enter on one). */
export function ActionsScreen({ service, width, height, focused }: ActionsScreenProps) {
  const store = useAppStore();
  const list = useList(ITEMS.length, ITEMS.length);
  const run = useCallback(
    (id: 'newBatch' | 'listExecutions') => {
      store.getState().push(id === 'newBatch' ? { kind: 'compose', service } : { kind: 'executions', service });
    },
    [store, service],
  );
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      if (id === 'newBatch' || id === 'listExecutions') run(id);
      else if (id === 'open') run(ITEMS[list.current()].id);
    },
    [list, run],
  );
  // While help is open it owns the keys; the screen's state (cursor, scroll) stays as it was.
  const overlay = useApp((st) => st.overlay.kind);
  useKeys('actions', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="actions" height={height} width={width} />;
  const w = width - 10;
  const params = paramRows(service);
  // Everything else takes 9 rows (title, description, artifacts, a blank, two actions, status, hints, and one spare).
  const paramsShown = Math.max(1, Math.floor((height - 9 - 3) / 2));
  // A short terminal has no room for a table of even one row: the signature goes on one line.
  const tableFits = height - 9 >= tableHeight(1);
  const names = (kind: string) => params.filter((p) => p.kind === kind).map((p) => safeText(p.name)).join(', ') || '—';
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{`${safeText(service.name)} ${safeText(service.version)}${service.runtimeType ? ` (${service.runtimeType})` : ''}`}</TitleLine>
      <Text wrap="truncate">{cut(safeText(service.description ?? ''), width) || ' '}</Text>
      {!params.length ? (
        <Text>parameters —</Text>
      ) : tableFits ? (
        <DataTable columns={PARAM_COLUMNS} rows={params} width={width} maxRows={paramsShown} />
      ) : (
        <Text wrap="truncate">{cut(`inputs ${names('input')} → outputs ${names('output')}`, width)}</Text>
      )}
      <Text wrap="truncate">{`artifacts ${cut((service.outputFileNames ?? []).map((n) => safeText(n)).join(', ') || '—', w)}`}</Text>
      <Text> </Text>
      {ITEMS.map((item, i) => (
        <Text key={item.id} inverse={i === list.selected}>{`${i === list.selected ? '>' : ' '} ${item.key}  ${item.label}`}</Text>
      ))}
      <Box flexGrow={1} />
      <StatusLine width={width} />
      <HintBar context="actions" width={width} />
    </Box>
  );
}
