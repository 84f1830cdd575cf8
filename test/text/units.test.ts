/** One rule each for sizes, durations and rates, at their edges. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate } from '../../src/text/units.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [59_400, '59s'],
    // Floored, never rounded up: 59.6 s has not reached a minute.
    [59_600, '59s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [61_000, '1m01s'],
    [3_599_999, '59m59s'],
    [3_600_000, '1h00m'],
    [3_725_000, '1h02m'],
  ] as const)('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0, 1, '0.0s'],
    [740, 1, '0.7s'],
    [700, 1, '0.7s'],
    [4000, 1, '4.0s'],
    // 9.96 s would round to "10.0s"; floored it stays in tenths.
    [9_999, 1, '9.9s'],
    [10_000, 1, '10s'],
    [65_000, 1, '1m05s'],
    [120, 2, '0.12s'],
    [1_005, 2, '1.00s'],
    [12_345, 2, '12s'],
  ] as const)('%i ms with %i fraction digits is %s', (ms, digits, text) => {
    expect(formatDuration(ms, digits)).toBe(text);
  });

  it('says — for what is not known', () => {
    for (const ms of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(formatDuration(ms)).toBe('—');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [43, '43 B'],
    [43.4, '43 B'],
    [1023, '1023 B'],
    // Rounds to 1024 B: a whole KiB, not "1024 B".
    [1023.6, '1 KiB'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [2048, '2 KiB'],
    // 1023.96 KiB rounds to 1024.0 KiB: it reads as the next unit.
    [1024 * 1024 - 40, '1 MiB'],
    [3.5 * 1024 * 1024, '3.5 MiB'],
    [512 * 1024 * 1024, '512 MiB'],
    [256 * 1024 ** 3, '256 GiB'],
    [2 * 1024 ** 5, '2048 TiB'],
    [-5, '0 B'],
  ] as const)('%d bytes is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('says — for what is not known', () => {
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatRate', () => {
  it.each([
    [0, '0/s'],
    [null, '0/s'],
    [0.04, '0.0/s'],
    [0.4, '0.4/s'],
    [31.25, '31.3/s'],
    [99.9, '99.9/s'],
    [100, '100/s'],
    [1234.5, '1235/s'],
  ] as const)('%s a second is %s', (n, text) => {
    expect(formatRate(n)).toBe(text);
  });
});
