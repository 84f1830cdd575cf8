/** Keeps a failing screen from taking the app down: it shows the error and q goes back. */
import { Component, useCallback, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { CommandId } from '../keys.js';
import { useAppStore } from '../store/hooks.js';
import { useActions } from '../actions.js';
import { sanitize } from './format.js';
import { HintBar } from './HintBar.js';
import { useKeys } from './use-keys.js';

/** Props of ScreenErrorBoundary. */
export interface ScreenErrorBoundaryProps {
  width: number;
  children: ReactNode;
}

/**
 * ```
 * This screen failed: Cannot read properties of undefined (reading 'x')
 * q back
 * ```
 */
export class ScreenErrorBoundary extends Component<ScreenErrorBoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    if (this.state.error) return <FailedScreen message={this.state.error.message} width={this.props.width} />;
    return this.props.children;
  }
}

function FailedScreen({ message, width }: { message: string; width: number }) {
  const store = useAppStore();
  const actions = useActions();
  const onCommand = useCallback(
    (id: CommandId) => {
      if (id === 'back' && !store.getState().pop()) actions.quit();
    },
    [store, actions],
  );
  useKeys('error', true, { onCommand });
  return (
    <Box flexDirection="column">
      <Text color="red" wrap="wrap">{`This screen failed: ${sanitize(message)}`}</Text>
      <HintBar context="error" width={width} />
    </Box>
  );
}
