/** Exit codes of the headless commands and the typed error that carries one. */
import { assertNever, type ExecutionState } from '../protocol.js';
import { isConnectionError, MlBatchHttpError, MlBatchNotFoundError, MlBatchUsageError } from '../client/errors.js';
import { RecordsError } from '../records/records-error.js';

/** Exit codes, as documented in `mlbatch --help`. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  canceled: 3,
  connection: 4,
} as const;

/** An error that ends the command with a given exit code; its message is printed as is. */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The exit code an error deserves: 4 unreachable/unauthenticated, 2 bad input (a 404 means the
 * service, version, execution or index named on the command line does not exist), else 1.
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ExitError) return err.exitCode;
  if (isConnectionError(err)) return EXIT.connection;
  if (err instanceof MlBatchUsageError || err instanceof RecordsError) return EXIT.usage;
  if (err instanceof MlBatchNotFoundError || (err instanceof MlBatchHttpError && err.status === 404)) return EXIT.usage;
  return EXIT.failed;
}

/** The exit code for an execution's final (or current) state. */
export function exitCodeForState(state: ExecutionState, failedItems: number, failOnItemError: boolean): number {
  switch (state) {
    case 'Complete':
      return failOnItemError && failedItems > 0 ? EXIT.failed : EXIT.ok;
    case 'Failed':
      return EXIT.failed;
    case 'Canceled':
      return EXIT.canceled;
    case 'Pending':
    case 'InProgress':
      return failOnItemError && failedItems > 0 ? EXIT.failed : EXIT.ok;
    default:
      return assertNever(state);
  }
}
