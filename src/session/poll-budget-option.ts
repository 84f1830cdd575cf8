/** The `--poll-budget` option itself: registering it must not load the parsing of rates (the client's units). */
import { Option } from 'commander';

/** The environment variable that sets the budget when the flag does not. */
export const POLL_BUDGET_ENV = 'MLBATCH_POLL_BUDGET';

/** The `--poll-budget <rate>` option, as the app and the waiting commands take it. */
export function pollBudgetOption(): Option {
  return new Option(
    '--poll-budget <rate>',
    `bytes a second polls may pull from a server without change cursors, e.g. 500k or 2M (env ${POLL_BUDGET_ENV}; default 1M)`,
  );
}
