/**
 * The masks that turn an error message into its pattern: the parts that vary from record to
 * record (numbers, ids, hex, paths, quoted values, times, URLs) become placeholders, so that
 * `value must not be negative, got -3 (record id 17)` and `… got -0.5 (record id 902)` read the same.
 */

/** Longest part of a message the pattern is made from: masking stays cheap on huge stack traces. */
export const MAX_PATTERN_SOURCE = 2000;

// One pass over the message, one group per placeholder: at each position the first group that
// matches wins, so their order is the priority (a quoted path is a quoted value, a uuid is not
// five numbers, a time not six). One pass costs a third of one pass per rule.
const ONE_PASS = new RegExp(
  [
    // Quotes that open after a non-word character (so "can't" and "don't" are not quotes).
    /((?<!\w)"[^"\n]*"|(?<!\w)'[^'\n]*'(?!\w)|`[^`\n]*`)/,
    /(\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)/,
    /(\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b)/,
    /(\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+)/,
    // Absolute, home, dotted or Windows paths, and relative ones of at least three parts.
    /((?<![\w/.])(?:~|\.{1,2})?(?:\/[^\s/'",:;()<>[\]]+)+\/?|\b[a-z]:\\[^\s'",;()<>]+|(?<![\w/])(?:[\w.-]+\/){2,}[\w.-]+)/,
    /(\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b)/,
    // A number standing alone or leading a unit (12ms); not the digits of a name (utf8, col2, v1.2).
    /((?<![\w.])[-+]?\d+(?:[.,:]\d+)*(?:e[-+]?\d+)?)/,
  ].map((r) => r.source).join('|'),
  'gi',
);
const PLACEHOLDERS = ['<str>', '<id>', '<time>', '<url>', '<path>', '<hex>', '<num>'];

function placeholder(_match: string, ...groups: unknown[]): string {
  for (let g = 0; g < PLACEHOLDERS.length; g++) if (groups[g] !== undefined) return PLACEHOLDERS[g];
  return _match;
}

/** A message's pattern: its variable parts masked, runs of spaces made one, cut at MAX_PATTERN_SOURCE first. */
export function maskMessage(message: string): string {
  const s = message.length > MAX_PATTERN_SOURCE ? message.slice(0, MAX_PATTERN_SOURCE) : message;
  return s.replace(ONE_PASS, placeholder).replace(/[ \t]+/g, ' ').trim();
}

/**
 * maskMessage with a memory: messages that differ only in their digits mostly share a pattern.
 * Every rule sees a digit only as "a digit", so every digit written as 0 is masked alike; when
 * the pattern keeps no digit of its own, it is the pattern of every message read that way, and
 * the next such message costs one replace and a lookup instead of the whole mask.
 */
export class MaskCache {
  private readonly known = new Map<string, string>();

  constructor(private readonly limit = 10_000) {}

  /** The pattern of `message`, as maskMessage gives it. */
  mask(message: string): string {
    const s = message.length > MAX_PATTERN_SOURCE ? message.slice(0, MAX_PATTERN_SOURCE) : message;
    const shape = s.replace(DIGIT, '0');
    const hit = this.known.get(shape);
    if (hit !== undefined) return hit;
    const pattern = maskMessage(s);
    if (!DIGIT_TEST.test(pattern)) {
      if (this.known.size >= this.limit) this.known.clear();
      this.known.set(shape, pattern);
    }
    return pattern;
  }
}

const DIGIT = /\d/g;
const DIGIT_TEST = /\d/;
