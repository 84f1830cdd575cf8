/**
 * A text artifact in a pager:
 * ```
 * 42/report.txt  lines 1–20 of 35
 * …text…
 * q back  ↑↓ PgUp PgDn g G  ←→ long lines
 * ```
 */
import { useCallback, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp } from '../store/hooks.js';
import { safeText } from '../text/safe-text.js';
import { cellWidth, dropCells } from '../text/cells.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { useKeys } from '../hooks/use-keys.js';

/** Props of PagerScreen. */
export interface PagerScreenProps {
  title: string;
  text: string;
  width: number;
  height: number;
  focused: boolean;
}

/** Scrolls text a line or a page at a time, and long lines half a screen sideways; control characters are removed before display. */
export function PagerScreen({ title, text, width, height, focused }: PagerScreenProps) {
  // A file's final newline ends its last line; it does not start one more.
  const lines = useMemo(() => safeText(text.replace(/\t/g, '  ').replace(/\r?\n$/, ''), { multiline: true }).split('\n'), [text]);
  const rows = Math.max(1, height - 2);
  const maxTop = Math.max(0, lines.length - rows);
  const [top, setTop] = useState(0);
  const step = Math.max(1, Math.floor(width / 2));
  const maxLeft = useMemo(() => {
    let longest = 0;
    for (const l of lines) longest = Math.max(longest, cellWidth(l));
    return Math.max(0, longest - width + 1);
  }, [lines, width]);
  const [left, setLeft] = useState(0);
  const onCommand = useCallback(
    (id: CommandId) => {
      const clamp = (n: number) => Math.max(0, Math.min(maxTop, n));
      switch (id) {
        case 'up':
          setTop((t) => clamp(t - 1));
          return;
        case 'down':
          setTop((t) => clamp(t + 1));
          return;
        case 'pageUp':
          setTop((t) => clamp(t - rows));
          return;
        case 'pageDown':
          setTop((t) => clamp(t + rows));
          return;
        case 'left':
          setLeft((x) => Math.max(0, x - step));
          return;
        case 'right':
          setLeft((x) => Math.min(maxLeft, x + step));
          return;
        case 'top':
          setTop(0);
          return;
        case 'bottom':
          setTop(maxTop);
          return;
        default:
          return;
      }
    },
    [maxTop, rows, step, maxLeft],
  );
  // While help is open it owns the keys; the screen's state (cursor, scroll) stays as it was.
  const overlay = useApp((st) => st.overlay.kind);
  useKeys('pager', focused && overlay === 'none', { onCommand });
  if (overlay === 'help') return <HelpOverlay context="pager" height={height} width={width} />;
  const last = Math.min(lines.length, top + rows);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>{`${safeText(title)}  lines ${top + 1}–${last} of ${lines.length}${left > 0 ? `  from column ${left + 1}` : ''}`}</TitleLine>
      <Box flexDirection="column" height={rows}>
        {lines.slice(top, top + rows).map((l, i) => (
          <Text key={i} wrap="truncate">
            {dropCells(l, left) || ' '}
          </Text>
        ))}
      </Box>
      <HintBar context="pager" width={width} />
    </Box>
  );
}
