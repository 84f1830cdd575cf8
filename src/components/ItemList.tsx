/** The execution's list view: one <Text> per visible record, decoded lazily for the rows shown. */
import { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useApp, useAppStore } from '../store/hooks.js';
import { indexAt } from '../store/selection.js';
import { buildListRow } from '../views/list-rows.js';

/** Props of ItemList. */
export interface ItemListProps {
  width: number;
  height: number;
  color: boolean;
}

/** Rows `top..top+height` of the visible sequence; rebuilt on data version, scroll or cursor. */
export const ItemList = memo(function ItemList({ width, height, color }: ItemListProps) {
  const store = useAppStore();
  const version = useApp((s) => s.exec.version);
  const top = useApp((s) => s.view.top);
  const cursor = useApp((s) => s.view.cursor);
  const filter = useApp((s) => s.view.filter);
  const group = useApp((s) => s.view.group ?? null);
  const lines = useMemo(() => {
    const { exec, detail } = store.getState();
    const indexWidth = String(Math.max(0, exec.total - 1)).length;
    const out: string[] = [];
    for (let pos = top; pos < top + height; pos++) {
      const index = indexAt(exec.states, exec.version, filter, pos, group);
      if (index < 0) break;
      const code = exec.states[index];
      out.push(buildListRow({ index, code, detail: detail(index), indexWidth, width, color, selected: pos === cursor }));
    }
    return out;
  }, [store, version, top, height, width, cursor, filter, group, color]);
  return (
    <Box flexDirection="column" height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
});
