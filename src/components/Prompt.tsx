/** A one-line prompt over the hint bar (`:` jump to index, `/` filter by name). */
import { useCallback } from 'react';
import { Text, type Key } from 'ink';
import type { CommandId } from '../keys.js';
import { useApp, useAppStore } from '../store/hooks.js';
import { editField } from '../hooks/use-form.js';
import { useKeys } from '../hooks/use-keys.js';

/** Props of Prompt. */
export interface PromptProps {
  label: string;
  /** Keeps only characters this accepts (digits for a jump). */
  accept: (ch: string) => boolean;
  onSubmit: (text: string) => void;
  /** Esc: what the text was when the prompt was closed without Enter. */
  onCancel?: (text: string) => void;
}

/** `:123█`: typed text edits the overlay's text; Enter submits, Esc closes. */
export function Prompt({ label, accept, onSubmit, onCancel }: PromptProps) {
  const store = useAppStore();
  const text = useApp((s) => (s.overlay.kind === 'prompt' ? s.overlay.text : ''));
  const onCommand = useCallback(
    (id: CommandId) => {
      const o = store.getState().overlay;
      const value = o.kind === 'prompt' ? o.text : '';
      store.getState().setOverlay({ kind: 'none' });
      if (id === 'submit') onSubmit(value);
      else onCancel?.(value);
    },
    [store, onSubmit, onCancel],
  );
  const onText = useCallback(
    (input: string, key: Key) => {
      const o = store.getState().overlay;
      if (o.kind !== 'prompt') return;
      // A prompt's cursor stays at the end of its text.
      const { value: text } = editField({ value: o.text, cursor: [...o.text].length }, input, key, { accept, max: 64 });
      if (text !== o.text) store.getState().setOverlay({ ...o, text });
    },
    [store, accept],
  );
  useKeys('prompt', true, { onCommand, onText });
  return <Text wrap="truncate">{`${label}${text}█`}</Text>;
}
