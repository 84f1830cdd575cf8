/**
 * One record of an execution:
 * ```
 * slow-scorer 1.0  5b1c…  index 42  # Complete  0.12s
 * inputs   x=0.42 label="a"
 * outputs  score=0.53
 * error    —
 * console  scored 42 in 120 ms
 * artifacts
 * ▸ report.txt
 * d download  D all  v view  y copy  q back
 * ```
 */
import { useCallback, useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { isEndedState } from '../protocol.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { artifactsKey, dataOf } from '../store/resources.js';
import type { ExecRef, ItemDetail } from '../store/types.js';
import { useActions } from '../actions.js';
import { SGR_BY_CODE, SYMBOL_BY_CODE, paint, stateOfCode } from '../text/ansi.js';
import { DataTable } from '../components/DataTable.js';
import { brief, cut } from '../views/format.js';
import { safeText } from '../text/safe-text.js';
import { formatDuration } from '../text/units.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';
import { Waiting } from '../components/Waiting.js';
import { tableHeight, valueType, type TableColumn } from '../views/table-fit.js';

/** Props of IndexScreen. */
export interface IndexScreenProps {
  refer: ExecRef;
  index: number;
  /** The artifact selected at first. */
  file?: number;
  width: number;
  height: number;
  color: boolean;
  focused: boolean;
}

const OUTPUT_COLUMNS: TableColumn[] = [
  { key: 'name', title: 'output', max: 24 },
  { key: 'type', title: 'type', max: 10 },
  { key: 'value', title: 'value' },
];

/** What `y` copies of a record: its error message, else its outputs (one output's text or number as is, else JSON). */
export function copyText(detail: ItemDetail | undefined): { text: string; what: string } | undefined {
  if (!detail) return undefined;
  if (detail.error) return { text: detail.error, what: 'error' };
  const outputs = Object.entries(detail.outputs);
  if (outputs.length === 0) return undefined;
  if (outputs.length === 1) {
    const [name, value] = outputs[0];
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    return { text, what: `output ${name}` };
  }
  return { text: JSON.stringify(detail.outputs), what: 'outputs' };
}

function fields(values: Record<string, unknown> | null | undefined, width: number): string {
  if (!values) return '—';
  const parts = Object.entries(values).map(([k, v]) => `${safeText(k)}=${brief(v)}`);
  return parts.length ? cut(parts.join('  '), width) : '—';
}

/** Inputs, outputs, error, console output and the artifact list of one index. */
export function IndexScreen({ refer, index, file = 0, width, height, color, focused }: IndexScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const version = useApp((s) => s.exec.version);
  const overlay = useApp((s) => s.overlay.kind);
  const loaded = useApp((s) => s.resources.artifacts);
  const key = artifactsKey(refer, index);
  // A listing that failed shows as none (the status line says why).
  const files = dataOf(loaded, key) ?? (loaded.key === key && loaded.status === 'error' ? [] : null);
  const { exec, detail: decode } = store.getState();
  const code = exec.states[index] ?? 0;
  const detail = useMemo(() => decode(index), [decode, index, version]);
  // Once the execution has ended, nothing more comes to any index: ask for its artifacts (a record
  // that never ran gets an empty list at once) rather than wait for an end that has passed.
  const ended = exec.state !== null && isEndedState(exec.state);
  const finished = code >= 2 || ended;

  useEffect(() => {
    if (!finished) return;
    actions.loadArtifacts(refer, index);
    return () => actions.release('artifacts');
  }, [actions, refer, index, finished]);

  const bodyRows = height - 3;
  const outputs = useMemo(
    () => (finished && detail?.outputs ? Object.entries(detail.outputs).map(([name, v]) => ({ name, type: valueType(v), value: brief(v) })) : []),
    [finished, detail],
  );
  // The outputs table takes what it needs, leaving two rows each to the console and the artifacts.
  const outputRows = Math.min(outputs.length, Math.max(1, Math.floor((bodyRows - 9 - 3) / 2)));
  const fixed = 5 + (outputs.length ? tableHeight(outputRows) : 1);
  const fileRows = Math.max(1, Math.min((files ?? []).length || 1, Math.floor((bodyRows - fixed) / 2)));
  const fileList = useList((files ?? []).length, fileRows, file);
  const selected = fileList.selected;
  const fileTop = fileList.top;
  const onCommand = useCallback(
    (id: CommandId) => {
      const list = files ?? [];
      if (fileList.move(id)) return;
      // Whether there is an artifact to act on is the command table's to say (keys.ts).
      const name = list[fileList.current()];
      switch (id) {
        case 'download':
          if (name) actions.downloadArtifacts(refer, index, [name]);
          return;
        case 'downloadIndex':
          actions.downloadArtifacts(refer, index);
          return;
        case 'view':
          if (!name) return;
          // The viewer replaces this screen: the selection is kept in its stack entry for the way back.
          store.getState().replaceTop({ kind: 'index', ref: refer, index, file: fileList.current() });
          actions.viewArtifact(refer, index, name);
          return;
        case 'showDownloads':
          store.getState().push({ kind: 'downloads' });
          return;
        case 'copy': {
          const copied = copyText(store.getState().detail(index));
          if (copied) store.getState().copy(copied.text, `the ${copied.what} of index ${index}`);
          else store.getState().setStatus(`Index ${index} has no error or output to copy`);
          return;
        }
        default:
          return;
      }
    },
    [store, actions, files, fileList, refer, index],
  );
  useKeys('index', focused && overlay === 'none', { onCommand });

  const state = stateOfCode(code);
  const dur = detail?.durationMs == null ? '' : `  ${formatDuration(detail.durationMs, 2)}`;
  const w = width - 10;
  const consoleLines = safeText((detail?.consoleOutput ?? '').replace(/\t/g, '  '), { multiline: true }).split('\n').filter(Boolean);
  const consoleRows = Math.max(1, bodyRows - fixed - fileRows);
  if (overlay === 'help') {
    return (
      <Box flexDirection="column" height={height}>
        <HelpOverlay context="index" height={height - 1} width={width} />
        <HintBar context="help" width={width} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{`${refer.service} ${refer.version}  ${refer.id}`}</TitleLine>
      <Text wrap="truncate">
        {`index ${index}  ` + paint(SGR_BY_CODE[code], `${SYMBOL_BY_CODE[code]} ${state}`, color) + dur}
      </Text>
      <Text wrap="truncate">{`inputs    ${detail?.inputs ? fields(detail.inputs, w) : '— (known only for batches started here and kept in the journal; servers do not return them)'}`}</Text>
      {outputs.length ? (
        <DataTable columns={OUTPUT_COLUMNS} rows={outputs} width={width} maxRows={outputRows} />
      ) : (
        <Text wrap="truncate">{`outputs   ${finished ? '—' : '(not finished)'}`}</Text>
      )}
      <Text wrap="truncate" color={detail?.error ? 'red' : undefined}>{`error     ${detail?.error ? cut(safeText(detail.error), w) : '—'}`}</Text>
      <Box flexDirection="column" height={consoleRows}>
        <Text wrap="truncate">{`console   ${consoleLines.length ? cut(consoleLines[0], w) : '—'}`}</Text>
        {consoleLines.slice(1, consoleRows).map((l, i) => (
          <Text key={i} wrap="truncate">{`          ${cut(l, w)}`}</Text>
        ))}
      </Box>
      <Text wrap="truncate">
        {'artifacts ('}
        {files !== null ? files.length : finished ? <Waiting label="loading" /> : 'when finished'}
        {')'}
      </Text>
      <Box flexDirection="column" height={fileRows}>
        {(files ?? []).slice(fileTop, fileTop + fileRows).map((f, i) => (
          <Text key={f} inverse={fileTop + i === selected} wrap="truncate">{`  ${safeText(f)}`}</Text>
        ))}
      </Box>
      <StatusLine width={width} />
      <HintBar context="index" width={width} />
    </Box>
  );
}
