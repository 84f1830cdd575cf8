/** What the status line says of a copy: the text copied (shortened), or, where it cannot be copied, the text itself. */
import { OSC52_MAX_BYTES } from '../text/osc52.js';
import { safeText } from '../text/safe-text.js';
import { cutCells } from '../text/cells.js';
import { formatBytes } from '../text/units.js';
import type { ClipboardReach } from './types.js';

/** Cells of copied text the status line repeats (an execution id is 36). */
const SHOWN_CELLS = 40;

/** The status line after copying `text` (`what` names it: `execution id`), and whether it is sent to the terminal. */
export function copyOutcome(text: string, what: string, reach: ClipboardReach): { status: string; level: 'info' | 'error'; send: boolean } {
  // One line, control characters visible: the text may come from a server.
  const shown = safeText(text);
  // Wider than any status line: what is cut is what no row could show.
  if (!reach.osc52) return { status: `Cannot copy here (${reach.why}); select it: ${cutCells(shown, 1000)}`, level: 'info', send: false };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > OSC52_MAX_BYTES) {
    return { status: `Not copied: ${what} is ${formatBytes(bytes)}, more than a terminal takes (${formatBytes(OSC52_MAX_BYTES)})`, level: 'error', send: false };
  }
  return { status: `Copied ${what}: ${cutCells(shown, SHOWN_CELLS)}`, level: 'info', send: true };
}
