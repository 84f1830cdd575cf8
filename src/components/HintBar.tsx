/** The bottom hint bar, generated from the command table. */
import { memo } from 'react';
import { Text } from 'ink';
import { hintLine, type CommandId, type KeyContext } from '../keys.js';
import { useApp } from '../store/hooks.js';

/** Props of HintBar. */
export interface HintBarProps {
  context: KeyContext;
  width: number;
  /** Commands that cannot act right now (e.g. cancel once the execution has ended). */
  idle?: readonly CommandId[];
}

/** One dim line: `q back  ? help  : jump  f filter …`. */
export const HintBar = memo(function HintBar({ context, width, idle }: HintBarProps) {
  const readonly = useApp((s) => s.readonly);
  return (
    <Text dimColor wrap="truncate">
      {hintLine(context, width, { readonly, idle }) || ' '}
    </Text>
  );
});
