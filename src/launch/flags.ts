/** The flags of the app's commands. */

/** Options every app command reads (commander hands them over merged with the globals). */
export interface AppFlags {
  /** `--context <name>` (or MLBATCH_CONTEXT): the context to open in. */
  context?: string;
  host?: string;
  user?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
  readonly?: boolean;
  downloadDir?: string;
  /** False with --no-bell. */
  bell?: boolean;
  records?: string;
  parallel?: string;
  /** `--poll-budget <rate>` (see session/poll-budget.ts). */
  pollBudget?: string;
}
