/** Placeholder dispatch for the connect/services/compose/executions screens (filled in next). */
import { Text } from 'ink';
import type { Screen } from '../store/types.js';

/** Props of OtherScreens. */
export interface OtherScreensProps {
  screen: Screen;
  width: number;
  height: number;
}

/** Draws the screens outside the execution flow. */
export function OtherScreens({ screen }: OtherScreensProps) {
  return <Text>{`${screen.kind}: not available yet`}</Text>;
}
