/** Form state kept in a ref (so keys of one chunk see each other's edits) plus a re-render. */
import { useCallback, useRef, useState } from 'react';
import type { Key } from 'ink';

/** What a field takes: which characters, and how many. */
export interface FieldRule {
  accept?: (ch: string) => boolean;
  max?: number;
}

/** A field's text and its cursor, in characters (code points) from the start. */
export interface FieldText {
  value: string;
  cursor: number;
}

/**
 * Applies one key to a field: printable text goes in at the cursor, ← and → (Home, End) move
 * it, Backspace deletes the character before it (ink 6.8 reads Backspace and Delete alike).
 * Ctrl and Alt combinations are no text: they change nothing.
 */
export function editField({ value, cursor }: FieldText, input: string, key: Key, rule: FieldRule = {}): FieldText {
  const chars = [...value];
  const at = Math.max(0, Math.min(cursor, chars.length));
  if (key.leftArrow) return { value, cursor: Math.max(0, at - 1) };
  if (key.rightArrow) return { value, cursor: Math.min(chars.length, at + 1) };
  if (key.home) return { value, cursor: 0 };
  if (key.end) return { value, cursor: chars.length };
  if (key.backspace || key.delete) {
    if (at === 0) return { value, cursor: at };
    chars.splice(at - 1, 1);
    return { value: chars.join(''), cursor: at - 1 };
  }
  if (key.ctrl || key.meta) return { value, cursor: at };
  // eslint-disable-next-line no-control-regex
  const add = [...input].filter((ch) => !/[\x00-\x1f\x7f-\x9f]/.test(ch) && (rule.accept?.(ch) ?? true));
  const room = Math.max(0, (rule.max ?? 4096) - chars.length);
  const typed = add.slice(0, room);
  chars.splice(at, 0, ...typed);
  return { value: chars.join(''), cursor: at + typed.length };
}

const NO_RULES = {};

/** A form's values, the focused field and its cursor, and editing helpers that are always up to date. */
export function useForm<T extends Record<string, string>>(
  initial: T,
  fields: readonly (keyof T)[],
  startAt = 0,
  rules: Partial<Record<keyof T, FieldRule>> = NO_RULES,
) {
  // Each field's cursor starts at its end, where typing goes on.
  const ref = useRef({ values: initial, field: startAt, cursors: Object.fromEntries(fields.map((f) => [f, [...initial[f]].length])) as Record<keyof T, number> });
  const [, bump] = useState(0);
  const set = useCallback((next: typeof ref.current) => {
    ref.current = next;
    bump((n) => n + 1);
  }, []);
  const edit = useCallback(
    (fn: (value: string, name: keyof T) => string) => {
      const { values, field, cursors } = ref.current;
      const name = fields[field];
      const value = fn(values[name], name);
      set({ values: { ...values, [name]: value }, field, cursors: { ...cursors, [name]: [...value].length } });
    },
    [fields, set],
  );
  const type = useCallback(
    (input: string, key: Key) => {
      const { values, field, cursors } = ref.current;
      const name = fields[field];
      const next = editField({ value: values[name], cursor: cursors[name] }, input, key, rules[name]);
      if (next.value === values[name] && next.cursor === cursors[name]) return;
      set({ values: { ...values, [name]: next.value }, field, cursors: { ...cursors, [name]: next.cursor } });
    },
    [fields, rules, set],
  );
  const focus = useCallback((field: number) => set({ ...ref.current, field: (field + fields.length) % fields.length }), [fields, set]);
  const get = useCallback(() => ref.current, []);
  const { values, field, cursors } = ref.current;
  return { values, field, cursor: cursors[fields[field]], edit, type, focus, get };
}
