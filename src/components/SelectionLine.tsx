/** The line under the grid naming the record under the cursor: index, state, duration, outputs, error. */
import { memo, useMemo } from 'react';
import { Text } from 'ink';
import { useApp, useAppStore } from '../store/hooks.js';
import { indexAt } from '../store/selection.js';
import { buildListRow } from '../views/list-rows.js';

/** Props of SelectionLine. */
export interface SelectionLineProps {
  width: number;
  color: boolean;
}

/** `cursor 1234  # Complete   0.12s  score=0.53` for the cursor's record. */
export const SelectionLine = memo(function SelectionLine({ width, color }: SelectionLineProps) {
  const store = useAppStore();
  const version = useApp((s) => s.exec.version);
  const cursor = useApp((s) => s.view.cursor);
  const filter = useApp((s) => s.view.filter);
  const group = useApp((s) => s.view.group ?? null);
  const line = useMemo(() => {
    const { exec, detail } = store.getState();
    const index = indexAt(exec.states, exec.version, filter, cursor, group);
    if (index < 0) return exec.state === null ? 'waiting for the first poll…' : 'no record matches';
    const row = buildListRow({ index, code: exec.states[index], detail: detail(index), indexWidth: 1, width: width - 7, color, selected: false });
    return `cursor ${row}`;
  }, [store, version, cursor, filter, group, width, color]);
  return <Text wrap="truncate">{line}</Text>;
});
