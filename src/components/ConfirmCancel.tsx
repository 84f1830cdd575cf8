/** Confirmation before cancelling: names the execution and its counts; No is the default. */
import { useCallback } from 'react';
import { Box, Text } from 'ink';
import { ITEM_CODE } from '../protocol.js';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { useActions } from '../actions.js';
import { wrapText } from '../views/format.js';
import { useKeys } from '../hooks/use-keys.js';

/** Props of ConfirmCancel. */
export interface ConfirmCancelProps {
  width: number;
}

/**
 * ```
 * Cancel execution 5b1c…? 1004 complete, 12 failed, 10 running, 974 pending (never start).
 * y cancel it   n / Enter / Esc keep it running (default)
 * ```
 */
export function ConfirmCancel({ width }: ConfirmCancelProps) {
  const store = useAppStore();
  const actions = useActions();
  const id = useApp((s) => s.exec.ref?.id ?? '');
  useApp((s) => s.exec.version);
  const c = store.getState().exec.counts;
  const onCommand = useCallback(
    (cmd: CommandId) => {
      if (cmd === 'confirmYes') {
        store.getState().setOverlay({ kind: 'none' });
        void actions.cancelExecution();
      } else if (cmd === 'confirmNo') {
        store.getState().setOverlay({ kind: 'none' });
        store.getState().setStatus('Cancel declined: the execution keeps running');
      }
    },
    [store, actions],
  );
  useKeys('confirm', true, { onCommand });
  // One <Text> per row (house rule): the counts are wrapped here, inside the border's room.
  const inner = Math.min(width, 80) - 2;
  const counts = wrapText(
    `${c[ITEM_CODE.Complete]} complete, ${c[ITEM_CODE.Failed]} failed, ${c[ITEM_CODE.Running]} running, ` +
      `${c[ITEM_CODE.Pending]} pending (pending records will never start)`,
    inner,
  );
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="yellow" width={Math.min(width, 80)}>
      <Text bold wrap="truncate">{`Cancel execution ${id}?`}</Text>
      {counts.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
      <Text wrap="truncate">{'y cancel it    n / Enter / Esc keep it running (default: No)'}</Text>
    </Box>
  );
}
