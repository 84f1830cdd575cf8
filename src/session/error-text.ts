/** One-line text of any error, for the status line. */

import { safeText } from '../text/safe-text.js';

/** The message of an error (or anything thrown), on one line, safe to show on a terminal. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return safeText(text.replace(/\s+/g, ' ').trim());
}
