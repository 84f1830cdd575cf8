/** The `?` help overlay, generated from the command table for the current screen. */
import { Box, Text } from 'ink';
import { helpLines, type KeyContext } from '../keys.js';
import { useKeyFacts } from './use-key-facts.js';
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
 * c           not now: nothing to cancel: the execution has ended (Complete)
 * ```
 * A command that cannot act now says why.
 */
export function HelpOverlay({ context, height, width }: HelpOverlayProps) {
  const facts = useKeyFacts();
  // Its keys (q, ?, Esc close it) are the app's; the layer takes them from the screen below.
  useKeys('help', true);
  const lines = helpLines(context, width, Math.max(1, height - 1), { facts }).slice(0, Math.max(1, height - 1));
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
