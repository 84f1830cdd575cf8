/** One labelled text field of a form (connect, compose); the focused one shows a block cursor. */
import { memo } from 'react';
import { Text } from 'ink';

/** Props of FormField. */
export interface FormFieldProps {
  label: string;
  value: string;
  focused: boolean;
  /** Shows one `*` per character (passwords). */
  mask?: boolean;
  width: number;
}

/** `host      http://127.0.0.1:12800█`, the label padded to ten columns. */
export const FormField = memo(function FormField({ label, value, focused, mask, width }: FormFieldProps) {
  const shown = mask ? '*'.repeat(value.length) : value;
  const room = Math.max(1, width - 12);
  const tail = shown.length > room ? '…' + shown.slice(shown.length - room + 1) : shown;
  return (
    <Text wrap="truncate" bold={focused}>
      {`${focused ? '>' : ' '} ${label.padEnd(10)}${tail}${focused ? '█' : ''}`}
    </Text>
  );
});

/** Applies one typed key to a field's text: printable characters append, backspace deletes. */
export function editText(value: string, input: string, backspace: boolean, accept: (ch: string) => boolean = () => true): string {
  if (backspace) return value.slice(0, -1);
  // eslint-disable-next-line no-control-regex
  const add = [...input].filter((ch) => !/[\x00-\x1f\x7f]/.test(ch) && accept(ch)).join('');
  return (value + add).slice(0, 4096);
}
