import { describe, expect, it } from 'vitest';
import {
  compareIndex, compareValues, diffExecutions, DiffSizeError, indicesOf, MAX_VALUE_CHARS, outputsRange, sideOfPoll, unequalIndices,
} from '../../src/analysis/diff.js';
import { scanPoll } from '../../src/client/poll-scan.js';
import { decodePoll } from '../../src/client/decode.js';

const ok = (outputs: Record<string, unknown>) => ({ success: true, errorMessage: '', outputParameters: outputs, state: 'Complete' });
const failed = (message: string) => ({ success: false, errorMessage: message, outputParameters: {}, state: 'Failed' });

/** A poll body as the embedded server sends it, read through the same scan the client uses. */
function side(results: unknown[], state = 'Complete') {
  const body = JSON.stringify({ state, totalItemCount: results.length, completedItemCount: results.length, batchExecutionResults: results });
  const poll = scanPoll(Buffer.from(body));
  expect(poll?.lazy).toBeDefined();
  return sideOfPoll(poll!);
}

describe('compareValues', () => {
  it('takes numbers within the absolute tolerance as equal, and says by how much they differ', () => {
    expect(compareValues(1, 1 + 1e-7, 1e-6)).toEqual({ equal: true, delta: expect.closeTo(1e-7, 12) });
    expect(compareValues(1, 1.001, 1e-6)).toEqual({ equal: false, delta: expect.closeTo(0.001, 9) });
    // Absolute only: large numbers get no relative slack.
    expect(compareValues(1e12, 1e12 + 1, 1e-6).equal).toBe(false);
  });

  it('handles NaN and infinities, also spelled as text', () => {
    expect(compareValues('NaN', 'NaN', 0)).toEqual({ equal: true, delta: 0 });
    expect(compareValues(Infinity, 'Infinity', 0).equal).toBe(true);
    expect(compareValues('-Infinity', 'Infinity', 1e9)).toEqual({ equal: false, delta: Infinity });
    expect(compareValues('NaN', 1, 1e9)).toEqual({ equal: false, delta: Infinity });
  });

  it('compares text and logical values exactly, and a type change is a difference', () => {
    expect(compareValues('a', 'a', 0).equal).toBe(true);
    expect(compareValues('a', 'A', 1).equal).toBe(false);
    expect(compareValues(true, 1, 1)).toEqual({ equal: false, delta: null });
    expect(compareValues('1', 1, 1)).toEqual({ equal: false, delta: null });
    expect(compareValues(null, 0, 1)).toEqual({ equal: false, delta: null });
    expect(compareValues(null, null, 0).equal).toBe(true);
  });

  it('compares vectors and lists element by element', () => {
    expect(compareValues([1, 2, 3], [1, 2.5, 3], 0.1)).toEqual({ equal: false, delta: 0.5 });
    expect(compareValues([1, 2], [1, 2, 3], 1).equal).toBe(false);
    expect(compareValues({ x: [1], y: 'a' }, { x: [1.0000001], y: 'a' }, 1e-6).equal).toBe(true);
    expect(compareValues({ x: 1 }, { x: 1, y: 2 }, 1)).toEqual({ equal: false, delta: null });
    expect(compareValues([1, 'a'], [2, 'b'], 0)).toEqual({ equal: false, delta: null });
  });
});

