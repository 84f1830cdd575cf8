/**
 * The execution screen, the heart of the app:
 * ```
 * slow-scorer 1.0  5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f
 * InProgress · parallel 10 · elapsed 1m02s · 31.2/s · ETA 45s · polled 0 s ago
 * ██████████░░░░░░░░░░  52% 1040/2000  # 1004  X 12  > 10  . 974  - 0
 *    0 ########X# ########## ##>>##.... ..........
 *   60 .......... .......... .......... ..........
 * cursor 42  # Complete   0.12s  score=0.53
 * 1 rerun, latest 0a1b…: Complete 12/12, 0 failed   (only when there are reruns; M merges them)
 * status line
 * q back  ? help  : jump  f filter  Tab list  p partial  Enter open  c cancel …
 * ```
 */
import { useCallback, useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import { FILTER_OF, type CommandId, type KeyContext } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { indexAt } from '../store/selection.js';
import { useActions } from '../actions.js';
import { ConfirmCancel } from '../components/ConfirmCancel.js';
import { ConfirmRerun } from '../components/ConfirmRerun.js';
import { indicesIn } from '../watch/poll-state.js';
import { ITEM_CODE } from '../protocol.js';
import { dataOf, execKey } from '../store/resources.js';
import { safeText } from '../text/safe-text.js';
import { ExecHeader } from '../components/ExecHeader.js';
import { Grid } from '../components/Grid.js';
import { gridGeometry } from '../views/grid-rows.js';
import { headerLinesFor } from '../views/header-lines.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { ItemList } from '../components/ItemList.js';
import { Prompt } from '../components/Prompt.js';
import { SelectionLine } from '../components/SelectionLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { parsePromptCommand, usePromptCommand } from '../hooks/use-prompt-command.js';

/** Props of ExecutionScreen. */
export interface ExecutionScreenProps {
  width: number;
  /** Height of the whole frame (terminal rows - 1). */
  height: number;
  color: boolean;
  focused: boolean;
}

// eslint-disable-next-line no-control-regex
const printable = (ch: string) => !/[\x00-\x1f\x7f]/.test(ch);

/** Header, grid or list, selection line, status and hints; keys from the command table. */
export function ExecutionScreen({ width, height, color, focused }: ExecutionScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const total = useApp((s) => s.exec.total);
  const mode = useApp((s) => s.view.mode);
  const overlay = useApp((s) => s.overlay.kind);
  const ref = useApp((s) => s.exec.ref);
  // What the journal says of reruns of this execution: one line, only when there are some.
  const reruns = useApp((s) => (s.exec.ref ? dataOf(s.resources.lineage, execKey(s.exec.ref))?.reruns ?? null : null));
  useEffect(() => {
    if (!ref) return;
    actions.loadLineage(ref);
    return () => actions.release('lineage');
  }, [actions, ref]);
  const header = headerLinesFor(height);
  const bodyRows = Math.max(1, height - header - 3 - (reruns ? 1 : 0));
  const filtered = useApp((s) => s.view.filter !== null);
  const geometry = useMemo(() => gridGeometry(width, total, filtered), [width, total, filtered]);

  useEffect(() => {
    store.getState().setGeometry(mode === 'grid' ? geometry.cellsPerRow : 1, bodyRows);
  }, [store, mode, geometry, bodyRows]);

  const onCommand = useCallback(
    (id: CommandId) => {
      const s = store.getState();
      const ref = s.exec.ref;
      switch (id) {
        case 'up':
        case 'down':
        case 'left':
        case 'right':
        case 'pageUp':
        case 'pageDown':
        case 'top':
        case 'bottom':
          s.move(id);
          return;
        case 'jump':
          s.setOverlay({ kind: 'prompt', purpose: 'jump', text: '' });
          return;
        case 'filter':
          s.cycleFilter();
          return;
        case 'showFailed':
        case 'showRunning':
        case 'showPending':
        case 'showComplete':
        case 'showCanceled':
        case 'showAll':
          s.setFilter(FILTER_OF[id]);
          return;
        case 'toggleView':
          s.toggleMode();
          return;
        case 'partial':
          actions.setPartial(!s.exec.partial);
          return;
        case 'open': {
          const index = indexAt(s.exec.states, s.exec.version, s.view.filter, s.view.cursor, s.view.group);
          if (ref && index >= 0) s.push({ kind: 'index', ref, index });
          return;
        }
        case 'cancel':
          // Whether there is anything to cancel is the command table's to say (keys.ts).
          if (ref) s.setOverlay({ kind: 'confirm-cancel' });
          return;
        case 'downloadAll':
          if (ref) {
            actions.downloadAll(ref);
            s.push({ kind: 'downloads' });
          }
          return;
        case 'showDownloads':
          s.push({ kind: 'downloads' });
          return;
        case 'rerun':
          // Whether there is anything to rerun, and its records, is the command table's to say (keys.ts).
          if (ref) s.setOverlay({ kind: 'confirm-rerun', indices: indicesIn(s.exec.states, ITEM_CODE.Failed), what: 'failed' });
          return;
        case 'merged':
          if (ref) s.push({ kind: 'merged', ref });
          return;
        case 'errorGroups':
          if (ref) s.push({ kind: 'errors', ref });
          return;
        case 'stats':
          if (ref) s.push({ kind: 'stats', ref });
          return;
        case 'copy':
          if (ref) s.copy(ref.id, 'execution id');
          return;
        default:
          return;
      }
    },
    [store, actions],
  );
  // Esc first drops a group filter (set from the errors screen), then goes back.
  const beforeBack = useCallback(() => {
    const s = store.getState();
    if (!s.view.group) return false;
    s.filterGroup(null);
    s.setStatus('Every record shown');
    return true;
  }, [store]);
  useKeys('execution', focused && overlay === 'none', { onCommand, beforeBack });

  const runCommand = usePromptCommand();
  const onJump = useCallback(
    (text: string) => {
      // `:ctx` and `:ctx NAME` work here as on every screen; a number (or nothing) is an index.
      const command = parsePromptCommand(text);
      if (command.kind !== 'index' && command.kind !== 'empty') {
        runCommand(command);
        return;
      }
      const n = Number.parseInt(text, 10);
      const s = store.getState();
      if (!Number.isFinite(n) || n < 0 || n >= s.exec.total) {
        s.setStatus(`No index ${text || '(empty)'}: indices run from 0 to ${Math.max(0, s.exec.total - 1)}`, 'error');
        return;
      }
      s.jumpTo(n);
    },
    [store, runCommand],
  );

  // The hints are those of what has the keys: the confirmation and the help take them over.
  const confirming = overlay === 'confirm-cancel' || overlay === 'confirm-rerun';
  const hints: KeyContext = confirming ? 'confirm' : overlay === 'help' ? 'help' : 'execution';
  const body =
    overlay === 'help' ? (
      <HelpOverlay context="execution" height={bodyRows + 1} width={width} named={false} />
    ) : (
      <>
        {mode === 'grid' ? (
          <Grid geometry={geometry} height={bodyRows} color={color} />
        ) : (
          <ItemList width={width} height={bodyRows} color={color} />
        )}
        <SelectionLine width={width} color={color} />
      </>
    );
  return (
    <Box flexDirection="column" height={height} width={width}>
      <ExecHeader width={width} color={color} compact={header < 3} />
      {confirming ? (
        <Box flexDirection="column" height={bodyRows + 1}>
          {overlay === 'confirm-cancel' ? <ConfirmCancel width={width} /> : <ConfirmRerun width={width} />}
        </Box>
      ) : (
        body
      )}
      {reruns ? <Text wrap="truncate" color={color ? 'cyan' : undefined}>{safeText(reruns)}</Text> : null}
      <StatusLine width={width} />
      {overlay === 'prompt' ? (
        <Prompt label="jump to index (or ctx): " accept={printable} onSubmit={onJump} />
      ) : (
        <HintBar context={hints} width={width} />
      )}
    </Box>
  );
}
