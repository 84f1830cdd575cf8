/** The `?` help overlay, generated from the command table for the current screen. */
import { useCallback } from 'react';
import { Box, Text } from 'ink';
import { helpLines, type CommandId, type KeyContext } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { useKeys } from './use-keys.js';

/** Props of HelpOverlay. */
export interface HelpOverlayProps {
  context: KeyContext;
  height: number;
  width: number;
}

/**
 * ```
 * Keys (execution)
 * ↑ k         Move up        ↓ j         Move down
 * c           Cancel execution (confirms)
 * ```
 */
export function HelpOverlay({ context, height, width }: HelpOverlayProps) {
  const store = useAppStore();
  const readonly = useApp((s) => s.readonly);
  const onCommand = useCallback(
    (id: CommandId) => {
      if (id === 'back') store.getState().setOverlay({ kind: 'none' });
    },
    [store],
  );
  useKeys('help', true, { onCommand });
  const lines = helpLines(context, width, Math.max(1, height - 1), { readonly }).slice(0, Math.max(1, height - 1));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">{`Keys (${context}) — Esc or ? closes`}</Text>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
    </Box>
  );
}