describe('diffExecutions', () => {
  const A = [ok({ root: 2 }), failed('value must not be negative'), ok({ root: 1 }), ok({ root: 1.5, note: 'x' }), failed('boom'), ok({ root: 3 })];
  const B = [ok({ root: 1.41421356 }), ok({ root: 0 }), ok({ root: 1 + 1e-9 }), ok({ root: 1.41421356 }), failed('boom again'), ok({ root: 3 })];

  it('of an execution with itself: all equal, failures in both', () => {
    const s = diffExecutions(side(A), side(A));
    expect(s.equal).toBe(true);
    expect(s.counts).toMatchObject({ equal: 4, different: 0, failedInOne: 0, failedInBoth: 2 });
    expect(unequalIndices(s.verdicts)).toEqual([1, 4]);
  });

  it('names the indices that differ, the failures on one side, and per output its largest differences', () => {
    const s = diffExecutions(side(A), side(B), { outputOrder: ['root'] });
    expect(s.equal).toBe(false);
    expect(s.counts).toEqual({ equal: 2, different: 2, failedInOne: 1, failedInA: 1, failedInB: 0, failedInBoth: 1, unfinished: 0, onlyInOne: 0 });
    expect(indicesOf(s.verdicts, 'different')).toEqual([0, 3]);
    expect(indicesOf(s.verdicts, 'failedInA')).toEqual([1]);
    expect(indicesOf(s.verdicts, 'failedInBoth')).toEqual([4]);
    const [root, note] = s.outputs;
    expect(root).toMatchObject({ name: 'root', different: 2, missingInA: 0, missingInB: 0 });
    expect(root.maxDelta).toBeCloseTo(2 - 1.41421356, 8);
    expect(root.largest.map((d) => d.index)).toEqual([0, 3]);
    expect(root.largest[0]).toMatchObject({ a: 2, b: 1.41421356 });
    // An output on one side only: a difference without a numeric size, ranked first.
    expect(note).toMatchObject({ name: 'note', different: 1, missingInB: 1, maxDelta: null, largest: [{ index: 3, a: 'x', b: null, delta: null }] });
  });

  it('counts a record that has not finished on a side as unfinished, never as equal', () => {
    const running = [ok({ root: 2 }), { state: 'Running', success: true, errorMessage: '' }, null, ok({ root: 1.5 }), failed('boom'), ok({ root: 3 })];
    const s = diffExecutions(side(A), side(running, 'InProgress'));
    expect(indicesOf(s.verdicts, 'unfinished')).toEqual([1, 2]);
    expect(s.equal).toBe(false);
  });

  it('refuses executions of different sizes, and with allowSizeMismatch compares the common prefix', () => {
    expect(() => diffExecutions(side(A), side(A.slice(0, 4)))).toThrow(DiffSizeError);
    expect(() => diffExecutions(side(A), side(A.slice(0, 4)))).toThrow(/first has 6 records, the second 4.*--allow-size-mismatch compares the first 4 and counts the other 2/);
    const s = diffExecutions(side(A.slice(0, 4)), side(A), { allowSizeMismatch: true });
    expect(s.compared).toBe(4);
    expect(s.counts.onlyInOne).toBe(2);
    expect(indicesOf(s.verdicts, 'onlyInB')).toEqual([4, 5]);
    expect(s.equal).toBe(false);
  });

  it('keeps only the few largest differences per output, and cuts long values', () => {
    const many = Array.from({ length: 50 }, (_, i) => ok({ v: i, text: 'x'.repeat(1000) }));
    const other = Array.from({ length: 50 }, (_, i) => ok({ v: i + (i % 7) / 8, text: i === 9 ? 'y'.repeat(1000) : 'x'.repeat(1000) }));
    const s = diffExecutions(side(many), side(other), { top: 3 });
    const v = s.outputs.find((o) => o.name === 'v')!;
    expect(v.largest.map((d) => d.index)).toEqual([6, 13, 20]);
    const text = s.outputs.find((o) => o.name === 'text')!.largest[0];
    expect(text.index).toBe(9);
    expect(String(text.a)).toHaveLength(MAX_VALUE_CHARS + 1);
  });

  it('reads a parsed (not scanned) poll the same way', () => {
    const poll = decodePoll({ state: 'Complete', totalItemCount: 6, completedItemCount: 6, batchExecutionResults: B });
    const s = diffExecutions(side(A), sideOfPoll(poll));
    expect(indicesOf(s.verdicts, 'different')).toEqual([0, 3]);
  });

  it('shows one index side by side', () => {
    const c = compareIndex(side(A), side(B), 1, 1e-6);
    expect(c.verdict).toBe('failedInA');
    expect(c.a).toMatchObject({ state: 'Failed', error: 'value must not be negative' });
    expect(c.b).toMatchObject({ state: 'Complete', outputs: { root: 0 } });
    expect(c.outputs).toEqual([{ name: 'root', inA: false, inB: true, a: undefined, b: 0, equal: false, delta: null }]);
    expect(compareIndex(side(A), side(A.slice(0, 2)), 4, 0)).toMatchObject({ verdict: 'onlyInA', b: { state: 'none' } });
  });
});

