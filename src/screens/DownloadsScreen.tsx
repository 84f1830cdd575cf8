/**
 * Running and finished downloads:
 * ```
 * Downloads
 * # ██████████ 1980/1980 files 1.2 MB  all artifacts of 1980 finished indices
 *     → ./mlbatch-downloads/5b1c…
 * q back
 * ```
 */
import { Box, Text } from 'ink';
import { useApp, useAppStore } from '../store/hooks.js';
import { formatBytes } from '../text/units.js';
import { cut, progressBar } from '../views/format.js';
import { HintBar } from '../components/HintBar.js';
import { TitleLine } from '../components/TitleLine.js';
import { StatusLine } from '../components/StatusLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { useKeys } from '../hooks/use-keys.js';
import { Waiting } from '../components/Waiting.js';

/** Props of DownloadsScreen. */
export interface DownloadsScreenProps {
  width: number;
  height: number;
  focused: boolean;
}

/** One line per download job, newest last, with a bar, counts and where the files go. */
export function DownloadsScreen({ width, height, focused }: DownloadsScreenProps) {
  const store = useAppStore();
  useApp((s) => s.downloadsVersion);
  const jobs = store.getState().downloads;
  // Its keys are the app's (back, help); the layer says which context they are read in.
  const overlay = useApp((st) => st.overlay.kind);
  useKeys('downloads', focused && overlay === 'none');
  if (overlay === 'help') return <HelpOverlay context="downloads" height={height} width={width} />;
  const rows = Math.max(1, Math.floor((height - 3) / 2));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <TitleLine width={width}>Downloads</TitleLine>
      <Box flexDirection="column" height={height - 3}>
        {jobs.length === 0 ? <Text dimColor>No downloads yet: d / D on an index, A on an execution.</Text> : null}
        {jobs.slice(-rows).map((j) => {
          const mark = j.state === 'done' ? (j.failed ? 'X' : '#') : j.state === 'failed' ? 'X' : '>';
          const counts = `${j.done}/${j.total || '?'} files${j.skipped ? `, ${j.skipped} there` : ''}${j.failed ? `, ${j.failed} failed` : ''}`;
          return (
            <Box key={j.id} flexDirection="column">
              <Text wrap="truncate">
                {j.state === 'running' ? <Waiting /> : mark}
                {cut(` ${progressBar(j.done, j.total, 10)} ${counts} ${formatBytes(j.bytes)}  ${j.label}`, width - 1)}
              </Text>
              <Text dimColor wrap="truncate">{cut(`  → ${j.destination}${j.error ? `  ${j.error}` : ''}`, width)}</Text>
            </Box>
          );
        })}
      </Box>
      <StatusLine width={width} />
      <HintBar context="downloads" width={width} />
    </Box>
  );
}
