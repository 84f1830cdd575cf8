/** The bottom hint bar, generated from the command table. */
import { memo } from 'react';
import { Text } from 'ink';
import { hintLine, type KeyContext } from '../keys.js';
import { useKeyFacts } from '../hooks/use-key-facts.js';

/** Props of HintBar. */
export interface HintBarProps {
  context: KeyContext;
  width: number;
}

/** One dim line: `q back  ? help  : jump  f filter …`; commands that cannot act now are left out. */
export const HintBar = memo(function HintBar({ context, width }: HintBarProps) {
  const facts = useKeyFacts();
  return (
    <Text dimColor wrap="truncate">
      {hintLine(context, width, { facts }) || ' '}
    </Text>
  );
});
