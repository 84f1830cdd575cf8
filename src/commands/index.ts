/** Headless commands for scripts and CI (login, services, run, status, ...). */
import type { Command } from 'commander';

/** Adds the headless commands to the program. */
export function registerCommands(_program: Command): void {}
