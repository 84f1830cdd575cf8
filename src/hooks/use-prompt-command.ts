/** What the `:` prompt takes besides an index: `ctx` lists the contexts, `ctx NAME` switches to one. */
import { useCallback } from 'react';
import { useActions } from '../actions.js';
import { assertNever } from '../protocol.js';
import { useAppStore } from '../store/hooks.js';

/** A line typed at the `:` prompt, read. */
export type PromptCommand =
  | { kind: 'empty' }
  | { kind: 'index'; index: number }
  | { kind: 'contexts' }
  | { kind: 'switch'; name: string }
  | { kind: 'unknown'; text: string };

const CONTEXT_WORDS = new Set(['ctx', 'context', 'contexts']);

/** Reads `215`, `ctx`, `ctx prod` (also `context`, `contexts`); anything else is unknown. */
export function parsePromptCommand(text: string): PromptCommand {
  const line = text.trim();
  if (line === '') return { kind: 'empty' };
  if (/^\d+$/.test(line)) return { kind: 'index', index: Number(line) };
  const [word, name, ...rest] = line.split(/\s+/);
  if (CONTEXT_WORDS.has(word.toLowerCase()) && rest.length === 0) return name === undefined ? { kind: 'contexts' } : { kind: 'switch', name };
  return { kind: 'unknown', text: line };
}

/** What the prompt says of a line it cannot run. */
export const PROMPT_USAGE = 'ctx lists the contexts, ctx NAME switches to one';

/** Runs a command of the `:` prompt (an index is the execution screen's to jump to: elsewhere it is unknown). */
export function usePromptCommand(): (command: PromptCommand) => void {
  const store = useAppStore();
  const actions = useActions();
  return useCallback(
    (command: PromptCommand) => {
      const s = store.getState();
      switch (command.kind) {
        case 'empty':
          return;
        case 'contexts':
          if (s.stack.at(-1)?.kind !== 'contexts') s.push({ kind: 'contexts' });
          return;
        case 'switch':
          void actions.switchContext(command.name);
          return;
        case 'index':
          s.setStatus(`:${command.index} jumps to an index on an execution's screen; here ${PROMPT_USAGE}`, 'error');
          return;
        case 'unknown':
          s.setStatus(`Unknown command :${command.text}: ${PROMPT_USAGE}`, 'error');
          return;
        default:
          assertNever(command);
      }
    },
    [store, actions],
  );
}
