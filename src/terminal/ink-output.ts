/**
 * Frames that cost what changed. ink 6.8 composes every frame character by character: each line
 * is tokenised into styled characters, laid into a blank screen, and every screen row turned back
 * into a string, with caches that are dropped after each frame. On the execution screen that is
 * most of a frame's cost, and it follows the characters on screen rather than what changed.
 *
 * `installOutputCache` wraps ink's `Output#get` so that its caches outlive a frame and each
 * screen row is kept with the lines that made it: a row whose lines sit at the same columns as
 * in the previous frame is reused, and any other row is composed by ink's own `get` on a
 * one-row Output. Frames with clipping go to ink whole. A fence (`outputCacheFence`) keeps it to
 * the ink release it was written against and the shape it relies on; otherwise ink runs
 * unchanged, and the app says why on stderr after it exits when MLBATCH_DEBUG is set.
 *
 * ink splits every line into graphemes (Intl.Segmenter), then builds and compares the styles of
 * every character, the slow steps of a changed row. Lines of printable ASCII and SGR sequences,
 * which is what the grid draws, have one grapheme per character and a style that changes only
 * at their SGR sequences: a row holding one such line at column 0 is composed here run by run,
 * with ink's own tokenizer and style functions, into the string ink would build.
 */
import { loadInkModule, loadTokenizer, type Code, type Tokenizer } from './ink-private.js';

export { loadInkModule, loadTokenizer, type Tokenizer } from './ink-private.js';

/** The ink release whose Output this wraps. */
export const INK_VERSION = '6.8.0';

/** Past this many cached lines or texts the caches start over (a 120×40 frame holds under 100; 500 rows of 120 styled characters take a few MB). */
const MAX_CACHED = 500;

type Transformer = (line: string, index: number) => string;
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: unknown }
  | { type: 'unclip' };
interface Caches {
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
  styledChars: Map<string, unknown>;
}
/** The parts of ink's (private) Output this relies on. */
export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  caches: Caches;
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  get(): Frame;
}
interface Frame {
  output: string;
  height: number;
}
/** ink's Output class. */
export type OutputClass = new (options: { width: number; height: number }) => InkOutput;
type Get = (this: InkOutput) => Frame;

