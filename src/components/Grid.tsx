/** The per-index grid: one <Text> per screen row, each a prebuilt run-merged ANSI string. */
import { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useApp, useAppStore } from '../store/hooks.js';
import { visibleIndices } from '../store/selection.js';
import { buildGridRow, buildGridRows, type GridGeometry } from '../views/grid-rows.js';

/** Props of Grid. */
export interface GridProps {
  geometry: GridGeometry;
  height: number;
  color: boolean;
}

/** Draws the visible rows of the grid; rows are memoised on data version and viewport, the cursor row apart. */
export const Grid = memo(function Grid({ geometry, height, color }: GridProps) {
  const store = useAppStore();
  const version = useApp((s) => s.exec.version);
  const top = useApp((s) => s.view.top);
  const cursor = useApp((s) => s.view.cursor);
  const filter = useApp((s) => s.view.filter);
  const group = useApp((s) => s.view.group ?? null);
  const rows = useMemo(() => {
    const { states, version: v } = store.getState().exec;
    return buildGridRows(states, visibleIndices(states, v, filter, group), top, height, geometry, color);
  }, [store, version, top, height, geometry, filter, group, color]);
  const cursorRow = Math.floor(cursor / geometry.cellsPerRow);
  const cursorLine = useMemo(() => {
    const { states, version: v } = store.getState().exec;
    return buildGridRow({ states, visible: visibleIndices(states, v, filter, group), row: cursorRow, geometry, color, cursor });
  }, [store, version, cursorRow, cursor, geometry, filter, group, color]);
  return (
    <Box flexDirection="column" height={height}>
      {rows.map((line, i) => (
        <Text key={i} wrap="truncate">
          {(top + i === cursorRow ? cursorLine : line) || ' '}
        </Text>
      ))}
    </Box>
  );
});
