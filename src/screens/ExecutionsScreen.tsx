/**
 * The executions of one service:
 * ```
 * Executions of slow-scorer 1.0 (3)
 *   id                                    state       progress
 * > 5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f  InProgress  ████░░░░  1040/2000
 *  ◆9e2d0a1b-…                            Complete    ████████  2000/2000   (◆ marked to compare with, m)
 * ```
 */
import { useCallback, useEffect } from 'react';
import { Box, Text } from 'ink';
import type { WebService } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { isUtf8Locale } from '../components/locale.js';
import { dataOf, executionsKey } from '../store/resources.js';
import { useActions } from '../actions.js';
import { cut, progressBar } from '../components/format.js';
import { safeText } from '../batch/safe-text.js';
import { fitCells } from '../batch/cells.js';
import { HintBar } from '../components/HintBar.js';
import { StatusLine } from '../components/StatusLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { useKeys } from '../components/use-keys.js';
import { useList } from '../components/use-list.js';
import { Waiting } from '../components/Waiting.js';

/** The marked execution's glyph (plain `*` outside a UTF-8 locale). */
const MARK_GLYPH = () => (isUtf8Locale() ? '◆' : '*');

/** Props of ExecutionsScreen. */
export interface ExecutionsScreenProps {
  service: WebService;
  width: number;
  height: number;
  focused: boolean;
}

/** Ids with state and progress (running ones first, followed while they run); Enter re-attaches, r reloads. */
export function ExecutionsScreen({ service, width, height, focused }: ExecutionsScreenProps) {
  const actions = useActions();
  const store = useAppStore();
  const mark = useApp((s) => s.mark);
  const loaded = useApp((s) => s.resources.executions);
  const items = dataOf(loaded, executionsKey(service)) ?? null;
  const failed = items === null && loaded.status === 'error';
  useEffect(() => {
    actions.loadExecutions(service);
    return () => actions.release('executions');
  }, [actions, service]);
  const rows = Math.max(1, height - 4);
  const list = useList(items?.length ?? 0, rows);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      const refOf = (i: number) => items?.[i] && { service: service.name, version: service.version, id: items[i].id };
      const selected = refOf(list.current());
      const s = store.getState();
      // m marks the execution to compare with (again: unmarks it); x compares the selected one with it.
      if (id === 'mark' && selected) {
        const unmark = s.mark?.id === selected.id;
        s.setMark(unmark ? null : selected);
        s.setStatus(unmark ? 'Mark cleared' : `Marked ${safeText(selected.id)}: x compares another with it`);
      } else if (id === 'compare' && selected && s.mark) s.push({ kind: 'compare', a: s.mark, b: selected });
      else if (id === 'refresh') actions.loadExecutions(service);
      else if (id === 'open' && items?.[list.current()]) {
        actions.attach({ service: service.name, version: service.version, id: items[list.current()].id });
      }
    },
    [actions, store, list, items, service],
  );
  // While help is open it owns the keys; the screen's state (cursor, scroll) stays as it was.
  const overlay = useApp((st) => st.overlay.kind);
  useKeys('executions', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="executions" height={height} width={width} />;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold wrap="truncate">
        {`Executions of ${safeText(service.name)} ${safeText(service.version)} (`}
        {items === null ? (failed ? '?' : <Waiting label="loading" />) : items.length}
        {')'}
      </Text>
      <Text dimColor wrap="truncate">{`  ${'id'.padEnd(38)}${'state'.padEnd(12)}progress`}</Text>
      <Box flexDirection="column" height={rows}>
        {(items ?? []).slice(list.top, list.top + rows).map((e, i) => {
          const sel = list.top + i === list.selected;
          const marked = mark?.id === e.id && mark.service === service.name && mark.version === service.version;
          const line = `${sel ? '>' : ' '}${marked ? MARK_GLYPH() : ' '}${fitCells(safeText(e.id), 37)} ${fitCells(safeText(e.state), 11)} ${progressBar(e.completed, e.total, 10)}  ${e.completed}/${e.total}`;
          return (
            <Text key={e.id} inverse={sel} wrap="truncate">
              {line}
            </Text>
          );
        })}
        {items !== null && items.length === 0 ? <Text dimColor>No executions yet: n on the service starts one.</Text> : null}
        {failed ? <Text dimColor>The executions could not be listed: r tries again.</Text> : null}
      </Box>
      <StatusLine width={width} />
      <HintBar context="executions" width={width} />
    </Box>
  );
}
