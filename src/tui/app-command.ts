/** The default command (the app), `demo` and `attach`. */
import type { Command } from 'commander';

/** Adds the app's commands to the program. */
export function registerApp(_program: Command): void {}
