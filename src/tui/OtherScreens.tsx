/** The screens before an execution: connect, services, a service's actions, compose, executions. */
import { assertNever } from '../protocol.js';
import type { Screen } from '../store/types.js';
import { ActionsScreen } from '../screens/ActionsScreen.js';
import { ComposeScreen } from '../screens/ComposeScreen.js';
import { ConnectScreen } from '../screens/ConnectScreen.js';
import { ExecutionsScreen } from '../screens/ExecutionsScreen.js';
import { ServicesScreen } from '../screens/ServicesScreen.js';

/** Props of OtherScreens. */
export interface OtherScreensProps {
  screen: Extract<Screen, { kind: 'connect' | 'services' | 'actions' | 'compose' | 'executions' }>;
  width: number;
  height: number;
}

/** Picks the screen for the top of the stack. */
export function OtherScreens({ screen, width, height }: OtherScreensProps) {
  switch (screen.kind) {
    case 'connect':
      return <ConnectScreen width={width} height={height} focused />;
    case 'services':
      return <ServicesScreen width={width} height={height} focused />;
    case 'actions':
      return <ActionsScreen key={`${screen.service.name}/${screen.service.version}`} service={screen.service} width={width} height={height} focused />;
    case 'compose':
      return <ComposeScreen service={screen.service} width={width} height={height} focused />;
    case 'executions':
      return <ExecutionsScreen service={screen.service} width={width} height={height} focused />;
    default:
      return assertNever(screen);
  }
}
