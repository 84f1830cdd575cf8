/** The status line: the last message or error; errors show here and never crash the app. */
import { memo } from 'react';
import { Text } from 'ink';
import { useApp } from '../store/hooks.js';
import { cut, wrapText } from '../views/format.js';
import { safeText } from '../text/safe-text.js';
import { appAdvice } from '../views/app-advice.js';

/** Props of StatusLine. */
export interface StatusLineProps {
  width: number;
  /** Rows it always takes; a longer message wraps into them (forms, where errors name a file, line and column). */
  rows?: number;
}

const REQUEST = / from (GET|POST|PUT|DELETE|PATCH) \/\S+?(?=:? )/g;
const LONG_PATH = /(?<![\w.])\/(?:[\w.-]+\/){2,}([\w.-]+)/g;

/**
 * A message made to fit `cells`: first the request path it names goes (`404 Not Found from DELETE
 * /api/…/batch/10458b2b-…: no such execution` keeps status and reason), then long paths keep
 * only their last part; the reason, at the end, is what must stay.
 */
export function shortenMessage(text: string, cells: number): string {
  if (text.length <= cells) return text;
  const noRequest = text.replace(REQUEST, '');
  if (noRequest.length <= cells) return noRequest;
  return noRequest.replace(LONG_PATH, '…/$1');
}

/** The message as exactly `rows` lines of at most `width`; what does not fit ends in `…`. */
export function statusLines(text: string, width: number, rows = 1): string[] {
  const w = Math.max(1, width);
  const flat = shortenMessage(appAdvice(safeText(text, { multiline: true })), w * rows);
  const wrapped = rows <= 1 ? [cut(flat, w)] : wrapText(flat, w);
  const out = wrapped.slice(0, Math.max(1, rows));
  if (wrapped.length > out.length) out[out.length - 1] = cut(`${out[out.length - 1]} ${wrapped.slice(out.length).join(' ')}`, w);
  while (out.length < rows) out.push('');
  return out;
}

/** One line (or `rows`), red for errors. */
export const StatusLine = memo(function StatusLine({ width, rows = 1 }: StatusLineProps) {
  const text = useApp((s) => s.status?.text ?? '');
  const level = useApp((s) => s.status?.level ?? 'info');
  return (
    <>
      {statusLines(text, width, rows).map((line, i) => (
        <Text key={i} color={level === 'error' ? 'red' : undefined} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </>
  );
});
