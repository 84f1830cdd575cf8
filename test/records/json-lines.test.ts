import { describe, expect, it } from 'vitest';
import { addJsonLines } from '../../src/records/json-lines.js';

describe('addJsonLines', () => {
  it('finds values of an array of records, past strings holding brackets, commas and escaped quotes', () => {
    const text = '[\n {"a": "x\\"[,{", "b": 1},\n {"b": [1,\n  2], "a": "}"},\n {}\n]';
    const problems: { record?: number; column?: string; line?: number }[] = [
      { record: 0, column: 'b' }, { record: 1, column: 'a' }, { record: 2, column: 'a' }, { record: 1 }, { column: 'a' }, { record: 0, line: 9 },
    ];
    addJsonLines(text, problems);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5, 3, undefined, 9]);
  });

  it('finds values of an object of columns', () => {
    const text = '{"a": [1,\n 2],\n "b\\u0041": [true,\n null]}';
    const problems: { record: number; column: string; line?: number }[] = [{ record: 1, column: 'a' }, { record: 1, column: 'bA' }, { record: 0, column: 'bA' }];
    addJsonLines(text, problems);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 3]);
  });
});
