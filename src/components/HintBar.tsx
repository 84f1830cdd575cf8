/** The bottom hint bar, generated from the command table. */
import { memo } from 'react';
import { Text } from 'ink';
import { hintLine, type KeyContext } from '../keys.js';
import { useApp } from '../store/hooks.js';

/** Props of HintBar. */
export interface HintBarProps {
  context: KeyContext;
  width: number;
}

/** One dim line: `q back  ? help  : jump  f filter …`. */
export const HintBar = memo(function HintBar({ context, width }: HintBarProps) {
  const readonly = useApp((s) => s.readonly);
  return (
    <Text dimColor wrap="truncate">
      {hintLine(context, width, { readonly }) || ' '}
    </Text>
  );
});
