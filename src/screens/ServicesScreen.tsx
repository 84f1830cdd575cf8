/**
 * The services of the server:
 * ```
 * Services on http://127.0.0.1:12800 (4)            filter: sco
 *   name              version  runtime     inputs            outputs           artifacts
 * > slow-scorer       1.0      JavaScript  id, value         score, elapsedMs  score.txt
 * ```
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { WebService } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { SERVICES_KEY, dataOf } from '../store/resources.js';
import { useActions } from '../actions.js';
import { cut } from '../views/format.js';
import { safeText } from '../text/safe-text.js';
import { cellWidth, fitCells } from '../text/cells.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { Prompt } from '../components/Prompt.js';
import { StatusLine } from '../components/StatusLine.js';
import { useKeys } from '../hooks/use-keys.js';
import { useList } from '../hooks/use-list.js';
import { Waiting } from '../components/Waiting.js';

/** Props of ServicesScreen. */
export interface ServicesScreenProps {
  width: number;
  height: number;
  focused: boolean;
}

const names = (defs: WebService['inputParameterDefinitions']) => (defs ?? []).map((d) => safeText(d.name)).join(', ') || '—';

// eslint-disable-next-line no-control-regex
const printable = (ch: string) => !/[\x00-\x1f\x7f]/.test(ch);

/** One row per service version, the columns cut to fit the width. */
export function serviceRow(s: WebService, width: number, nameWidth = 14): string {
  // Names tell services apart (transmission vs transmission-python): they get the room they need, up to 40%.
  const nw = Math.max(4, Math.min(nameWidth, Math.floor(width * 0.4)));
  const w = Math.max(6, Math.floor((width - 2 - (nw + 2) - 9 - 12) / 3));
  return [
    fitCells(safeText(s.name), nw) + '  ',
    fitCells(safeText(s.version), 8) + ' ',
    fitCells(safeText(s.runtimeType ?? ''), 11) + ' ',
    fitCells(names(s.inputParameterDefinitions), w - 1) + ' ',
    fitCells(names(s.outputParameterDefinitions), w - 1) + ' ',
    cut((s.outputFileNames ?? []).map((n) => safeText(n)).join(', ') || '—', w - 1),
  ].join('');
}

/** Lists services; `/` filters by name, Enter opens a service's actions. */
export function ServicesScreen({ width, height, focused }: ServicesScreenProps) {
  const store = useAppStore();
  const actions = useActions();
  const host = useApp((s) => s.connection.host);
  const overlay = useApp((s) => s.overlay.kind);
  const loaded = useApp((s) => s.resources.services);
  const services = dataOf(loaded, SERVICES_KEY) ?? null;
  const failed = services === null && loaded.status === 'error';
  // The filter applies as it is typed: while the `/` prompt is open, its text is the filter.
  const typing = useApp((s) => (s.overlay.kind === 'prompt' && s.overlay.purpose === 'search' ? s.overlay.text : null));
  const [kept, setFilter] = useState('');
  const filter = typing ?? kept;
  useEffect(() => {
    actions.loadServices();
    return () => actions.release('services');
  }, [actions]);
  const shown = useMemo(
    () => (services ?? []).filter((s) => s.name.toLowerCase().includes(filter.toLowerCase())),
    [services, filter],
  );
  const nameWidth = useMemo(() => Math.max(4, ...(services ?? []).map((sv) => cellWidth(safeText(sv.name)))), [services]);
  const rows = Math.max(1, height - 5);
  const list = useList(shown.length, rows);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (list.move(id)) return;
      const s = store.getState();
      if (id === 'search') s.setOverlay({ kind: 'prompt', purpose: 'search', text: filter });
      else if (id === 'refresh') actions.loadServices();
      else if (id === 'history') s.push({ kind: 'executions' });
      else if (id === 'open' && shown[list.current()]) s.push({ kind: 'actions', service: shown[list.current()] });
    },
    [store, actions, list, shown, filter],
  );
  // Esc first drops a filter, then goes back (the app's part).
  const beforeBack = useCallback(() => {
    if (!filter) return false;
    setFilter('');
    return true;
  }, [filter]);
  useKeys('services', focused && overlay === 'none', { onCommand, beforeBack });
  if (overlay === 'help') return <HelpOverlay context="services" height={height} width={width} />;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>
        {`Services on ${host || 'the server'} (`}
        {services === null ? (failed ? '?' : <Waiting label="loading" />) : shown.length}
        {`)${filter ? `   filter: ${filter}` : ''}`}
      </TitleLine>
      <Text dimColor wrap="truncate">{`  ${serviceRow({ name: 'name', version: 'version', runtimeType: 'runtime' as WebService['runtimeType'], inputParameterDefinitions: [{ name: 'inputs', type: 'character' }], outputParameterDefinitions: [{ name: 'outputs', type: 'character' }], outputFileNames: ['artifacts'] }, width, nameWidth)}`}</Text>
      <Box flexDirection="column" height={rows}>
        {shown.slice(list.top, list.top + rows).map((s, i) => (
          <Text key={`${s.name}/${s.version}`} inverse={list.top + i === list.selected} wrap="truncate">
            {`${list.top + i === list.selected ? '>' : ' '} ${serviceRow(s, width, nameWidth)}`}
          </Text>
        ))}
        {services !== null && shown.length === 0 ? <Text dimColor>{filter ? 'No service matches the filter.' : 'No services published.'}</Text> : null}
        {failed ? <Text dimColor>The services could not be listed: r tries again.</Text> : null}
      </Box>
      <StatusLine width={width} />
      {typing !== null ? (
        <Prompt label="/" accept={printable} onSubmit={setFilter} onCancel={setFilter} />
      ) : (
        <HintBar context="services" width={width} />
      )}
    </Box>
  );
}
