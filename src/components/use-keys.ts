/** The one way screens receive keys: ink's useInput, matched against the command table. */
import { useCallback } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import { matchCommand, type CommandId, type KeyContext } from '../keys.js';
import { useApp } from '../store/hooks.js';

/** Handlers of one key context: commands by id, plus typed text for prompts and fields. */
export interface KeyHandlers {
  onCommand: (id: CommandId) => void;
  /** Printable input that matched no command (prompts and form fields). */
  onText?: (text: string, key: Key) => void;
}

/** One character of a chunk as the key it stands for (Enter, Tab and Backspace are control characters). */
function splitKey(ch: string, key: Key): { input: string; key: Key } {
  const base = { ...key, return: false, tab: false, backspace: false, shift: ch !== ch.toLowerCase() };
  if (ch === '\r' || ch === '\n') return { input: '', key: { ...base, return: true } };
  if (ch === '\t') return { input: '', key: { ...base, tab: true } };
  if (ch === '\x7f' || ch === '\b') return { input: '', key: { ...base, backspace: true } };
  return { input: ch, key: base };
}

/** Subscribes a context's handlers while `active`; the handler is memoised on its inputs. */
export function useKeys(context: KeyContext, active: boolean, { onCommand, onText }: KeyHandlers): void {
  const { isRawModeSupported } = useStdin();
  const readonly = useApp((s) => s.readonly);
  const handler = useCallback(
    (input: string, key: Key) => {
      // Keys typed fast (or over a slow link) arrive as one chunk: "jj\r" is three presses.
      const presses = input.length > 1 && !key.ctrl && !key.meta && !key.escape ? [...input].map((ch) => splitKey(ch, key)) : [{ input, key }];
      for (const one of presses) {
        const id = matchCommand(context, one.input, one.key, { readonly });
        if (id) onCommand(id);
        else onText?.(one.input, one.key);
      }
    },
    [context, readonly, onCommand, onText],
  );
  useInput(handler, { isActive: Boolean(isRawModeSupported) && active });
}
