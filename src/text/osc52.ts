/**
 * OSC 52, the escape sequence that puts text on the clipboard of the terminal a person looks at,
 * over SSH too: `ESC ] 52 ; c ; <base64> BEL`. Inside tmux it is wrapped in tmux's passthrough
 * (`ESC P tmux; … ESC \`, each ESC of the sequence doubled), which tmux hands to the terminal
 * outside when `allow-passthrough` is on. The terminal decides whether to honour it; nothing
 * tells the program whether it did.
 */

/** The most text sent in one sequence: 100,000 base64 characters, what several terminals (hterm, Windows Terminal) take at most. */
export const OSC52_MAX_BYTES = 75_000;

const ESC = '\x1b';
const BEL = '\x07';

/** The bytes that put `text` on the clipboard; wrapped for tmux's passthrough with `tmux`. */
export function osc52(text: string, options: { tmux?: boolean } = {}): string {
  const sequence = `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
  return options.tmux ? `${ESC}Ptmux;${sequence.replaceAll(ESC, ESC + ESC)}${ESC}\\` : sequence;
}
