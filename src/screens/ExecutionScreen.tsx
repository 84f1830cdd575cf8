/**
 * The execution screen, the heart of the app:
 * ```
 * slow-scorer 1.0  5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f
 * InProgress · parallel 10 · elapsed 1m02s · 31.2/s · ETA 45s · polled 0 s ago
 * ██████████░░░░░░░░░░  52% 1040/2000  # 1004  X 12  > 10  . 974  - 0
 *    0 ########X# ########## ##>>##.... ..........
 *   60 .......... .......... .......... ..........
 * cursor 42  # Complete   0.12s  score=0.53
 * status line
 * q back  ? help  : jump  f filter  Tab list  p partial  Enter open  c cancel …
 * ```
 */
import { useCallback, useEffect, useMemo } from 'react';
import { Box } from 'ink';
import type { CommandId, KeyContext } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { indexAt } from '../store/selection.js';
import { useActions } from '../actions.js';
import { ConfirmCancel } from '../components/ConfirmCancel.js';
import { ExecHeader } from '../components/ExecHeader.js';
import { Grid } from '../components/Grid.js';
import { gridGeometry } from '../components/grid-rows.js';
import { HEADER_LINES } from '../components/header-lines.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { ItemList } from '../components/ItemList.js';
import { Prompt } from '../components/Prompt.js';
import { SelectionLine } from '../components/SelectionLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../components/use-keys.js';

/** Props of ExecutionScreen. */
export interface ExecutionScreenProps {
  width: number;
  /** Height of the whole frame (terminal rows - 1). */
  height: number;
  color: boolean;
  focused: boolean;
}

const isDigit = (ch: string) => ch >= '0' && ch <= '9';

/** Header, grid or list, selection line, status and hints; keys from the command table. */
export function ExecutionScreen({ width, height, color, focused }: ExecutionScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const total = useApp((s) => s.exec.total);
  const mode = useApp((s) => s.view.mode);
  const overlay = useApp((s) => s.overlay.kind);
  const bodyRows = Math.max(1, height - HEADER_LINES - 3);
  const geometry = useMemo(() => gridGeometry(width, total), [width, total]);

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
        case 'toggleView':
          s.toggleMode();
          return;
        case 'partial':
          actions.setPartial(!s.exec.partial);
          return;
        case 'open': {
          const index = indexAt(s.exec.states, s.exec.version, s.view.filter, s.view.cursor);
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
        case 'stats':
          if (ref) s.push({ kind: 'stats', ref });
          return;
        default:
          return;
      }
    },
    [store, actions],
  );
  useKeys('execution', focused && overlay === 'none', { onCommand });

  const onJump = useCallback(
    (text: string) => {
      const n = Number.parseInt(text, 10);
      const s = store.getState();
      if (!Number.isFinite(n) || n < 0 || n >= s.exec.total) {
        s.setStatus(`No index ${text || '(empty)'}: indices run from 0 to ${Math.max(0, s.exec.total - 1)}`, 'error');
        return;
      }
      s.jumpTo(n);
    },
    [store],
  );

  // The hints are those of what has the keys: the confirmation and the help take them over.
  const hints: KeyContext = overlay === 'confirm-cancel' ? 'confirm' : overlay === 'help' ? 'help' : 'execution';
  const body =
    overlay === 'help' ? (
      <HelpOverlay context="execution" height={bodyRows + 1} width={width} />
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
      <ExecHeader width={width} color={color} />
      {overlay === 'confirm-cancel' ? (
        <Box flexDirection="column" height={bodyRows + 1}>
          <ConfirmCancel width={width} />
        </Box>
      ) : (
        body
      )}
      <StatusLine width={width} />
      {overlay === 'prompt' ? (
        <Prompt label="jump to index: " accept={isDigit} onSubmit={onJump} />
      ) : (
        <HintBar context={hints} width={width} />
      )}
    </Box>
  );
}
