/** Runs the built CLI in a real pseudo-terminal and keeps a headless xterm screen of what it drew. */
import { spawn, type IPty } from 'node-pty';
import xterm from '@xterm/headless';

/** A CLI process in a pseudo-terminal with its screen. */
export interface PtyApp {
  /** Every byte the app wrote. */
  raw(): string;
  /** The visible screen, one string per row (trailing spaces trimmed). */
  screen(): Promise<string[]>;
  /** Waits until the screen satisfies `predicate`; fails with the last screen after `timeoutMs`. */
  waitForScreen(predicate: (rows: string[]) => boolean, what: string, timeoutMs?: number): Promise<string[]>;
  /** Types keys (raw bytes: `\r` Enter, `\x03` Ctrl-C, `\x1b[B` down). */
  press(keys: string): void;
  /** Resolves to the exit code once the process ended. */
  exited: Promise<number>;
  /** True once the process ended. */
  done(): boolean;
  bufferType(): 'normal' | 'alternate';
  /** Resizes the pseudo-terminal and the screen (the app gets SIGWINCH). */
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  /** Closes the terminal itself, as a dropped SSH link or a killed tmux pane does. */
  hangUp(): void;
  pid: number;
}

/** Starts `node bin/mlbatch.js ...args` at cols×rows. */
export function startPty(args: string[], options: { cols?: number; rows?: number; cwd: string; env?: NodeJS.ProcessEnv }): PtyApp {
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  // The app runs as on a user's terminal, whatever CI this runs in; a test may still set CI itself.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.CI;
  delete inherited.GITHUB_ACTIONS;
  const env = { ...inherited, TERM: 'xterm-256color', ...options.env } as Record<string, string>;
  // node-pty sets TERM to `name`: the terminal type a test asks for goes there.
  const child: IPty = spawn(process.execPath, ['bin/mlbatch.js', ...args], { name: env.TERM, cols, rows, cwd: options.cwd, env });
  let raw = '';
  let finished = false;
  child.onData((d) => {
    raw += d;
    term.write(d);
  });
  const exited = new Promise<number>((resolve) => {
    child.onExit(({ exitCode }) => {
      finished = true;
      resolve(exitCode);
    });
  });
  let size = { cols, rows };
  const screen = async () => {
    await new Promise<void>((r) => term.write('', r));
    const buf = term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < size.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return out;
  };
  return {
    raw: () => raw,
    screen,
    async waitForScreen(predicate, what, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      let last: string[] = [];
      while (Date.now() < until) {
        last = await screen();
        if (predicate(last)) return last;
        if (finished) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; screen was:\n${last.join('\n')}`);
    },
    press: (keys) => child.write(keys),
    exited,
    done: () => finished,
    bufferType: () => term.buffer.active.type,
    resize: (c, r) => {
      size = { cols: c, rows: r };
      term.resize(c, r);
      child.resize(c, r);
    },
    hangUp: () => (child as unknown as { destroy(): void }).destroy(),
    pid: child.pid,
    kill: (signal) => {
      if (!finished) child.kill(signal);
    },
  };
}
