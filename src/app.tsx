/** The app's root: terminal size, the too-small notice, the screen stack, and back, help and quit for every screen. */
import { useCallback, useEffect, useState } from 'react';
import { Box, Text, useInput, useStdin, useStdout, type Key } from 'ink';
import { assertNever } from './protocol.js';
import { commandsFor, type CommandId, type KeyContext } from './keys.js';
import type { AppStore } from './store/app-store.js';
import { StoreContext, useApp, useAppStore } from './store/hooks.js';
import type { Screen } from './store/types.js';
import { ScreenErrorBoundary } from './components/ScreenErrorBoundary.js';
import { KeyRouter, KeyRouterContext, routeKeys, type KeyLayer } from './hooks/use-keys.js';
import { DownloadsScreen } from './screens/DownloadsScreen.js';
import { ErrorsScreen } from './screens/ErrorsScreen.js';
import { ExecutionScreen } from './screens/ExecutionScreen.js';
import { IndexScreen } from './screens/IndexScreen.js';
import { PagerScreen } from './screens/PagerScreen.js';
import { StatsScreen } from './screens/StatsScreen.js';
import { ActionsScreen } from './screens/ActionsScreen.js';
import { ComposeScreen } from './screens/ComposeScreen.js';
import { ConnectScreen } from './screens/ConnectScreen.js';
import { ExecutionsScreen } from './screens/ExecutionsScreen.js';
import { CompareScreen } from './screens/CompareScreen.js';
import { CompareIndexScreen } from './screens/CompareIndexScreen.js';
import { ServicesScreen } from './screens/ServicesScreen.js';
import { MergedScreen } from './screens/MergedScreen.js';
import { ContextsScreen } from './screens/ContextsScreen.js';
import { CommandPrompt } from './components/CommandPrompt.js';
import { ColorContext } from './hooks/use-color.js';
import { ActionsContext, useActions, type AppActions } from './actions.js';

/** Smallest terminal everything is laid out for (a split tmux pane on a jump host). */
export const MIN_COLS = 40;
/** Smallest terminal height everything is laid out for. */
export const MIN_ROWS = 12;

/** Whether a terminal is below the smallest layout. */
export const tooSmall = (cols: number, rows: number) => cols < MIN_COLS || rows < MIN_ROWS;

/** The one line shown below the smallest layout, cut to fit: it names the size needed and how to quit. */
export function tooSmallLine(cols: number, rows: number): string {
  const full = `Terminal ${cols}x${rows} is too small: mlbatch needs ${MIN_COLS}x${MIN_ROWS}. q quits`;
  const short = `Too small (need ${MIN_COLS}x${MIN_ROWS}) q quits`;
  const line = full.length <= cols ? full : short.length <= cols ? short : 'q quits';
  return line.slice(0, Math.max(1, cols));
}

/** Props of App. */
export interface AppProps {
  store: AppStore;
  actions: AppActions;
  color: boolean;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { cols: number; rows: number };
}

/** The key context of a screen (the keys' context when no layer of it is active). */
export function contextOf(screen: Screen): KeyContext {
  switch (screen.kind) {
    case 'connect':
    case 'services':
    case 'actions':
    case 'compose':
    case 'executions':
    case 'execution':
    case 'stats':
    case 'index':
    case 'pager':
    case 'downloads':
    case 'merged':
    case 'compare':
    case 'compare-index':
    case 'errors':
    case 'contexts':
      return screen.kind;
    default:
      return assertNever(screen);
  }
}

function useTerminalSize(fixed?: { cols: number; rows: number }) {
  const { stdout } = useStdout();
  const read = useCallback(() => fixed ?? { cols: stdout.columns || 80, rows: stdout.rows || 24 }, [fixed, stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed, read]);
  return size;
}

/** How a screen's context is left at the top: q where q is a key, else Ctrl-C (forms take q as text). */
function quitKey(context: KeyContext): string {
  return commandsFor(context).some((c) => c.id === 'back' && c.keys.includes('q')) ? 'q' : 'Ctrl-C';
}

/** The app's own commands, the same on every screen. */
function useAppCommands() {
  const store = useAppStore();
  const actions = useActions();
  return useCallback(
    (id: CommandId, layer: KeyLayer | undefined, context: KeyContext) => {
      const s = store.getState();
      if (id === 'quit') actions.quit();
      else if (id === 'help') s.setOverlay({ kind: 'help' });
      else if (id === 'contexts') {
        if (s.stack.at(-1)?.kind !== 'contexts') s.push({ kind: 'contexts' });
      } else if (id === 'command') s.setOverlay({ kind: 'prompt', purpose: 'command', text: '' });
      else if (id === 'back' && context === 'help') s.setOverlay({ kind: 'none' });
      // q goes back, and quits from the first screen.
      else if (id === 'back') {
        if (!s.pop()) actions.quit();
      } else if (id === 'backOnly') {
        // Esc is pressed in runs to get out of things: at the top it must not end the app (and a demo's server).
        if (layer?.beforeBack?.()) return;
        if (!s.pop()) s.setStatus(`This is the first screen: ${quitKey(context)} quits`);
      }
    },
    [store, actions],
  );
}