/** Printable ASCII and SGR sequences, nothing else. */
const PLAIN = /^(?:[\x20-\x7e]|\x1b\[[0-9;]*m)*$/;

/** A line, after its transformers, at column `x`. */
type Placement = readonly [x: number, line: string];
interface CachedRow {
  width: number;
  placements: Placement[];
  text: string;
}

/** Composes frames for one ink Output class, keeping caches and rows from frame to frame. */
export class FrameComposer {
  private caches: Caches | null = null;
  private rows: (CachedRow | undefined)[] = [];
  private readonly sgrTokens = new Map<string, Code[]>();

  constructor(
    private readonly Output: OutputClass,
    private readonly inkGet: Get,
    private readonly tokenizer?: Tokenizer,
  ) {}

  /**
   * What ink's `get` makes of a row `width` wide holding `line` alone at column 0, when the line
   * is plain (else undefined). ink gives each character the styles in force and writes, before
   * it, the difference from the previous character's (all of them before the first), then the
   * difference to no style after the last cell, and trims the row's end. Within a run between
   * SGR sequences the difference is empty, so it is computed once per run.
   */
  plainRow(line: string, width: number): string | undefined {
    const t = this.tokenizer;
    if (!t || !PLAIN.test(line)) return undefined;
    let styles: Code[] = [];
    let written: Code[] = [];
    let out = '';
    let cells = 0;
    for (let i = 0; i < line.length; ) {
      if (line.charCodeAt(i) === 0x1b) {
        const end = line.indexOf('m', i) + 1;
        styles = t.reduceAnsiCodesIncremental(styles, this.sgrCodes(line.slice(i, end)));
        i = end;
        continue;
      }
      let run = i + 1;
      while (run < line.length && line.charCodeAt(run) !== 0x1b) run++;
      if (styles !== written) {
        out += t.ansiCodesToString(t.diffAnsiCodes(written, styles));
        written = styles;
      }
      out += line.slice(i, run);
      cells += run - i;
      i = run;
    }
    // The blank cells after the line have no style: the difference to none comes before them.
    out += t.ansiCodesToString(t.diffAnsiCodes(written, []));
    if (cells < width) out += ' '.repeat(width - cells);
    return out.trimEnd();
  }

  /** ink's tokens for one SGR sequence (a compound one gives several). */
  private sgrCodes(sgr: string): Code[] {
    let codes = this.sgrTokens.get(sgr);
    if (!codes) {
      if (this.sgrTokens.size >= MAX_CACHED) this.sgrTokens.clear();
      this.sgrTokens.set(sgr, (codes = this.tokenizer!.tokenize(sgr)));
    }
    return codes;
  }

  /** What ink's `get` returns for `output`. */
  compose(output: InkOutput): Frame {
    output.caches = this.shared(output.caches);
    const placed = this.place(output);
    if (!placed) {
      this.rows = [];
      return this.inkGet.call(output);
    }
    const rows: string[] = [];
    for (let y = 0; y < output.height; y++) rows.push(this.row(y, output.width, placed[y]));
    this.rows.length = output.height;
    return { output: rows.join('\n'), height: output.height };
  }

  /** ink's caches, kept from frame to frame and started over when they grow past the bound. */
  private shared(fresh: Caches): Caches {
    const kept = this.caches;
    if (kept && kept.styledChars.size <= MAX_CACHED && kept.blockWidths.size <= MAX_CACHED && kept.widths.size <= MAX_CACHED * 10) return kept;
    this.caches = fresh;
    return fresh;
  }

  /** The lines each row receives, as ink places them; null when ink must compose the frame itself. */
  private place(output: InkOutput): Placement[][] | null {
    const placed: Placement[][] = Array.from({ length: output.height }, () => []);
    for (const operation of output.operations) {
      if (operation.type !== 'write') return null;
      const { x, y, text, transformers } = operation;
      let offsetY = 0;
      for (let [index, line] of text.split('\n').entries()) {
        const row = placed[y + offsetY];
        // As in ink: a line outside the output is dropped, and the ones after it with it.
        if (!row) continue;
        for (const transformer of transformers) line = transformer(line, index);
        if (line.includes('\n')) return null;
        row.push([x, line]);
        offsetY++;
      }
    }
    return placed;
  }

  /** Row `y`: the previous frame's when it received the same lines, else ink's composition of them. */
  private row(y: number, width: number, placements: Placement[]): string {
    const cached = this.rows[y];
    if (cached && cached.width === width && samePlacements(cached.placements, placements)) return cached.text;
    const only = placements.length === 1 && placements[0][0] === 0 ? placements[0][1] : undefined;
    let text = only === undefined ? undefined : this.plainRow(only, width);
    if (text === undefined) {
      const one = new this.Output({ width, height: 1 });
      one.caches = this.caches!;
      for (const [x, line] of placements) one.write(x, 0, line, { transformers: [] });
      text = this.inkGet.call(one).output;
    }
    this.rows[y] = { width, placements, text };
    return text;
  }
}

function samePlacements(a: Placement[], b: Placement[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  return true;
}

const INK_GET = Symbol.for('mlbatch.ink-output.get');

/** ink's Output class. */
export async function loadInkOutput(): Promise<{ Output: OutputClass; version: string | undefined }> {
  const { module, version } = await loadInkModule<{ default: OutputClass }>('output.js');
  return { Output: module.default, version };
}

/** ink's own `get`, whether or not the cache is installed. */
export function inkGet(Output: OutputClass): Get {
  const proto = Output.prototype as InkOutput & { [INK_GET]?: Get };
  return proto[INK_GET] ?? proto.get;
}

/**
 * Why the cache cannot wrap this Output, or null when it can: it wraps the private `get` of the
 * ink release it was written against, with the fields it reads (operations, caches) in place.
 */
export function outputCacheFence(Output: OutputClass, version: string | undefined): string | null {
  if (version !== INK_VERSION) return `ink ${version ?? '(unknown version)'} is installed; the output cache is written for ink ${INK_VERSION}`;
  if (typeof Output.prototype?.get !== 'function') return `ink ${version}'s Output has no get()`;
  const probe = new Output({ width: 1, height: 1 });
  if (!Array.isArray(probe.operations) || !(probe.caches?.styledChars instanceof Map)) return `ink ${version}'s Output is not shaped as the output cache expects (operations, caches)`;
  return null;
}

/**
 * Makes ink's frames reuse unchanged rows. Resolves to true when installed (or already), false
 * when the fence declines (ink then runs unchanged); `onDecline` hears why.
 */
export async function installOutputCache(
  onDecline: (reason: string) => void = () => undefined,
  load: () => Promise<{ Output: OutputClass; version: string | undefined }> = loadInkOutput,
): Promise<boolean> {
  const { Output, version } = await load();
  const proto = Output.prototype as InkOutput & { [INK_GET]?: Get };
  if (proto[INK_GET]) return true;
  const declined = outputCacheFence(Output, version);
  if (declined) {
    onDecline(declined);
    return false;
  }
  const composer = new FrameComposer(Output, proto.get, await loadTokenizer().catch(() => undefined));
  Object.defineProperty(proto, INK_GET, { value: proto.get });
  proto.get = function get(this: InkOutput) {
    composed++;
    return composer.compose(this);
  };
  return true;
}

let composed = 0;

/** Frames the output cache composed in this process: none when ink draws with an Output it did not wrap. */
export function framesComposed(): number {
  return composed;
}
