/** One labelled text field of a form (connect, compose); the focused one shows its cursor. */
import { memo } from 'react';
import { Text } from 'ink';
import { INVERSE, NO_INVERSE } from '../text/ansi.js';

/** Props of FormField. */
export interface FormFieldProps {
  label: string;
  value: string;
  focused: boolean;
  /** Where the cursor stands, in characters from the start (the end when left out). */
  cursor?: number;
  /** Shows one `*` per character (passwords). */
  mask?: boolean;
  width: number;
}

/**
 * The text as shown in `room` cells with its cursor: a block `█` after the last character, or
 * the character under it in inverse video (kept without colour: NO_COLOR must not hide it).
 * A text longer than the room shows the part around the cursor, `…` where it is cut.
 */
export function fieldText(shown: string, cursor: number | null, room: number): string {
  const chars = [...shown];
  const at = cursor === null ? chars.length : Math.max(0, Math.min(cursor, chars.length));
  const cells = room - (cursor !== null && at === chars.length ? 1 : 0);
  let start = 0;
  let end = chars.length;
  if (chars.length > cells) {
    // Keep the cursor in view, as far right as it can stand.
    end = Math.min(chars.length, Math.max(at + (at < chars.length ? 1 : 0), cells));
    start = Math.max(0, end - cells);
  }
  const out: string[] = chars.slice(start, end);
  if (start > 0) out[0] = '…';
  if (end < chars.length) out[out.length - 1] = '…';
  if (cursor === null) return out.join('');
  if (at === chars.length) return out.join('') + '█';
  const i = at - start;
  out[i] = `${INVERSE}${chars[at]}${NO_INVERSE}`;
  return out.join('');
}

/** `host      http://127.0.0.1:12800█`, the label padded to ten columns. */
export const FormField = memo(function FormField({ label, value, focused, cursor, mask, width }: FormFieldProps) {
  const shown = mask ? '*'.repeat([...value].length) : value;
  const room = Math.max(2, width - 12);
  return (
    <Text wrap="truncate" bold={focused}>
      {`${focused ? '>' : ' '} ${label.padEnd(10)}${fieldText(shown, focused ? (cursor ?? [...value].length) : null, room)}`}
    </Text>
  );
});
