/** Keeps a failing screen from taking the app down: it shows the error and q (handled by the app) goes back. */
import { Component, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { safeText } from '../text/safe-text.js';
import { HintBar } from './HintBar.js';
import { useKeys } from '../hooks/use-keys.js';

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
  // Its only keys are the app's: q goes back (or quits at the top), Ctrl-C quits.
  useKeys('error', true);
  return (
    <Box flexDirection="column">
      <Text color="red" wrap="wrap">{`This screen failed: ${safeText(message, { multiline: true })}`}</Text>
      <HintBar context="error" width={width} />
    </Box>
  );
}
