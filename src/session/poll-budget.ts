/** The bandwidth budget of polls (`--poll-budget`, or MLBATCH_POLL_BUDGET): bytes a second. */
import { parseByteRate } from '../text/units.js';
import { EXIT, ExitError } from './exit.js';
import { POLL_BUDGET_ENV } from './poll-budget-option.js';

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
