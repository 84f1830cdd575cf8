/** A wait: an ink-spinner and a label, in one `<Text>` so it can sit inside a line of text. */
import { memo } from 'react';
import { Text, useIsScreenReaderEnabled, useStdout } from 'ink';
import Spinner from 'ink-spinner';
import { isUtf8Locale } from '../text/locale.js';

/** Props of Waiting. */
export interface WaitingProps {
  /** Text after the spinner; none for a bare spinner. */
  label?: string;
  dimColor?: boolean;
  bold?: boolean;
}

/** The glyph drawn in place of the spinner when it does not animate. */
export const STILL_GLYPH = '*';

/**
 * `⠹ Connecting…` (or `/ Connecting…` in a non-UTF-8 locale). The spinner ticks only where a
 * tick can be seen: on a terminal, and not for a screen reader, which would read every frame
 * out. Each tick re-renders the spinner alone, so it costs one row (bench/spinner-bytes.mjs).
 */
export const Waiting = memo(function Waiting({ label, dimColor, bold }: WaitingProps) {
  const { stdout } = useStdout();
  const screenReader = useIsScreenReaderEnabled();
  const animate = Boolean(stdout.isTTY) && !screenReader;
  return (
    <Text dimColor={dimColor} bold={bold}>
      {animate ? <Spinner type={isUtf8Locale() ? 'dots' : 'line'} /> : STILL_GLYPH}
      {label ? ` ${label}` : ''}
    </Text>
  );
});
