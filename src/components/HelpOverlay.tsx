/** The `?` help overlay, generated from the command table for the current screen. */
import { useCallback, useState } from 'react';
import { Box, Text } from 'ink';
import { helpLines, type CommandId, type KeyContext } from '../keys.js';
import { useKeyFacts } from '../hooks/use-key-facts.js';
import { useKeys } from '../hooks/use-keys.js';
import { TitleLine } from './TitleLine.js';

/** Props of HelpOverlay. */
export interface HelpOverlayProps {
  context: KeyContext;
  height: number;
  width: number;
  /** Whether its title names the context (default true; false under a header that names it). */
  named?: boolean;
}

/** Where the help's first shown line goes after a movement key, within `[0, max]`. */
function scrolled(id: CommandId, top: number, page: number, max: number): number {
  const next = id === 'up' ? top - 1 : id === 'down' ? top + 1 : id === 'pageUp' ? top - page : id === 'pageDown' ? top + page : id === 'top' ? 0 : id === 'bottom' ? max : top;
  return Math.max(0, Math.min(max, next));
}

/**
 * ```
 * Keys (execution) 1-9 of 31, j/k scroll - Esc or ? closes
 * ↑ k         Move up        ↓ j         Move down
 * c           Cancel execution (confirms)
 * c           not now: nothing to cancel: the execution has ended (Complete)
 * What the symbols mean
 * #           Complete: finished with its outputs
 * ```
 * A command that cannot act now says why; what does not fit scrolls (small terminals).
 */
export function HelpOverlay({ context, height, width, named = true }: HelpOverlayProps) {
  const facts = useKeyFacts();
  const room = Math.max(1, height - 1);
  const lines = helpLines(context, width, room, { facts });
  const max = Math.max(0, lines.length - room);
  const [top, setTop] = useState(0);
  const onCommand = useCallback((id: CommandId) => setTop((t) => scrolled(id, t, room, max)), [room, max]);
  // Its closing keys (q, ?, Esc) are the app's; the layer takes them from the screen below.
  useKeys('help', true, { onCommand });
  const first = Math.min(top, max);
  const where = max > 0 ? ` ${first + 1}-${Math.min(lines.length, first + room)} of ${lines.length}, j/k scroll` : '';
  return (
    <Box flexDirection="column" height={height}>
      <TitleLine width={width} named={named}>{`Keys (${context})${where} — Esc or ? closes`}</TitleLine>
      {lines.slice(first, first + room).map((l, i) => (
        <Text key={i} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
    </Box>
  );
}
