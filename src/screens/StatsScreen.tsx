/**
 * Statistics of the attached execution, live while it runs:
 * ```
 * stats  slow-scorer 1.0  5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f
 * InProgress · 1040/2000 finished · 12 failed · rates from record end times
 * throughput /s (1.20s a point)          failed %
 *    167|      ,.                          50.0|     ,.
 *   83.5|  ,---'`.                          25.0|     ||
 *   0.00+--'     `--                         0.00+-----'`--
 *        0s                        1m02s          0s                      1m02s
 * durations  p50 0.113s  p95 0.314s  p99 1.382s  max 1.473s  (1040)
 *  :#:.       .
 * 0.015s                                                             1.473s
 * ┌────────┬──────┬───────┬───────┬───────┬──────────────────┐
 * │ output │ n    │ min   │ mean  │ max   │ distribution / … │
 * │ score  │ 1028 │ 0.423 │ 0.712 │ 0.941 │ ▂▃▆█▇▅▂▁         │
 * └────────┴──────┴───────┴───────┴───────┴──────────────────┘
 * q back  ? help
 * ```
 */
import { useEffect, useMemo, useRef, useState, useCallback } from 'react';
import { Box, Text } from 'ink';
import { ExecutionStats, type RecordFacts } from '../analysis/execution-stats.js';
import { ITEM_CODE } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import type { ExecRef, ItemDetail } from '../store/types.js';
import { DataTable } from '../components/DataTable.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { isUtf8Locale } from '../text/locale.js';
import { StatusLine } from '../components/StatusLine.js';
import { asciiText, chartBlock, countsLine, durationBlock, OUTPUT_COLUMNS, outputRows, ratePoints, statsLayout } from '../views/stats-view.js';
import { useKeys } from '../hooks/use-keys.js';
import { cut } from '../views/format.js';
import { safeText } from '../text/safe-text.js';

/** Props of StatsScreen. */
export interface StatsScreenProps {
  refer: ExecRef;
  width: number;
  height: number;
  focused: boolean;
}

/** Time the first frame may spend reading records; the rest is read in slices after it. */
export const FIRST_READ_MS = 25;
/** Time one slice (or one poll's update) may spend reading records, so keys and polls stay responsive. */
export const SLICE_READ_MS = 12;
/** While records are read in slices, the figures are drawn again this often (not after every slice). */
const PROGRESS_MS = 250;
/** Bins of each output's sparkline. */
const SPARK_BINS = 16;

function factsOf(detail: ItemDetail | undefined): RecordFacts | undefined {
  if (!detail) return undefined;
  return { failed: detail.state === 'Failed', startMs: detail.startMs ?? null, endMs: detail.endMs ?? null, outputs: detail.outputs };
}

/**
 * The execution's stats, read from the store: each poll adds only the records that finished
 * since the one before, within SLICE_READ_MS; what is left is read in further slices.
 */
function useExecutionStats(id: string) {
  const store = useAppStore();
  // The states array is replaced whenever any record changes (a re-attach starts a new one too).
  const states = useApp((s) => s.exec.states);
  const history = useApp((s) => s.exec.history);
  const [slice, setSlice] = useState(0);
  const holder = useRef<{ id: string; stats: ExecutionStats; first: boolean } | null>(null);
  if (holder.current?.id !== id) holder.current = { id, stats: new ExecutionStats(), first: true };
  const done = useMemo(() => {
    const h = holder.current!;
    const { exec, detail } = store.getState();
    if (exec.ref?.id !== id) return true;
    const budget = h.first ? FIRST_READ_MS : SLICE_READ_MS;
    h.first = false;
    return h.stats.update(exec.states, (i) => factsOf(detail(i)), performance.now() + budget);
  }, [store, id, states, slice]);
  useEffect(() => {
    if (done) return;
    // Further slices run between key presses and polls; the screen is drawn again only now and then.
    const began = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const step = () => {
      const h = holder.current;
      const { exec, detail } = store.getState();
      if (!h || exec.ref?.id !== id) return;
      const all = h.stats.update(exec.states, (i) => factsOf(detail(i)), performance.now() + SLICE_READ_MS);
      if (all || performance.now() - began >= PROGRESS_MS) setSlice((n) => n + 1);
      else timer = setTimeout(step, 0);
    };
    timer = setTimeout(step, 0);
    return () => clearTimeout(timer);
  }, [store, id, done, slice]);
  return { stats: holder.current.stats, history, states, slice };
}

