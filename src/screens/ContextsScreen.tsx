/**
 * The contexts of config.yaml, the one the app is in marked; Enter switches:
 * ```
 * Contexts (3)                                                          dev
 *   name         host                              user      
 * * dev          http://127.0.0.1:12800            admin
 * > prod         https://prod.example.com:12800    admin     read-only
 *   staging      https://staging:12800             —         no login
 * status line
 * q back  ? help  Enter switch  r refresh
 * ```
 */
import { useCallback, useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp } from '../store/hooks.js';
import { CONTEXTS_KEY, dataOf } from '../store/resources.js';
import type { ContextRow } from '../store/types.js';
import { useActions } from '../actions.js';
import { safeText } from '../text/safe-text.js';
import { cellWidth, fitCells } from '../text/cells.js';
import { cut } from '../views/format.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { StatusLine } from '../components/StatusLine.js';
import { TitleLine } from '../components/TitleLine.js';
import { Waiting } from '../components/Waiting.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';

/** Props of ContextsScreen. */
export interface ContextsScreenProps {
  width: number;
  height: number;
  focused: boolean;
}

/** What a context's last column says: read-only, no saved login, or both. */
function notes(c: ContextRow): string {
  return [c.readonly ? 'read-only' : '', c.loggedIn ? '' : 'no login'].filter(Boolean).join(', ');
}

/** The widths of the name, host and user columns: each its longest, the host cut to what is left. */
export interface ContextColumns {
  name: number;
  host: number;
  user: number;
}

/** Column widths for `contexts` in `width` cells. */
export function contextColumns(contexts: readonly ContextRow[], width: number): ContextColumns {
  const widest = (pick: (c: ContextRow) => string, floor: number) => Math.max(floor, ...contexts.map((c) => cellWidth(safeText(pick(c)))));
  const name = Math.min(widest((c) => c.name, 4), Math.max(4, Math.floor(width * 0.3)));
  const user = Math.min(widest((c) => c.user ?? '—', 4), 10);
  const note = widest(notes, 0);
  const host = Math.max(6, Math.min(widest((c) => c.host, 4), width - name - user - note - 3));
  return { name, host, user };
}

/** One row: name, host, user and notes (read-only, no login), cut to `width`. */
export function contextRow(c: ContextRow, width: number, columns: ContextColumns): string {
  const user = c.user ? safeText(c.user) : '—';
  const line = `${fitCells(safeText(c.name), columns.name)} ${fitCells(safeText(c.host), columns.host)} ${fitCells(user, columns.user)} ${notes(c)}`;
  return cut(line.trimEnd(), width);
}

/** The contexts, with the app's own marked `*`; Enter switches to the selected one, r reads the file again. */
export function ContextsScreen({ width, height, focused }: ContextsScreenProps) {
  const actions = useActions();
  const overlay = useApp((s) => s.overlay.kind);
  const loaded = useApp((s) => s.resources.contexts);
  const contexts = dataOf(loaded, CONTEXTS_KEY) ?? null;
  const failed = contexts === null && loaded.status === 'error';
  useEffect(() => {
    actions.loadContexts();
    return () => actions.release('contexts');
  }, [actions]);
  const rows = Math.max(1, height - 4);
  const columns = useMemo(() => contextColumns(contexts ?? [], width - 2), [contexts, width]);
  if (overlay === 'help') return <HelpOverlay context="contexts" height={height} width={width} />;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>
        {'Contexts ('}
        {contexts === null ? (failed ? '?' : <Waiting label="loading" />) : contexts.length}
        {')'}
      </TitleLine>
      <Text dimColor wrap="truncate">{`  ${contextRow({ name: 'name', host: 'host', user: 'user', readonly: false, color: null, loggedIn: true }, width - 2, columns)}`}</Text>
      <Box flexDirection="column" height={rows}>
        {contexts !== null ? <ContextList contexts={contexts} rows={rows} width={width} columns={columns} focused={focused && overlay === 'none'} /> : null}
        {failed ? <Text dimColor wrap="truncate">{`config.yaml could not be read: ${safeText(loaded.error ?? '')}`}</Text> : null}
      </Box>
      <StatusLine width={width} />
      <HintBar context="contexts" width={width} />
    </Box>
  );
}

/** The rows, mounted once the list is read: the selection starts on the context the app is in. */
function ContextList({ contexts, rows, width, columns, focused }: { contexts: ContextRow[]; rows: number; width: number; columns: ContextColumns; focused: boolean }) {
  const actions = useActions();
  const current = useApp((s) => s.context?.name ?? null);
  const list = useList(contexts.length, rows, Math.max(0, contexts.findIndex((c) => c.name === current)));
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      const selected = contexts[list.current()];
      if (id === 'refresh') actions.loadContexts();
      else if (id === 'open' && selected) void actions.switchContext(selected.name);
    },
    [actions, list, contexts],
  );
  useKeys('contexts', focused, { onCommand });
  if (contexts.length === 0) return <Text dimColor wrap="truncate">No contexts yet: mlbatch login --context NAME --host URL adds one.</Text>;
  return (
    <>
      {contexts.slice(list.top, list.top + rows).map((c, i) => {
        const sel = list.top + i === list.selected;
        return (
          <Text key={c.name} inverse={sel} wrap="truncate">
            {`${sel ? '>' : ' '}${c.name === current ? '*' : ' '}${contextRow(c, width - 2, columns)}`}
          </Text>
        );
      })}
    </>
  );
}
