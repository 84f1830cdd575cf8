/** One-line text of any error, for the status line. */

/** The message of an error (or anything thrown), on one line. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
