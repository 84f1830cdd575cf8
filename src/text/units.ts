/** Sizes, durations and rates for people: one rule each, for the library's messages, the commands and the app. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Rounds as shown: whole bytes, tenths of the larger units. */
function shown(n: number, unit: number): number {
  return unit === 0 ? Math.round(n) : Math.round(n * 10) / 10;
}

/** `0 B`, `43 B`, `1.5 KiB`, `2 KiB`, `512 MiB`; `—` for unknown. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let n = Math.max(0, bytes);
  let unit = 0;
  // Decided on the rounded figure, so 1023.96 KiB reads 1 MiB and never "1024.0 KiB".
  while (unit < BYTE_UNITS.length - 1 && shown(n, unit) >= 1024) {
    n /= 1024;
    unit++;
  }
  const value = shown(n, unit);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/**
 * `45s`, `1m02s`, `2h03m`; under ten seconds with `fractionDigits` (e.g. `0.7s`, `0.12s`); `—` for
 * unknown. Every unit is floored, never rounded up: a clock never shows a second that has not
 * passed yet, and 59.6 s reads `59s`, not `1m00s`.
 */
export function formatDuration(ms: number | null | undefined, fractionDigits = 0): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (fractionDigits > 0 && ms < 10_000) {
    const scale = 10 ** fractionDigits;
    // Rounded to a whole number of steps first: 700 / 100 is 6.999… in binary floating point.
    const steps = Math.floor(Math.round((ms / 1000) * scale * 1e6) / 1e6);
    return `${(steps / scale).toFixed(fractionDigits)}s`;
  }
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A short rate: `31.2/s`, `0.4/s`, `1200/s`; `0/s` for none. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond) || perSecond <= 0) return '0/s';
  return perSecond >= 100 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
}

const RATE_UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3 };

/**
 * Bytes a second from text such as `500k`, `2M`, `1.5MB/s`, `512KiB` or `250000` (k, M, G are
 * thousands; Ki, Mi, Gi are 1024s); undefined when it is not one, or not above 0.
 */
export function parseByteRate(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?b?(?:\/s)?\s*$/i.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * RATE_UNITS[(m[2] ?? '').toLowerCase()];
  return Number.isFinite(value) && value >= 1 ? Math.round(value) : undefined;
}

/**
 * A number for a table cell, at most about ten characters: `0.5312`, `1200`, `-3.2e+12`,
 * `1.5e-7`; `—` for none, and `NaN`/`Infinity` as such.
 */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2025-01-31 14:05` in local time: when something happened, to the minute. */
export function localMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The same in five cells, for lists: `14:05` on the day of `now`, else `01-30` (local time). */
export function localMinuteShort(ms: number, now: number): string {
  const d = new Date(ms);
  return new Date(now).toDateString() === d.toDateString() ? `${two(d.getHours())}:${two(d.getMinutes())}` : `${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
