/**
 * The masks that turn an error message into its pattern: the parts that vary from record to
 * record (numbers, ids, hex, paths, quoted values, times, URLs) become placeholders, so that
 * `value must not be negative, got -3 (record id 17)` and `… got -0.5 (record id 902)` read the same.
 */

/** Longest part of a message the pattern is made from: masking stays cheap on huge stack traces. */
export const MAX_PATTERN_SOURCE = 2000;

// Order matters: a quoted path is a quoted value, a uuid is not five numbers, a time not six.
const MASKS: readonly (readonly [RegExp, string])[] = [
  // Quotes that open after a non-word character (so "can't" and "don't" are not quotes).
  [/(?<!\w)"[^"\n]*"|(?<!\w)'[^'\n]*'(?!\w)|`[^`\n]*`/g, '<str>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<time>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, '<url>'],
  // Absolute, home, dotted or Windows paths, and relative ones of at least three parts.
  [/(?<![\w/.])(?:~|\.{1,2})?(?:\/[^\s/'",:;()<>[\]]+)+\/?|\b[a-z]:\\[^\s'",;()<>]+|(?<![\w/])(?:[\w.-]+\/){2,}[\w.-]+/gi, '<path>'],
  [/\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // A number standing alone or leading a unit (12ms); not the digits of a name (utf8, col2, v1.2).
  [/(?<![\w.])[-+]?\d+(?:[.,:]\d+)*(?:e[-+]?\d+)?/gi, '<num>'],
];

/** A message's pattern: its variable parts masked, runs of spaces made one, cut at MAX_PATTERN_SOURCE first. */
export function maskMessage(message: string): string {
  let s = message.length > MAX_PATTERN_SOURCE ? message.slice(0, MAX_PATTERN_SOURCE) : message;
  for (const [pattern, placeholder] of MASKS) s = s.replace(pattern, placeholder);
  return s.replace(/[ \t]+/g, ' ').trim();
}
