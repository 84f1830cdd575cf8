/** Confirmation before a rerun: how many records, of what, go where; No is the default. */
import { useCallback } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { useActions } from '../actions.js';
import { safeText } from '../text/safe-text.js';
import { wrapText } from '../views/format.js';
import { useKeys } from '../hooks/use-keys.js';

/** Props of ConfirmRerun. */
export interface ConfirmRerunProps {
  width: number;
}

/**
 * ```
 * Rerun 312 failed records of slow-scorer 1.0 as a new execution? y/n
 * (from 5b1c…; the journal links the new execution to it)
 * y rerun them    n / Enter / Esc not now (default: No)
 * ```
 */
export function ConfirmRerun({ width }: ConfirmRerunProps) {
  const store = useAppStore();
  const actions = useActions();
  const overlay = useApp((s) => s.overlay);
  const ref = useApp((s) => s.exec.ref);
  const onCommand = useCallback(
    (cmd: CommandId) => {
      const s = store.getState();
      const o = s.overlay;
      if (cmd === 'confirmYes' && o.kind === 'confirm-rerun' && s.exec.ref) {
        s.setOverlay({ kind: 'none' });
        void actions.rerun(s.exec.ref, o.indices);
      } else if (cmd === 'confirmNo') {
        s.setOverlay({ kind: 'none' });
        s.setStatus('Rerun declined: nothing was started');
      }
    },
    [store, actions],
  );
  useKeys('confirm', true, { onCommand });
  if (overlay.kind !== 'confirm-rerun' || !ref) return null;
  const n = overlay.indices.length;
  const inner = Math.min(width, 80) - 2;
  const question = wrapText(`Rerun ${n} ${overlay.what} record${n === 1 ? '' : 's'} of ${safeText(ref.service)} ${safeText(ref.version)} as a new execution? y/n`, inner);
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="yellow" width={Math.min(width, 80)}>
      {question.map((line, i) => (
        <Text key={i} bold wrap="truncate">
          {line}
        </Text>
      ))}
      <Text wrap="truncate">{`from ${safeText(ref.id)}; the journal links the two`}</Text>
      <Text wrap="truncate">{'y rerun them    n / Enter / Esc not now (default: No)'}</Text>
    </Box>
  );
}
