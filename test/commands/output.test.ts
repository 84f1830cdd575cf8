/** Progress output: one line per change without a TTY (never a redraw), one rewritten line with one. */
import { describe, expect, it } from 'vitest';
import { ProgressWriter } from '../../src/commands/output.js';

function writer(tty: boolean) {
  let text = '';
  const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { progress: new ProgressWriter(stream, tty), text: () => text };
}

describe('ProgressWriter', () => {
  it('without a TTY writes whole lines, only when the key changes', () => {
    const { progress, text } = writer(false);
    progress.update('InProgress 1/3 done 2.0/s ETA 1s', 'a');
    progress.update('InProgress 1/3 done 1.0/s ETA 2s', 'a');
    progress.update('InProgress 2/3 done', 'b');
    progress.update('InProgress 2/3 done');
    progress.update('InProgress 2/3 done');
    progress.finish();
    expect(text()).toBe('InProgress 1/3 done 2.0/s ETA 1s\nInProgress 2/3 done\nInProgress 2/3 done\n');
    expect(text()).not.toContain('\r');
  });

  it('on a TTY rewrites one line and ends it when finished', () => {
    const { progress, text } = writer(true);
    progress.update('one');
    progress.update('two');
    progress.finish();
    expect(text()).toBe('\r\x1b[Kone\r\x1b[Ktwo\n');
  });
});