/** Charts of throughput and failures over time, the duration distribution, and per-output figures. */
export function StatsScreen({ refer, width, height, focused }: StatsScreenProps) {
  const store = useAppStore();
  const overlay = useApp((s) => s.overlay.kind);
  const { stats, history, states, slice } = useExecutionStats(refer.id);
  const [offset, setOffset] = useState(0);
  const ascii = !isUtf8Locale();
  const summary = useMemo(
    () => stats.summary({ bins: ratePoints(width), durationBins: width, outputBins: SPARK_BINS, history }),
    [stats, width, history, states, slice],
  );
  const layout = statsLayout(height, summary.outputs.length);
  const maxOffset = Math.max(0, summary.outputs.length - layout.tableRows);
  const onCommand = useCallback(
    (id: CommandId) => {
      const step = id === 'up' ? -1 : id === 'down' ? 1 : id === 'pageUp' ? -layout.tableRows : id === 'pageDown' ? layout.tableRows
        : id === 'top' ? -Infinity : id === 'bottom' ? Infinity : 0;
      if (step !== 0) setOffset((o) => Math.max(0, Math.min(maxOffset, o + step)));
    },
    [layout.tableRows, maxOffset],
  );
  useKeys('stats', focused && overlay === 'none', { onCommand });
  const rows = useMemo(() => outputRows(summary, ascii), [summary, ascii]);

  if (overlay === 'help') {
    return (
      <Box flexDirection="column" height={height}>
        <HelpOverlay context="stats" height={height - 1} width={width} />
        <HintBar context="help" width={width} />
      </Box>
    );
  }
  const { exec } = store.getState();
  const attached = exec.ref?.id === refer.id;
  const finished = exec.counts[ITEM_CODE.Complete] + exec.counts[ITEM_CODE.Failed];
  const top = Math.min(offset, maxOffset);
  const title = cut(`stats  ${safeText(refer.service)} ${safeText(refer.version)}  ${safeText(refer.id)}`, width);
  const counts = attached ? countsLine(exec.state, exec.total, finished, summary, history.length, width) : 'not attached to this execution';
  // The charts and bars are drawn in ASCII in every locale, as the grid is: ink measures every
  // line of a frame again on each frame, and a line with one character outside ASCII takes its slow
  // path, character by character. In box-drawing glyphs these rows made a poll's frame of a
  // 100,000-record execution at 120×40 about four times as costly (see bench/tui-frame).
  const lines = [
    ...chartBlock(summary, width, layout.chartRows, true),
    ...durationBlock(summary, width, layout.barRows, true),
  ].map((l) => asciiText(l, ascii));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{asciiText(title, ascii)}</TitleLine>
      <Text wrap="truncate">{asciiText(counts, ascii)}</Text>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">{l || ' '}</Text>
      ))}
      <Box flexDirection="column" height={layout.tableHeight}>
        {rows.length ? (
          <DataTable columns={OUTPUT_COLUMNS} rows={rows.slice(top)} width={width} maxRows={layout.tableRows} />
        ) : (
          <Text wrap="truncate">{summary.records ? 'outputs  none to summarise' : 'outputs  when records finish'}</Text>
        )}
      </Box>
      <StatusLine width={width} />
      <HintBar context="stats" width={width} />
    </Box>
  );
}
