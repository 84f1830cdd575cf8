/** The execution screen's header: title with the full id, state line, progress and counts. */
import { memo, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useApp, useAppStore } from '../store/hooks.js';
import { progressLine, stateLine, titleLine } from './header-lines.js';

/** Props of ExecHeader. */
export interface ExecHeaderProps {
  width: number;
  color: boolean;
}

/**
 * Re-renders once a second so "polled N s ago" and elapsed stay true. The timer restarts on
 * every poll, so while polls arrive each second they alone draw frames (half the frames, and
 * fewer key presses wait behind the frame throttle).
 */
function useNow(intervalMs: number, restartOn: unknown): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, restartOn]);
  return now;
}

/** Three lines: `svc 1.0  <id>`, `InProgress · parallel 10 · …`, `████░░ 52% …  # 1004  X 12 …`. */
export const ExecHeader = memo(function ExecHeader({ width, color }: ExecHeaderProps) {
  const store = useAppStore();
  const lastPoll = useApp((s) => s.exec.lastGoodPollAt);
  useApp((s) => s.exec.version);
  useApp((s) => s.exec.lastError);
  useApp((s) => s.exec.partial);
  useApp((s) => s.view.filter);
  useApp((s) => s.view.mode);
  useNow(1000, lastPoll);
  const now = Date.now();
  const { exec, view } = store.getState();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">{titleLine(exec, view, width, color) || ' '}</Text>
      <Text wrap="truncate">{stateLine(exec, now, color)}</Text>
      <Text wrap="truncate">{progressLine(exec, width, color)}</Text>
    </Box>
  );
});
