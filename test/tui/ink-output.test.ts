import { describe, expect, it } from 'vitest';
import { FrameComposer, inkGet, installOutputCache, loadInkOutput, loadTokenizer, type InkOutput, type OutputClass } from '../../src/terminal/ink-output.js';

const { Output } = await loadInkOutput();
const tokenizer = await loadTokenizer();

/** A seeded generator, so a failure names a frame that can be replayed. */
function lcg(seed: number) {
  let a = seed;
  return () => (a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const PIECES = ['#', 'X', '.', 'abc', '漢字', '😀', ' ', '\x1b[32m##\x1b[39m', '\x1b[1m\x1b[31mX\x1b[22m\x1b[39m', '\x1b[7m>\x1b[27m', 'é'];
const upper = (line: string) => line.toUpperCase();
const numbered = (line: string, index: number) => `${index}:${line}`;

type Write = { x: number; y: number; text: string; transformers: ((l: string, i: number) => string)[] };

/** Writes of one frame: some rows stable from frame to frame, others changing, some out of range. */
function frameWrites(rand: () => number, frame: number, height: number, width: number): Write[] {
  const writes: Write[] = [];
  for (let y = -1; y <= height; y++) {
    // Rows below height / 2 change every frame; the others only every fifth.
    const r = lcg(y * 7919 + (y < height / 2 ? frame : Math.floor(frame / 5)) * 104729 + 1);
    const pieces = Math.floor(r() * 4);
    for (let p = 0; p < pieces; p++) {
      let text = '';
      const lines = 1 + Math.floor(r() * 3);
      for (let l = 0; l < lines; l++) {
        if (l > 0) text += '\n';
        for (let k = Math.floor(r() * 8); k > 0; k--) text += PIECES[Math.floor(r() * PIECES.length)];
      }
      const t = r();
      writes.push({ x: Math.floor(r() * (width + 2)) - 1, y, text, transformers: t < 0.2 ? [upper] : t < 0.3 ? [numbered, upper] : [] });
    }
  }
  // Overlaps in a random order, as siblings and borders overlap in ink.
  for (let i = writes.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [writes[i], writes[j]] = [writes[j], writes[i]];
  }
  return writes;
}

function outputOf(Cls: OutputClass, width: number, height: number, writes: Write[], clip = false): InkOutput {
  const o = new Cls({ width, height });
  if (clip) (o as unknown as { clip(c: object): void }).clip({ x1: 2, x2: width - 2, y1: 1, y2: height - 1 });
  for (const w of writes) o.write(w.x, w.y, w.text, { transformers: w.transformers });
  if (clip) (o as unknown as { unclip(): void }).unclip();
  return o;
}

describe('ink output cache', () => {
  it('installs on the ink release mlbatch ships with, once', async () => {
    expect(await installOutputCache()).toBe(true);
    expect(await installOutputCache()).toBe(true);
    expect(inkGet(Output)).not.toBe(Output.prototype.get);
  });

  it('composes every frame exactly as ink does: colours, wide characters, overlaps, transformers, clipping', () => {
    const get = inkGet(Output);
    const composer = new FrameComposer(Output, get, tokenizer);
    const rand = lcg(42);
    for (let frame = 0; frame < 300; frame++) {
      // The size changes now and then, as a terminal resizes.
      const width = frame % 97 < 60 ? 40 : 23;
      const height = frame % 131 < 90 ? 12 : 7;
      const writes = frameWrites(rand, frame, height, width);
      const clip = frame % 11 === 10;
      const mine = composer.compose(outputOf(Output, width, height, writes, clip));
      const ink = get.call(outputOf(Output, width, height, writes, clip));
      expect(mine, `frame ${frame}`).toEqual(ink);
    }
  });

  it('composes a row holding one plain line (printable ASCII and SGR) as ink does, and leaves other lines to ink', () => {
    const get = inkGet(Output);
    const composer = new FrameComposer(Output, get, tokenizer);
    const sgr = ['\x1b[0m', '\x1b[m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[1;31m', '\x1b[38;5;208m', '\x1b[38;2;1;2;3m', '\x1b[7m', '\x1b[27m', '\x1b[39m', '\x1b[90m', '\x1b[4;9m', '\x1b[49m', '\x1b[42m'];
    const rand = lcg(7);
    for (let n = 0; n < 2000; n++) {
      let line = '';
      for (let k = Math.floor(rand() * 60); k > 0; k--) {
        const r = rand();
        line += r < 0.3 ? sgr[Math.floor(rand() * sgr.length)] : r < 0.4 ? ' ' : String.fromCharCode(0x20 + Math.floor(rand() * 95));
      }
      const width = 1 + Math.floor(rand() * 50);
      const one = new Output({ width, height: 1 });
      one.write(0, 0, line, { transformers: [] });
      expect(composer.plainRow(line, width), JSON.stringify([line, width])).toBe(get.call(one).output);
    }
    for (const other of ['é', '漢字', 'a\tb', '\x1b[31', '\x1b]8;;http://x\x07link\x1b]8;;\x07', '\x9b31m']) expect(composer.plainRow(other, 10)).toBeUndefined();
  });

  it('recomposes only the rows whose lines changed', () => {
    const get = inkGet(Output);
    let rowsComposed = 0;
    const composer = new FrameComposer(Output, function counted(this: InkOutput) {
      rowsComposed++;
      return get.call(this);
    });
    const lines = Array.from({ length: 30 }, (_, y) => `\x1b[32m${'#'.repeat(y + 1)}\x1b[39m ${y}`);
    const frame = () => composer.compose(outputOf(Output, 80, 30, lines.map((text, y) => ({ x: 0, y, text, transformers: [] }))));
    const first = frame();
    expect(rowsComposed).toBe(30);
    rowsComposed = 0;
    expect(frame()).toEqual(first);
    expect(rowsComposed).toBe(0);
    lines[7] = '\x1b[31mXXX\x1b[39m 7';
    const third = frame();
    expect(rowsComposed).toBe(1);
    expect(third.output.split('\n')[7]).toBe('\x1b[31mXXX\x1b[39m 7');
    expect(third.output.split('\n')[8]).toBe(first.output.split('\n')[8]);
  });

  it('recomposes a row with the same lines when the width changes', () => {
    const get = inkGet(Output);
    const composer = new FrameComposer(Output, get);
    // ink drops the gap between the width and a line written past it, so the row depends on the width.
    const writes = [{ x: 30, y: 0, text: 'past the edge', transformers: [] }];
    for (const width of [80, 20, 80]) {
      expect(composer.compose(outputOf(Output, width, 1, writes))).toEqual(get.call(outputOf(Output, width, 1, writes)));
    }
  });
});
