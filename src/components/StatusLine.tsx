/** The status line: the last message or error; errors show here and never crash the app. */
import { memo } from 'react';
import { Text } from 'ink';
import { useApp } from '../store/hooks.js';
import { sanitize } from './format.js';

/** Props of StatusLine. */
export interface StatusLineProps {
  width: number;
}

/** One line, red for errors. */
export const StatusLine = memo(function StatusLine({ width }: StatusLineProps) {
  const text = useApp((s) => s.status?.text ?? '');
  const level = useApp((s) => s.status?.level ?? 'info');
  return (
    <Text color={level === 'error' ? 'red' : undefined} wrap="truncate">
      {sanitize(text).slice(0, Math.max(1, width)) || ' '}
    </Text>
  );
});
