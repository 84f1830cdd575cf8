/** The bandwidth budget of polls (`--poll-budget`, or MLBATCH_POLL_BUDGET): bytes a second. */
import { Option } from 'commander';
import { parseByteRate } from '../batch/units.js';
import { EXIT, ExitError } from './exit.js';

/** The environment variable that sets the budget when the flag does not. */
export const POLL_BUDGET_ENV = 'MLBATCH_POLL_BUDGET';

/** The `--poll-budget <rate>` option, as the app and the waiting commands take it. */
export function pollBudgetOption(): Option {
  return new Option(
    '--poll-budget <rate>',
    `bytes a second polls may pull from a server without change cursors, e.g. 500k or 2M (env ${POLL_BUDGET_ENV}; default 1M)`,
  );
}

/**
 * The budget from the flag, else the environment, else undefined (the Poller's default); a usage
 * error naming the flag or variable for text that is not a rate.
 */
export function resolvePollBudget(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const [text, source] = flag !== undefined ? [flag, '--poll-budget'] : [env[POLL_BUDGET_ENV], POLL_BUDGET_ENV];
  if (text === undefined || text === '') return undefined;
  const rate = parseByteRate(text);
  if (rate === undefined) {
    throw new ExitError(EXIT.usage, `${source} takes bytes a second such as 500k, 2M or 1.5MB/s, not "${text}"`);
  }
  return rate;
}