describe('outputs compared as text first', () => {
  const range = (json: string) => {
    const t = Buffer.from(json);
    const r = outputsRange(t);
    return r && t.toString('utf8', r[0], r[1]);
  };

  it('finds the outputs of the element itself, never a key inside a string or a nested object', () => {
    expect(range('{"success":true,"outputParameters":{"x":[1,{"y":2}]},"index":3}')).toBe('{"x":[1,{"y":2}]}');
    expect(range('{"consoleOutput":"\\"outputParameters\\": 1","outputParameters":{"x":1}}')).toBe('{"x":1}');
    // Spaced out, or not an object: parsed.
    expect(range('{"outputParameters": {"x":1}}')).toBeUndefined();
    expect(range('{"outputParameters":null}')).toBeUndefined();
    // A brace in a string before it: not certain without a scan, so parsed.
    expect(range('{"consoleOutput":"{","outputParameters":{"x":1}}')).toBeUndefined();
    // Not certain: a nested object before it, the key twice, none at all.
    expect(range('{"outputFiles":{"outputParameters":{"x":1}},"outputParameters":{"x":2}}')).toBeUndefined();
    expect(range('{"outputParameters":{"x":1},"outputParameters":{"x":2}}')).toBeUndefined();
    expect(range('{"OutputParameters":{"x":1}}')).toBeUndefined();
  });

  it('takes the same text as equal without parsing, and parses whatever is not certain', () => {
    const el = (outputs: string, extra = '') => `{"success":true,${extra}"outputParameters":${outputs},"state":"Complete","endTime":"${Math.random()}"}`;
    const body = (els: string[]) => Buffer.from(`{"state":"Complete","totalItemCount":${els.length},"completedItemCount":${els.length},"batchExecutionResults":[${els.join(',')}]}`);
    const a = [el('{"v":1}'), el('{"v":1}', '"outputFiles":{"outputParameters":{"v":1}},'), el('{"v":1.0}'), el('{"v":1}')];
    const b = [el('{"v":1}'), el('{"v":2}', '"outputFiles":{"outputParameters":{"v":1}},'), el('{"v":1}'), el('{"v":1.5}')];
    const s = diffExecutions(sideOfPoll(scanPoll(body(a))!), sideOfPoll(scanPoll(body(b))!));
    expect(indicesOf(s.verdicts, 'different')).toEqual([1, 3]);
    expect(s.counts.equal).toBe(2);
  });
});

describe('diff text', () => {
  it('shows values short and safe: control and bidi characters escaped, long values cut', async () => {
    const { valueText, differenceText, ASCII_GLYPHS } = await import('../../src/report/diff-text.js');
    expect(valueText('\u001b[2Jx\u202e')).toBe('"\\u001b[2Jx\\u202e"');
    expect(valueText(undefined)).toBe('(missing)');
    expect(valueText(Math.PI)).toBe('3.14159');
    expect(valueText('y'.repeat(100))).toHaveLength(24);
    expect(differenceText({ index: 7, a: 1.5, b: Math.SQRT2, delta: 1.5 - Math.SQRT2 })).toBe('7: 1.5 → 1.41421 (Δ 0.0858)');
    expect(differenceText({ index: 2, a: 'a', b: true, delta: null }, ASCII_GLYPHS)).toBe('2: "a" -> true');
    expect(differenceText({ index: 3, a: 1, b: 2, delta: 1 }, ASCII_GLYPHS)).toBe('3: 1 -> 2 (diff 1)');
  });
});
