/** The `:` command line of every list screen but the execution's (whose `:` also jumps to an index). */
import { useCallback } from 'react';
import { Prompt } from './Prompt.js';
import { parsePromptCommand, usePromptCommand } from '../hooks/use-prompt-command.js';

/** Props of CommandPrompt. */
export type CommandPromptProps = Record<string, never>;

// eslint-disable-next-line no-control-regex
const printable = (ch: string) => !/[\x00-\x1f\x7f]/.test(ch);

/** `:ctx prod█`: Enter runs it (see `parsePromptCommand`), Esc closes it. */
export function CommandPrompt(_props: CommandPromptProps) {
  const run = usePromptCommand();
  const onSubmit = useCallback((text: string) => run(parsePromptCommand(text)), [run]);
  return <Prompt label=":" accept={printable} onSubmit={onSubmit} />;
}
