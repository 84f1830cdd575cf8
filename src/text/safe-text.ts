/**
 * The one sanitiser for text from outside (server answers, artifact names, records files) before
 * a terminal sees it. A terminal acts on control characters: ESC starts sequences that clear
 * the screen or retitle the window, C1 controls (U+0080–U+009F) do the same on many terminals,
 * CR and BEL rewrite a line or ring, and bidirectional overrides make "txt.exe" read "exe.txt".
 * Each such character is replaced by a visible escape so the reader sees it was there.
 */

// C0 controls, DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates.
const CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const ONE_LINE = new RegExp(`[${CLASS}]`, 'g');
// The same minus LF and TAB (CR stays: a lone CR can overwrite what was printed before it).
const MULTI_LINE = new RegExp(`\\r\\n|[${CLASS.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f')}]`, 'g');

/** The character class `safeText` escapes, as regular-expression source (for checks elsewhere, e.g. file names). */
export const UNSAFE_TEXT_CLASS = CLASS;

const SHORT: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\r\n': '\n' };

function escape(ch: string): string {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Options of `safeText`. */
export interface SafeTextOptions {
  /** Keep LF and TAB (and read CRLF as LF) for text meant to span lines; default false. */
  multiline?: boolean;
}

/**
 * `s` with every terminal control character written as a JSON-style escape (`\u001b`, `\u009b`,
 * `\u202e`, and `\n`, `\r`, `\t`, `\b`, `\f` for those). By default the result is one line: LF
 * and TAB are escaped too, as a table cell or a name in a message needs. `multiline` keeps LF and
 * TAB, for a message whose lines the caller put there (each line from outside should already be
 * one line). Everything else (wide characters, emoji, accents) is unchanged, and a string with
 * nothing to escape is returned as is. The escapes are printable ASCII, so the function is
 * idempotent, and applied to JSON text (`multiline` for indented JSON) it gives the same JSON
 * value: JSON.stringify escapes C0 itself but leaves DEL, C1 and bidi characters raw.
 */
export function safeText(s: string, options: SafeTextOptions = {}): string {
  const pattern = options.multiline ? MULTI_LINE : ONE_LINE;
  pattern.lastIndex = 0;
  if (!pattern.test(s)) return s;
  return s.replace(pattern, escape);
}
