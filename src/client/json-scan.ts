/**
 * Structural scanning of JSON bytes (UTF-8) without building values or decoding text: string and
 * escape aware, brackets matched. Every byte of a multi-byte UTF-8 character is 0x80 or above, so
 * no quote, bracket or backslash is ever mistaken inside one.
 */

export const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93;
export const COMMA = 44, COLON = 58;

/** Thrown inside a scan only: the text is not what the scan expects (its caller parses it whole). */
export class Unexpected extends Error {}
/** The one Unexpected thrown (no stack trace built per surprise). */
export const unexpected = new Unexpected('unexpected shape');

/** JSON whitespace. */
export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** True when `t[s, e)` equals the lowercase ASCII `word` in any case (the only case folding `pick` can meet here). */
export function keyIs(t: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((t[s + i] | 32) !== word.charCodeAt(i)) return false;
  return true;
}

/** True when the ASCII `word` is at `p` in `t`, exactly. */
export function bytesAre(t: Uint8Array, p: number, word: string): boolean {
  if (p + word.length > t.length) return false;
  for (let i = 0; i < word.length; i++) if (t[p + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** Strings up to this long (an ISO timestamp is 24) are searched by a plain loop; longer ones natively. */
const SHORT = 32;

/** A scan over one body; positions are byte offsets into `t`. */
export class Scan {
  protected readonly n: number;
  protected readonly stack: number[] = [];
  private bsQueried = Infinity;
  private bsNext = -1;
  constructor(protected readonly t: Buffer) {
    this.n = t.length;
  }

  /** The first position from `p` that is not whitespace. */
  ws(p: number): number {
    while (p < this.n && isWs(this.t[p])) p++;
    return p;
  }

  /** The position after `c`, which must be at `p`. */
  expect(p: number, c: number): number {
    if (this.t[p] !== c) throw unexpected;
    return p + 1;
  }

  /** The next quote at or after `p`, or -1. */
  private quoteFrom(p: number): number {
    const t = this.t;
    // Most keys and values are short: a loop beats a native call there; long text gets memchr.
    const stop = Math.min(this.n, p + SHORT);
    for (let q = p; q < stop; q++) if (t[q] === QUOTE) return q;
    return stop === this.n ? -1 : t.indexOf(QUOTE, stop);
  }

  /** End (exclusive) of the string whose opening quote is at `p`. */
  stringEnd(p: number): number {
    const t = this.t;
    for (let q = this.quoteFrom(p + 1); q >= 0; q = this.quoteFrom(q + 1)) {
      if (t[q - 1] !== BACKSLASH) return q + 1;
      let k = q - 2;
      while (t[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) return q + 1;
    }
    throw unexpected;
  }

  /** The text of `t[s, e)`. */
  text(s: number, e: number): string {
    return this.t.toString('utf8', s, e);
  }

  /** The string `t[s, e)` (quotes included) lowercased, decoding escapes only when it has some. */
  keyText(s: number, e: number): string {
    const raw = this.text(s + 1, e - 1);
    return (raw.includes('\\') ? (JSON.parse(this.text(s, e)) as string) : raw).toLowerCase();
  }

  /** End of the value starting at `p` (not whitespace): brackets must match, strings may hold anything. */
  valueEnd(p: number): number {
    const t = this.t;
    const c = t[p];
    if (c === QUOTE) return this.stringEnd(p);
    if (c !== LBRACE && c !== LBRACKET) {
      let e = p;
      while (e < this.n) {
        const d = t[e];
        if (d === COMMA || d === RBRACE || d === RBRACKET || isWs(d)) break;
        if (d === QUOTE || d === LBRACE || d === LBRACKET || d === COLON) throw unexpected;
        e++;
      }
      if (e === p) throw unexpected;
      return e;
    }
    const stack = this.stack;
    stack.length = 0;
    for (let i = p; i < this.n; i++) {
      const d = t[i];
      if (d === QUOTE) i = this.stringEnd(i) - 1;
      else if (d === LBRACE || d === LBRACKET) stack.push(d);
      else if (d === RBRACE || d === RBRACKET) {
        if (stack.pop() !== (d === RBRACE ? LBRACE : LBRACKET)) throw unexpected;
        if (stack.length === 0) return i + 1;
      }
    }
    throw unexpected;
  }

  /** A small scalar value parsed as JSON.parse would (a bad token is unexpected). */
  scalar(s: number, e: number): unknown {
    try {
      return JSON.parse(this.text(s, e));
    } catch {
      throw unexpected;
    }
  }

  /** Walks the members of the object at `p`, calling `member(keyStart, keyEnd, valueStart)` which returns the value's end. */
  members(p: number, member: (ks: number, ke: number, vs: number) => number): number {
    p = this.ws(this.expect(p, LBRACE));
    if (this.t[p] === RBRACE) return p + 1;
    for (;;) {
      if (this.t[p] !== QUOTE) throw unexpected;
      const ke = this.stringEnd(p);
      const vs = this.ws(this.expect(this.ws(ke), COLON));
      if (vs >= this.n) throw unexpected;
      p = this.ws(member(p, ke, vs));
      const c = this.t[p];
      if (c === RBRACE) return p + 1;
      p = this.ws(this.expect(p, COMMA));
    }
  }

  /** The first backslash at or after `s` (Infinity when none); one native search per backslash as the scan moves on. */
  backslashFrom(s: number): number {
    if (s < this.bsQueried || s > this.bsNext) {
      const at = this.t.indexOf(BACKSLASH, s);
      this.bsNext = at < 0 ? Infinity : at;
      this.bsQueried = s;
    }
    return this.bsNext;
  }
}
