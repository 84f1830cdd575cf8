/** Runs the app in the terminal (alternate screen, ink) or, without a TTY, as plain progress lines. */
import { render } from 'ink';
import { isEndedState } from '../protocol.js';
import type { AppStore } from '../store/app-store.js';
import { colorEnabled } from '../text/ansi.js';
import { isUtf8Locale } from '../text/locale.js';
import { App } from '../app.js';
import type { Controller } from '../controller/controller.js';
import { printPlainProgress } from './plain.js';
import { inkStdout, needsFrameAnchor } from './ink-stdout.js';
import { framesComposed, installOutputCache } from './ink-output.js';
import { CLEAR_HOME, holdTerminal } from './terminal.js';
import { RENDER_OPTIONS } from './render-options.js';
import { followBell } from './bell.js';
import { clipboardReach, followClipboard } from './clipboard.js';

/**
 * True when both ends are a terminal that can draw a full screen: only then is there a TUI.
 * `TERM=dumb` (Emacs shells, some CI consoles) cannot move the cursor: it gets plain lines.
 */
export function isInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY) && env.TERM !== 'dumb';
}

/** Exit code of a plain run: 0 Complete, 1 Failed, 3 Canceled (as the headless commands). */
export function plainExitCode(state: string | null): number {
  if (state === 'Failed') return 1;
  if (state === 'Canceled') return 3;
  return 0;
}

/**
 * Why an ink patch declined to install, one line each, and how many frames the output cache
 * composed, for stderr after the app exits; only with MLBATCH_DEBUG set (a patch that declines
 * leaves the app on ink as it ships, which is no error of the user's).
 */
export function debugReport(declined: readonly string[], composed: number, env: NodeJS.ProcessEnv = process.env): string {
  if (!env.MLBATCH_DEBUG) return '';
  const lines = composed > 0 ? [...declined, `ink output cache composed ${composed} frames`] : declined;
  return lines.map((line) => `mlbatch: ${line}\n`).join('');
}

/**
 * Draws the app until the user quits or a signal arrives; then restores the terminal and runs
 * `cleanup`. Resolves to the exit code (0 on quit and Ctrl-C).
 */
export async function runTerminalApp(store: AppStore, controller: Controller, quitSignal: AbortController, settings: { bell?: boolean } = {}): Promise<number> {
  const stdout = process.stdout;
  const stdin = process.stdin;
  // Nothing may be printed while ink draws: why a patch declined is said after the app exits.
  const declined: string[] = [];
  await installOutputCache((why) => declined.push(`ink output cache not installed: ${why}`));
  const anchor = await needsFrameAnchor((why) => declined.push(`ink frames not anchored: ${why}`));
  const hold = holdTerminal(stdout, stdin, () => quitSignal.abort());
  const onRejection = (err: unknown) => {
    // A stray rejected promise is an error to show, not a reason to drop the user's terminal.
    store.getState().setStatus(`Error: ${err instanceof Error ? err.message : String(err)}`, 'error');
  };
  process.on('unhandledRejection', onRejection);
  // Nothing may print over the frame: console output (React reports caught render errors
  // there) goes to the status line for as long as the app draws.
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const toStatus = (...args: unknown[]) => {
    const first = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ').split('\n')[0];
    store.getState().setStatus(first, 'error');
  };
  console.log = console.info = console.warn = console.error = toStatus;
  const options = { stdout: inkStdout(stdout, anchor, !isUtf8Locale()), stdin, ...RENDER_OPTIONS };
  const tree = <App store={store} actions={controller} color={colorEnabled()} />;
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // ink ends with an error when rendering throws outside every boundary: that ends the app.
  const mount = () => {
    const i = render(tree, options);
    i.waitUntilExit().catch((err: unknown) => fail(err));
    return i;
  };
  let instance = mount();
  const stopBell = followBell(store, (chunk) => stdout.write(chunk), settings.bell !== false);
  store.getState().setClipboard(clipboardReach(process.env, Boolean(stdout.isTTY)));
  const stopClipboard = followClipboard(store, (chunk) => stdout.write(chunk));
  // Ink's incremental renderer positions frames relative to the cursor; after a resize the
  // terminal may have scrolled, so the app is remounted on a cleared screen (store state stays).
  let resizeTimer: NodeJS.Timeout | undefined;
  const remount = () => {
    if (quitSignal.signal.aborted) return;
    instance.unmount();
    instance.cleanup();
    stdout.write(CLEAR_HOME);
    instance = mount();
  };
  const onResize = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(remount, 60);
  };
  stdout.on('resize', onResize);
  try {
    await Promise.race([
      failed,
      new Promise<void>((resolve) => {
        if (quitSignal.signal.aborted) resolve();
        quitSignal.signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    ]);
    return 0;
  } finally {
    stdout.off('resize', onResize);
    stopBell();
    stopClipboard();
    clearTimeout(resizeTimer);
    controller.stop();
    instance.unmount();
    instance.cleanup();
    hold.restore();
    Object.assign(console, saved);
    process.off('unhandledRejection', onRejection);
    const report = debugReport(declined, framesComposed());
    if (report) process.stderr.write(report);
  }
}

/** Without a TTY: one line per change until the execution ends (or a signal); the exit code follows the state. */
export async function runPlain(store: AppStore, controller: Controller, quitSignal: AbortController): Promise<number> {
  const onSignal = () => quitSignal.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const exec = await printPlainProgress(store, process.stdout, quitSignal.signal);
    return exec.state && isEndedState(exec.state) ? plainExitCode(exec.state) : 0;
  } finally {
    controller.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
