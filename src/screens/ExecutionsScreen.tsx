/**
 * The executions of one service:
 * ```
 * Executions of slow-scorer 1.0 (3)
 *   id                                    state       progress
 * > 5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f  InProgress  ████░░░░  1040/2000
 * ```
 */
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { isEndedState, type WebService } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { useActions, type ExecutionSummary } from '../actions.js';
import { cut, progressBar, sanitize } from '../components/format.js';
import { HintBar } from '../components/HintBar.js';
import { StatusLine } from '../components/StatusLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { useKeys } from '../components/use-keys.js';
import { useList } from '../components/use-list.js';
import { Waiting } from '../components/Waiting.js';

/** Props of ExecutionsScreen. */
export interface ExecutionsScreenProps {
  service: WebService;
  width: number;
  height: number;
  focused: boolean;
}

const REFRESH_MS = 3000;
/** Above this many executions a refresh costs too many polls to run on its own. */
const MAX_LIVE = 50;

/** Fresh states and progress in the rows' current order, so the cursor stays on its execution; new ids go last. */
export function mergeInPlace(old: ExecutionSummary[] | null, fresh: ExecutionSummary[]): ExecutionSummary[] {
  if (!old || old.length === 0) return fresh;
  // An empty answer is a failed listing (reported in the status line), not every execution gone.
  if (fresh.length === 0) return old;
  const byId = new Map(fresh.map((e) => [e.id, e]));
  const kept = old.map((e) => byId.get(e.id) ?? e);
  const known = new Set(old.map((e) => e.id));
  return [...kept, ...fresh.filter((e) => !known.has(e.id))];
}

/** Ids with state and progress (running ones first); Enter re-attaches, r reloads. */
export function ExecutionsScreen({ service, width, height, focused }: ExecutionsScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const [items, setItems] = useState<ExecutionSummary[] | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    void actions.listExecutions(service).then((list) => live && setItems(list));
    return () => {
      live = false;
    };
  }, [actions, service, reload]);
  // While any listed execution runs, its progress follows by itself (r is for new ones, too).
  const running = items?.some((e) => !isEndedState(e.state)) ?? false;
  useEffect(() => {
    if (!running || (items?.length ?? 0) > MAX_LIVE) return;
    let live = true;
    const t = setTimeout(() => {
      void actions.listExecutions(service).then((fresh) => live && setItems((old) => mergeInPlace(old, fresh)));
    }, REFRESH_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [actions, service, running, items]);
  const rows = Math.max(1, height - 4);
  const list = useList(items?.length ?? 0, rows);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (id === 'help') return store.getState().setOverlay({ kind: 'help' });
      if (list.move(id)) return;
      if (id === 'back' || id === 'backOnly') store.getState().pop();
      else if (id === 'refresh') setReload((n) => n + 1);
      else if (id === 'open' && items?.[list.current()]) {
        actions.attach({ service: service.name, version: service.version, id: items[list.current()].id });
      }
    },
    [store, actions, list, items, service],
  );
  // While help is open it owns the keys; the screen's state (cursor, scroll) stays as it was.
  const overlay = useApp((st) => st.overlay.kind);
  useKeys('executions', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="executions" height={height} width={width} />;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold wrap="truncate">
        {`Executions of ${sanitize(service.name)} ${sanitize(service.version)} (`}
        {items === null ? <Waiting label="loading" /> : items.length}
        {')'}
      </Text>
      <Text dimColor wrap="truncate">{`  ${'id'.padEnd(38)}${'state'.padEnd(12)}progress`}</Text>
      <Box flexDirection="column" height={rows}>
        {(items ?? []).slice(list.top, list.top + rows).map((e, i) => {
          const sel = list.top + i === list.selected;
          const line = `${sel ? '>' : ' '} ${sanitize(e.id).padEnd(38)}${cut(sanitize(e.state), 11).padEnd(12)}${progressBar(e.completed, e.total, 10)}  ${e.completed}/${e.total}`;
          return (
            <Text key={e.id} inverse={sel} wrap="truncate">
              {line}
            </Text>
          );
        })}
        {items !== null && items.length === 0 ? <Text dimColor>No executions yet: n on the service starts one.</Text> : null}
      </Box>
      <StatusLine width={width} />
      <HintBar context="executions" width={width} />
    </Box>
  );
}
