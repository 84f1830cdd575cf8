/** Our own terminal wrapper: alternate screen in, and the terminal restored on every way out. */

/** Enters the alternate screen (ESC[?1049h) and hides the cursor. */
export const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
/** Clears the screen and homes the cursor (before a fresh frame). */
export const CLEAR_HOME = '\x1b[2J\x1b[H';
/** Shows the cursor and leaves the alternate screen (ESC[?1049l). */
export const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

let terminalGone = false;

/** True once writes to the terminal failed because it went away (hang-up). */
export function isTerminalGone(): boolean {
  return terminalGone;
}

/** A terminal taken over by the app; `restore` is idempotent and safe from any handler. */
export interface TerminalHold {
  restore(): void;
}

/**
 * Switches to the alternate screen and arranges for the terminal to be restored on exit,
 * SIGTERM, SIGHUP, SIGINT and uncaught errors. `onSignal` asks the app to shut down cleanly.
 */
export function holdTerminal(
  stdout: NodeJS.WriteStream,
  stdin: NodeJS.ReadStream,
  onSignal: (signal: NodeJS.Signals) => void,
): TerminalHold {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // The terminal may already be gone (SIGHUP); there is nothing left to restore then.
    }
    try {
      stdout.write(LEAVE_ALT);
    } catch {
      // Same: a closed terminal cannot be written to.
    }
    process.off('exit', restore);
    // The app is winding down (stopping a server, removing its files): a signal now, such as
    // the second SIGHUP a closed terminal sends, must not kill it before its exit handlers run.
    for (const s of SIGNALS) {
      process.off(s, signalHandlers[s]);
      process.on(s, lateSignal);
    }
    process.off('uncaughtException', crash);
  };
  const lateSignal = () => setTimeout(() => process.exit(0), 3000).unref();
  const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  const signalHandlers = Object.fromEntries(
    SIGNALS.map((s) => [
      s,
      () => {
        onSignal(s);
        // If the app does not wind down in time, restore and leave anyway.
        setTimeout(() => {
          restore();
          process.exit(0);
        }, 3000).unref();
      },
    ]),
  ) as Record<NodeJS.Signals, () => void>;
  const crash = (err: unknown) => {
    restore();
    process.stderr.write(`mlbatch: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  // A closed terminal (the SSH link or tmux pane went away) fails writes with EIO/EPIPE: that
  // means hang up, not crash, so the app still stops its server and removes its files.
  let gone = false;
  const onStreamError = () => {
    if (gone) return;
    gone = true;
    terminalGone = true;
    restored = true;
    signalHandlers.SIGHUP();
  };
  stdout.on('error', onStreamError);
  stdin.on('error', onStreamError);
  process.on('exit', restore);
  for (const s of SIGNALS) process.on(s, signalHandlers[s]);
  process.on('uncaughtException', crash);
  stdout.write(ENTER_ALT);
  return { restore };
}
