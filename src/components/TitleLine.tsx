/** The first line of every screen: what the screen is about, and the context's name at the right. */
import { memo, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useApp } from '../store/hooks.js';
import { useColor } from '../hooks/use-color.js';
import { contextTag } from '../views/context-tag.js';

/** Props of TitleLine. */
export interface TitleLineProps {
  width: number;
  /** The title (cut to the room the name leaves). */
  children: ReactNode;
  /** Bold (default); a title that paints itself says false. */
  bold?: boolean;
  /** Whether to name the context (default true): a line under another that names it says false. */
  named?: boolean;
}

/** Cells between the title and the context's name. */
const GAP = 2;

/** The cells of a line `width` wide the title may take: all of them outside a context. */
export function useTitleRoom(width: number): number {
  const name = useApp((s) => s.context?.name ?? null);
  return name === null ? width : Math.max(1, width - GAP - contextTag({ name, color: null }, width, false).cells);
}

/**
 * ```
 * Services on http://prod:12800 (4)                                   prod
 * ```
 * The name is never wrapped and never pushed off: the title is cut first (at 40 columns too).
 */
export const TitleLine = memo(function TitleLine({ width, children, bold = true, named = true }: TitleLineProps) {
  const color = useColor();
  const name = useApp((s) => (named ? (s.context?.name ?? null) : null));
  const accent = useApp((s) => s.context?.color ?? null);
  if (name === null) return <Text bold={bold} wrap="truncate">{children}</Text>;
  const tag = contextTag({ name, color: accent }, width, color);
  return (
    <Box width={width} flexDirection="row">
      <Box flexGrow={1} flexShrink={1} flexBasis={0} overflow="hidden">
        <Text bold={bold} wrap="truncate">{children}</Text>
      </Box>
      <Box flexShrink={0} marginLeft={GAP}>
        <Text>{tag.text}</Text>
      </Box>
    </Box>
  );
});