function Screens({ color, size }: { color: boolean; size?: AppProps['size'] }) {
  const store = useAppStore();
  const depth = useApp((s) => s.stack.length);
  const top = useApp((s) => s.stack[s.stack.length - 1]);
  // Another server (a context switch) is a fresh start for every screen, the same kind on top or not.
  const server = useApp((s) => `${s.context?.name ?? ''}@${s.connection.host}`);
  const { cols, rows } = useTerminalSize(size);
  const [router] = useState(() => new KeyRouter());
  const onAppCommand = useAppCommands();
  // One listener for the whole app, outside the boundary, so Ctrl-C works even on a failed screen.
  const { isRawModeSupported } = useStdin();
  // Too small to draw a screen, no screen takes keys: q and Ctrl-C quit.
  const fallback = tooSmall(cols, rows) ? 'small' : contextOf(top);
  const onInput = useCallback(
    (input: string, key: Key) => routeKeys(router, store, fallback, onAppCommand, input, key),
    [router, store, fallback, onAppCommand],
  );
  useInput(onInput, { isActive: Boolean(isRawModeSupported) });
  // A new boundary per screen: leaving a failed screen gives the next one a fresh start.
  return (
    <KeyRouterContext.Provider value={router}>
      <ScreenErrorBoundary key={`${server}:${depth}:${top.kind}`} width={cols}>
        <TopScreen color={color} size={size} />
      </ScreenErrorBoundary>
    </KeyRouterContext.Provider>
  );
}

function TopScreen({ color, size }: { color: boolean; size?: AppProps['size'] }) {
  const { cols, rows } = useTerminalSize(size);
  const screen = useApp((s) => s.stack[s.stack.length - 1]);
  const commandLine = useApp((s) => s.overlay.kind === 'prompt' && s.overlay.purpose === 'command');
  if (tooSmall(cols, rows)) return <Text wrap="truncate">{tooSmallLine(cols, rows)}</Text>;
  // One row is kept free: at full height ink clears the whole screen on every frame. The `:`
  // command line takes one more, under the screen, while it is open.
  const height = rows - 1 - (commandLine ? 1 : 0);
  // The same tree with the line open or not: the screen keeps its state (selection, filter).
  return (
    <Box flexDirection="column">
      <ScreenOf screen={screen} color={color} width={cols} height={height} />
      {commandLine ? <CommandPrompt /> : null}
    </Box>
  );
}

/** The screen of one stack entry at a size. */
function ScreenOf({ screen, color, width, height }: { screen: Screen; color: boolean; width: number; height: number }) {
  switch (screen.kind) {
    case 'execution':
      return <ExecutionScreen width={width} height={height} color={color} focused />;
    case 'stats':
      return <StatsScreen refer={screen.ref} width={width} height={height} focused />;
    case 'index':
      return <IndexScreen refer={screen.ref} index={screen.index} file={screen.file} width={width} height={height} color={color} focused />;
    case 'pager':
      return <PagerScreen title={screen.title} text={screen.text} width={width} height={height} focused />;
    case 'downloads':
      return <DownloadsScreen width={width} height={height} focused />;
    case 'errors':
      return <ErrorsScreen refer={screen.ref} width={width} height={height} focused />;
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
    case 'merged':
      return <MergedScreen refer={screen.ref} width={width} height={height} focused />;
    case 'compare':
      return <CompareScreen key={`${screen.a.id}:${screen.b.id}`} a={screen.a} b={screen.b} width={width} height={height} focused />;
    case 'compare-index':
      return <CompareIndexScreen a={screen.a} b={screen.b} index={screen.index} width={width} height={height} focused />;
    case 'contexts':
      return <ContextsScreen width={width} height={height} focused />;
    default:
      return assertNever(screen);
  }
}

/** Provides store and actions, and draws the screen on top of the stack. */
export function App({ store, actions, color, size }: AppProps) {
  return (
    <StoreContext.Provider value={store}>
      <ActionsContext.Provider value={actions}>
        <ColorContext.Provider value={color}>
          <Box flexDirection="column">
            <Screens color={color} size={size} />
          </Box>
        </ColorContext.Provider>
      </ActionsContext.Provider>
    </StoreContext.Provider>
  );
}
