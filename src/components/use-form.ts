/** Form state kept in a ref (so keys of one chunk see each other's edits) plus a re-render. */
import { useCallback, useRef, useState } from 'react';

/** A form's values, the focused field, and editing helpers that are always up to date. */
export function useForm<T extends Record<string, string>>(initial: T, fields: readonly (keyof T)[], startAt = 0) {
  const ref = useRef({ values: initial, field: startAt });
  const [, bump] = useState(0);
  const set = useCallback((values: T, field: number) => {
    ref.current = { values, field };
    bump((n) => n + 1);
  }, []);
  const edit = useCallback(
    (fn: (value: string, name: keyof T) => string) => {
      const { values, field } = ref.current;
      const name = fields[field];
      set({ ...values, [name]: fn(values[name], name) }, field);
    },
    [fields, set],
  );
  const focus = useCallback((field: number) => set(ref.current.values, (field + fields.length) % fields.length), [fields, set]);
  const get = useCallback(() => ref.current, []);
  return { values: ref.current.values, field: ref.current.field, edit, focus, get };
}
