/** `mlbatch serve`: runs the embedded ML-Server-compatible server. */
import type { Command } from 'commander';

/** Adds the `serve` command to the program. */
export function registerServe(_program: Command): void {}
