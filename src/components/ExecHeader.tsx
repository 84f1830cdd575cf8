/** The execution screen's header: title with the full id, state line, progress and counts. */
import { memo, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useApp, useAppStore } from '../store/hooks.js';
import { progressLine, reconnectNotice, stateLine, titleLine } from '../views/header-lines.js';
import { Waiting } from './Waiting.js';
import { TitleLine, useTitleRoom } from './TitleLine.js';
import type { ExecData } from '../store/types.js';

/** Props of ExecHeader. */
export interface ExecHeaderProps {
  width: number;
  color: boolean;
  /** Two lines instead of three (short terminals): the state leads the progress line. */
  compact?: boolean;
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

/**
 * Three lines: `svc 1.0  <id>`, `InProgress · parallel 10 · …`, `████░░ 52% …  # 1004  X 12 …`
 * (two on a short terminal). The parallel count and the running records are the server's when it
 * reports them; a Running count inferred from a known parallelCount carries `~`, and an unknown
 * one reads `?`.
 */
export const ExecHeader = memo(function ExecHeader({ width, color, compact = false }: ExecHeaderProps) {
  const store = useAppStore();
  const lastPoll = useApp((s) => s.exec.lastGoodPollAt);
  useApp((s) => s.exec.version);
  useApp((s) => s.exec.lastError);
  useApp((s) => s.exec.partial);
  useApp((s) => s.view.filter);
  useApp((s) => s.view.group);
  useApp((s) => s.view.mode);
  const readonly = useApp((s) => s.readonly);
  useNow(1000, lastPoll);
  const now = Date.now();
  const { exec, view } = store.getState();
  const room = useTitleRoom(width);
  // The title builder cuts to the room the context's name leaves, so the id's flags stay in view.
  const title = <TitleLine width={width} bold={false}>{titleLine(exec, view, room, color, readonly) || ' '}</TitleLine>;
  if (compact) {
    // While waiting or reconnecting, that is the news; otherwise state and progress share a line.
    const waiting = exec.state === null || reconnectNotice(exec, now) !== null;
    const state = exec.state ?? '';
    return (
      <Box flexDirection="column">
        {title}
        {waiting ? <WaitLine exec={exec} now={now} color={color} /> : <Text wrap="truncate">{`${state} ${progressLine(exec, width - state.length - 1, color)}`}</Text>}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {title}
      <WaitLine exec={exec} now={now} color={color} />
      <Text wrap="truncate">{progressLine(exec, width, color)}</Text>
    </Box>
  );
});

/**
 * The state line, with a spinner while the first poll is awaited (`connecting`) or polls fail
 * (`reconnecting, …`). The spinner ticks on its own: the line is not rebuilt per tick. The
 * reconnect notice keeps its room (the poll age is what matters then): the rest is cut first.
 */
function WaitLine({ exec, now, color }: { exec: ExecData; now: number; color: boolean }) {
  const notice = reconnectNotice(exec, now);
  if (notice !== null) {
    return (
      <Box>
        <Text wrap="truncate">{`${stateLine(exec, now, color, false)} ·`}</Text>
        <Box flexShrink={0}>
          <Text color={color ? 'yellow' : undefined}>
            {' '}
            <Waiting label={notice} />
          </Text>
        </Box>
      </Box>
    );
  }
  const line = stateLine(exec, now, color);
  return <Text wrap="truncate">{exec.state === null ? <Waiting label={line} /> : line}</Text>;
}
