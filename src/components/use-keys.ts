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

/** Subscribes a context's handlers while `active`; the handler is memoised on its inputs. */
export function useKeys(context: KeyContext, active: boolean, { onCommand, onText }: KeyHandlers): void {
  const { isRawModeSupported } = useStdin();
  const readonly = useApp((s) => s.readonly);
  const handler = useCallback(
    (input: string, key: Key) => {
      // Keys typed fast (or over a slow link) arrive as one chunk: "jjl" is three presses.
      const presses = input.length > 1 && !key.ctrl && !key.meta && !key.escape ? [...input] : [input];
      for (const one of presses) {
        const id = matchCommand(context, one, key, { readonly });
        if (id) onCommand(id);
        else onText?.(one, key);
      }
    },
    [context, readonly, onCommand, onText],
  );
  useInput(handler, { isActive: Boolean(isRawModeSupported) && active });
}
