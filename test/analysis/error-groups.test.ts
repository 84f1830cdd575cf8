import { describe, expect, it } from 'vitest';
import { MaskCache } from '../../src/analysis/error-masks.js';
import { ErrorGrouper, groupErrors, groupIndices, maskMessage, MAX_SAMPLE_CHARS, NO_MESSAGE } from '../../src/analysis/error-groups.js';
import { arraySource } from '../../src/client/result-source.js';
import { ITEM_CODE } from '../../src/protocol.js';

const F = ITEM_CODE.Failed;
const C = ITEM_CODE.Complete;
const failed = (errorMessage: string) => ({ success: false, errorMessage });

describe('maskMessage', () => {
  it.each([
    ['value must not be negative, got -3 (record id 17)', 'value must not be negative, got <num> (record id <num>)'],
    ['value must not be negative, got -0.5 (record id 902)', 'value must not be negative, got <num> (record id <num>)'],
    ["can't open '/tmp/x/y.csv': No such file", "can't open <str>: No such file"],
    ['File "/usr/lib/python3/x.py", line 12, in <module>', 'File <str>, line <num>, in <module>'],
    ['execution 5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f failed at 2024-01-02T10:00:00Z', 'execution <id> failed at <time>'],
    ['object at 0x7f3a2b1c not found; sha deadbeef12345678', 'object at <hex> not found; sha <hex>'],
    ['timeout after 30s connecting to http://host:8080/api/x', 'timeout after <num>s connecting to <url>'],
    ['cannot read /var/data/in.csv or C:\\Users\\bob\\data.csv or src/foo/bar.py', 'cannot read <path> or <path> or <path>'],
    ['utf8 in col2 of model v1.2 and 1,000 rows', 'utf8 in col2 of model v1.2 and <num> rows'],
    ['input value must be a number, got "abc"', 'input value must be a number, got <str>'],
    ['  spaced\t  out  ', 'spaced out'],
  ])('%s', (message, pattern) => {
    expect(maskMessage(message)).toBe(pattern);
  });
});

describe('MaskCache', () => {
  it('gives what maskMessage gives, also for digits a pattern keeps', () => {
    const cache = new MaskCache();
    const messages = ['got 17 in col2', 'got 18 in col3', 'id 5b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f', 'id 6b1c7d2e-8f3a-4c1b-9e2d-0a1b2c3d4e5f', 'at 2024-01-02', 'at 2025-11-12'];
    for (const m of messages) expect(cache.mask(m)).toBe(maskMessage(m));
    expect(cache.mask('got 99 in col7')).toBe('got <num> in col7');
  });
});

describe('groupErrors', () => {
  const messages = [
    null, // 0 complete
    'value must not be negative, got -3 (record id 1)',
    'KeyError: "hp"',
    'value must not be negative, got -7 (record id 3)',
    '',
    'KeyError: "wt"',
    'value must not be negative, got -1 (record id 6)',
    'KeyError: "x"',
  ];
  const states = Uint8Array.from(messages.map((m) => (m === null ? C : F)));
  const results = arraySource(messages.map((m) => (m === null ? { success: true } : failed(m))));

  it('orders groups by count, then first index, numbers them from 1 and gives share, indices and a sample', () => {
    const { failed: n, groups } = groupErrors(states, results);
    expect(n).toBe(7);
    expect(groups.map((g) => [g.number, g.pattern, g.count, g.indices])).toEqual([
      [1, 'value must not be negative, got <num> (record id <num>)', 3, [1, 3, 6]],
      [2, 'KeyError: <str>', 3, [2, 5, 7]],
      [3, NO_MESSAGE, 1, [4]],
    ]);
    expect(groups[0].share).toBeCloseTo(3 / 7);
    expect(groups[0].sample).toBe('value must not be negative, got -3 (record id 1)');
    expect(groups[1].first).toEqual([2, 5, 7]);
    expect(groupIndices({ failed: n, groups }, 2)).toEqual([2, 5, 7]);
    expect(groupIndices({ failed: n, groups }, 4)).toBeUndefined();
  });

  it('makes the sample safe for a terminal, keeps its lines and bounds it', () => {
    const long = `boom \x1b[2J\nline two ${'x'.repeat(MAX_SAMPLE_CHARS)}`;
    const { groups } = groupErrors(Uint8Array.of(F), arraySource([failed(long)]));
    expect(groups[0].sample).toContain('boom \\u001b[2J\nline two');
    expect(groups[0].sample).toMatch(/… \(\d+ more characters\)$/);
    expect(groups[0].pattern).not.toContain('\x1b');
    expect(groups[0].pattern).not.toContain('\n');
  });

  it('reads errorMessage in any casing', () => {
    const { groups } = groupErrors(Uint8Array.of(F), arraySource([{ Success: false, ErrorMessage: 'bad 1' }]));
    expect(groups[0].pattern).toBe('bad <num>');
  });
});

describe('ErrorGrouper', () => {
  it('reads only indices whose state changed, and follows the first index when it leaves', () => {
    const raw: unknown[] = [failed('a 1'), null, null, failed('b 2')];
    let reads = 0;
    const source = { length: 4, present: (i: number) => raw[i] != null, raw: (i: number) => (reads++, raw[i]) };
    const g = new ErrorGrouper();
    let states = Uint8Array.of(F, 0, 0, F);
    expect(g.update(states, source)).toBe(true);
    expect(reads).toBe(2);
    expect(g.update(states, source)).toBe(false); // the same array: nothing read
    raw[2] = failed('a 3');
    states = Uint8Array.of(F, 1, F, F);
    g.update(states, source);
    expect(reads).toBe(3);
    expect(g.groups.groups.map((x) => [x.number, x.pattern, x.indices])).toEqual([[1, 'a <num>', [0, 2]], [2, 'b <num>', [3]]]);
    // Index 0 stops being failed: the group's sample becomes index 2's message.
    states = Uint8Array.of(C, 1, F, F);
    g.update(states, source);
    const first = g.groups.groups[0];
    expect([first.indices, first.sample, g.groups.failed]).toEqual([[2], 'a 3', 2]);
    // A tie in count: the group with the lower first index comes first.
    expect(g.groups.groups.map((x) => x.pattern)).toEqual(['a <num>', 'b <num>']);
  });

  it('keeps indices sorted when failures arrive out of order, and hands out copies', () => {
    const g = new ErrorGrouper();
    const raw = Array.from({ length: 6 }, (_, i) => failed(`e ${i}`));
    g.update(Uint8Array.of(0, 0, 0, F, 0, F), arraySource(raw));
    const before = g.groups.groups[0].indices;
    g.update(Uint8Array.of(F, 0, F, F, 0, F), arraySource(raw));
    expect(g.groups.groups[0].indices).toEqual([0, 2, 3, 5]);
    expect(g.groups.groups[0].sample).toBe('e 0');
    expect(before).toEqual([3, 5]);
  });
});
