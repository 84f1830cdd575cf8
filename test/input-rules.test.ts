/** The input rules of protocol.ts, which the records reader and the embedded server both apply. */
import { describe, expect, it } from 'vitest';
import {
  checkInput, jsonValueOf, MAX_INPUT_DEPTH, OutOfRangeNumber, parseJson, valueProblem, type ParameterType,
} from '../src/protocol.js';
import { coerceValue } from '../src/records/coerce.js';

const taken = (type: ParameterType, value: unknown) => {
  const c = checkInput(type, value);
  if (!c.ok) throw new Error(`${type} ${JSON.stringify(value)} refused: ${c.problem}`);
  return c.value;
};
const refusal = (type: ParameterType, value: unknown) => {
  const c = checkInput(type, value);
  return c.ok ? `taken as ${JSON.stringify(c.value)}` : c.problem;
};
const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)]);

describe('what a value of each parameter type is', () => {
  it('numeric and integer: numbers or decimal text; an integer whole and safe', () => {
    expect(['1.5', ' -2e3 ', '.5', 7].map((v) => taken('numeric', v))).toEqual([1.5, -2000, 0.5, 7]);
    expect(['4', '4.0', '1e3', -9007199254740991].map((v) => taken('integer', v))).toEqual([4, 4, 1000, -9007199254740991]);
    expect(refusal('numeric', '0x1A')).toBe('must be numeric (a number), got "0x1A"');
    expect(refusal('numeric', '1e999')).toBe('must be numeric (a number), got "1e999"');
    expect(refusal('numeric', true)).toBe('must be numeric (a number), got true');
    expect(refusal('integer', 2.5)).toBe('must be integer (a whole number), got 2.5');
    // 9007199254740993 has no double of its own: JSON gives 9007199254740992, which is refused too.
    expect(refusal('integer', 9007199254740992)).toBe('must be integer (a whole number within ±9007199254740991), got 9007199254740992');
    expect(refusal('integer', '9007199254740993')).toBe('must be integer (a whole number within ±9007199254740991), got "9007199254740993"');
  });

  it('logical, character and vector', () => {
    expect([true, 0, 1, 'TRUE', ' f ', 'yes', 'N', '0'].map((v) => taken('logical', v))).toEqual([true, false, true, true, false, true, false, false]);
    expect(refusal('logical', 'maybe')).toBe('must be logical (true or false), got "maybe"');
    expect([' a ', 12, false].map((v) => taken('character', v))).toEqual([' a ', '12', 'false']);
    expect(refusal('character', { nested: true })).toBe('must be character (a string), got {"nested":true}');
    expect(taken('vector', [1, 'a'])).toEqual([1, 'a']);
    expect(refusal('vector', 'not an array')).toBe('must be vector (a JSON array), got "not an array"');
  });

  it('matrix: an array of equal-length arrays; data.frame: an object of equal-length column arrays', () => {
    expect(taken('matrix', [[1, 2], [3, 4]])).toEqual([[1, 2], [3, 4]]);
    expect(taken('matrix', [])).toEqual([]);
    expect(refusal('matrix', [[1, 2], [3, 4], [5]])).toBe('must be matrix (an array of equal-length arrays), but row 2 has 1 value and row 0 has 2');
    expect(refusal('matrix', [[1], 2])).toBe('must be matrix (an array of equal-length arrays), got [[1],2]');
    expect(taken('data.frame', { a: [1, 2], b: ['x', 'y'] })).toEqual({ a: [1, 2], b: ['x', 'y'] });
    expect(taken('data.frame', {})).toEqual({});
    expect(refusal('data.frame', { a: [1, 2], 'b\u001b': [] }))
      .toBe('must be data.frame (an object of equal-length column arrays), but column "b\\u001b" has 0 values and column "a" has 2');
    expect(refusal('data.frame', [[1]])).toBe('must be data.frame (an object of equal-length column arrays), got [[1]]');
  });

  it('null is NA, taken as it is', () => {
    expect(checkInput('numeric', null)).toEqual({ ok: true, value: null });
  });
});

describe('what no value may be, whatever its type', () => {
  it(`nested more than ${MAX_INPUT_DEPTH} levels, however deep, without overflowing the stack`, () => {
    expect(valueProblem(nest(MAX_INPUT_DEPTH))).toBeUndefined();
    const tooDeep = `is nested more than ${MAX_INPUT_DEPTH} levels deep (arrays or objects within each other)`;
    expect(valueProblem(nest(MAX_INPUT_DEPTH + 1))).toBe(tooDeep);
    expect(valueProblem({ a: [nest(MAX_INPUT_DEPTH)] })).toBe(tooDeep);
    expect(valueProblem([[1]], 1)).toBe('is nested more than 1 levels deep (arrays or objects within each other)');
    const huge = parseJson(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(valueProblem(huge)).toBe(tooDeep);
    expect(refusal('vector', huge)).toBe(tooDeep);
  });

  it('a number beyond a double, named as it was written', () => {
    const RANGE = 'a number out of range (numbers must be finite, within ±1.8e308)';
    expect(valueProblem(parseJson('1e999'))).toBe(`is 1e999, ${RANGE}`);
    expect(valueProblem(parseJson('{"a": [1, {"b": -1E+400}]}'))).toBe(`holds -1E+400, ${RANGE}`);
    expect(valueProblem([1, Infinity])).toBe(`holds ${RANGE}`);
    expect(refusal('numeric', parseJson('1e999'))).toBe(`is 1e999, ${RANGE}`);
    expect(valueProblem(parseJson('[1.5e308, "1e999"]'))).toBeUndefined();
  });
});

describe('JSON as the rules read it', () => {
  it('keeps out-of-range literals, leaves strings alone, and tells what is not JSON', () => {
    expect(parseJson('{"a": [1e999], "b": "x 1e999"}')).toEqual({ a: [new OutOfRangeNumber('1e999')], b: 'x 1e999' });
    expect(() => parseJson('[1,')).toThrow(SyntaxError);
    expect(jsonValueOf('[1,')).toBeUndefined();
    expect(jsonValueOf('null')).toBeNull();
  });
});

describe('a records file value goes by the same rules', () => {
  it('takes CSV cells as text, and JSON values as they are', () => {
    expect(coerceValue(' 4.0 ', 'integer', true)).toEqual({ ok: true, value: 4 });
    expect(coerceValue('[[1, 2], [3]]', 'matrix', true)).toEqual(checkInput('matrix', [[1, 2], [3]]));
    expect(coerceValue('[1, 1e999]', 'vector', true)).toEqual(checkInput('vector', [1, new OutOfRangeNumber('1e999')]));
    // Text that is not JSON is refused as the server would refuse that text.
    expect(coerceValue('1;2', 'vector', true)).toEqual(checkInput('vector', '1;2'));
    expect(coerceValue(9007199254740992, 'integer', false)).toEqual(checkInput('integer', 9007199254740992));
  });

  it('refuses an empty cell or a null value, which the server would take as NA', () => {
    expect(coerceValue(' ', 'numeric', true)).toEqual({ ok: false, problem: 'is empty; expected numeric' });
    expect(coerceValue('null', 'vector', true)).toEqual({ ok: false, problem: 'is missing; expected vector' });
    expect(coerceValue(null, 'numeric', false)).toEqual({ ok: false, problem: 'is missing; expected numeric' });
    expect(coerceValue('', 'character', true)).toEqual({ ok: true, value: '' });
  });
});
