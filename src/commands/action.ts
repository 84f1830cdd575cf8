/**
 * Actions of the headless commands. Each command's implementation is loaded when it runs, not when
 * the program starts: `mlbatch --version` or `help run` must not load the client, the journal or
 * the charts of every other command.
 */

/** What a command's implementation is: it resolves to an exit code, or to nothing for 0. */
export type CommandAction<A extends unknown[]> = (...args: A) => Promise<number | void>;

/** Runs `fn`: errors print as `mlbatch: message` and set the exit code they deserve. */
function action<A extends unknown[]>(fn: CommandAction<A>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (err) {
      // Loaded only on an error: a command that succeeds does without them.
      const [{ safeText }, { exitCodeOf }] = await Promise.all([import('../text/safe-text.js'), import('../session/exit.js')]);
      // Messages carry server text and records-file content; lines they were built with stay lines.
      process.stderr.write(`mlbatch: ${safeText(err instanceof Error ? err.message : String(err), { multiline: true })}\n`);
      process.exitCode = exitCodeOf(err);
    }
  };
}

/** A command action that loads its implementation (with `import()`) when the command runs. */
export function lazyAction<A extends unknown[]>(load: () => Promise<CommandAction<A>>): (...args: A) => Promise<void> {
  return action(async (...args: A) => (await load())(...args));
}
