/**
 * The one command table of the app: every key the app reacts to is declared here, and the hint
 * bar and the `?` help overlay are generated from it. No key is matched anywhere else.
 */
import type { Key } from 'ink';

/** Where a command applies: a screen, or a modal layer drawn over one. */
export type KeyContext =
  | 'execution'
  | 'index'
  | 'pager'
  | 'downloads'
  | 'services'
  | 'actions'
  | 'executions'
  | 'compose'
  | 'connect'
  | 'confirm'
  | 'prompt'
  | 'help'
  | 'error';

/** Identifiers of every command. */
export type CommandId =
  | 'quit'
  | 'back'
  | 'backOnly'
  | 'help'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'jump'
  | 'filter'
  | 'toggleView'
  | 'partial'
  | 'open'
  | 'cancel'
  | 'downloadAll'
  | 'showDownloads'
  | 'download'
  | 'downloadIndex'
  | 'view'
  | 'search'
  | 'newBatch'
  | 'listExecutions'
  | 'refresh'
  | 'nextField'
  | 'prevField'
  | 'submit'
  | 'confirmYes'
  | 'confirmNo';

/** One command: its keys (as named by `keyName`), what it does, and where. */
export interface Command {
  id: CommandId;
  keys: readonly string[];
  /** Short label for the hint bar; commands without one stay out of it. */
  hint?: string;
  description: string;
  /** Dangerous commands ask to confirm and are removed by `--readonly`. */
  dangerous?: boolean;
  contexts: readonly KeyContext[];
}

const LISTS: KeyContext[] = ['execution', 'index', 'pager', 'downloads', 'services', 'executions', 'actions'];
const SCREENS: KeyContext[] = [...LISTS, 'compose', 'connect'];

/** Every command of the app, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  { id: 'quit', keys: ['ctrl+c'], description: 'Quit (from anywhere)', contexts: [...SCREENS, 'confirm', 'prompt', 'help', 'error'] },
  { id: 'back', keys: ['q'], hint: 'back', description: 'Back (or quit at the top)', contexts: LISTS },
  // Esc is pressed in runs to get out of things; at the top it must not end the app (and a demo's server).
  { id: 'backOnly', keys: ['escape'], description: 'Back (never quits)', contexts: LISTS },
  { id: 'back', keys: ['escape'], hint: 'back', description: 'Go back', contexts: ['compose', 'connect'] },
  { id: 'help', keys: ['?'], hint: 'help', description: 'This help', contexts: LISTS },
  { id: 'up', keys: ['up', 'k'], description: 'Move up', contexts: LISTS },
  { id: 'down', keys: ['down', 'j'], description: 'Move down', contexts: LISTS },
  { id: 'left', keys: ['left', 'h'], description: 'Move left', contexts: ['execution'] },
  { id: 'right', keys: ['right', 'l'], description: 'Move right', contexts: ['execution'] },
  { id: 'left', keys: ['left', 'h'], description: 'Scroll left', contexts: ['pager'] },
  { id: 'right', keys: ['right', 'l'], description: 'Scroll right (long lines)', contexts: ['pager'] },
  { id: 'pageUp', keys: ['pageup', 'ctrl+b'], description: 'Page up', contexts: LISTS },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+f'], description: 'Page down', contexts: LISTS },
  { id: 'top', keys: ['g', 'home'], description: 'First', contexts: LISTS },
  { id: 'bottom', keys: ['G', 'end'], description: 'Last', contexts: LISTS },
  { id: 'jump', keys: [':'], hint: 'jump', description: 'Jump to an index', contexts: ['execution'] },
  { id: 'filter', keys: ['f'], hint: 'filter', description: 'Filter by state (cycles)', contexts: ['execution'] },
  { id: 'toggleView', keys: ['tab'], hint: 'list', description: 'Grid or list', contexts: ['execution'] },
  { id: 'partial', keys: ['p'], hint: 'partial', description: 'Partial results on/off', contexts: ['execution'] },
  { id: 'open', keys: ['enter'], hint: 'open', description: 'Open the selected item', contexts: ['execution', 'services', 'executions', 'actions'] },
  { id: 'cancel', keys: ['c'], hint: 'cancel', description: 'Cancel execution (confirms)', dangerous: true, contexts: ['execution'] },
  { id: 'downloadAll', keys: ['A'], hint: 'all artifacts', description: 'Download all artifacts', contexts: ['execution'] },
  { id: 'showDownloads', keys: ['w'], hint: 'downloads', description: 'Show downloads', contexts: ['execution', 'index'] },
  { id: 'download', keys: ['d'], hint: 'download', description: 'Download selected artifact', contexts: ['index'] },
  { id: 'downloadIndex', keys: ['D'], hint: 'all', description: 'Download all of this index', contexts: ['index'] },
  { id: 'view', keys: ['v'], hint: 'view', description: 'View a text artifact', contexts: ['index'] },
  { id: 'search', keys: ['/'], hint: 'filter', description: 'Filter by name', contexts: ['services'] },
  { id: 'refresh', keys: ['r'], hint: 'refresh', description: 'Reload the list', contexts: ['services', 'executions'] },
  { id: 'newBatch', keys: ['n'], hint: 'new batch', description: 'New batch of this service', contexts: ['actions'] },
  { id: 'listExecutions', keys: ['e'], hint: 'executions', description: 'Executions of this service', contexts: ['actions'] },
  { id: 'nextField', keys: ['tab', 'down'], description: 'Next field', contexts: ['compose', 'connect'] },
  { id: 'prevField', keys: ['up', 'shift+tab'], description: 'Previous field', contexts: ['compose', 'connect'] },
  { id: 'submit', keys: ['enter'], hint: 'next / start', description: 'Next field; on parallel, start the batch', contexts: ['compose'] },
  { id: 'submit', keys: ['enter'], hint: 'submit', description: 'Submit', contexts: ['connect', 'prompt'] },
  { id: 'back', keys: ['escape'], description: 'Close', contexts: ['prompt', 'help'] },
  { id: 'back', keys: ['q', 'escape'], hint: 'back', description: 'Leave the failed screen', contexts: ['error'] },
  { id: 'back', keys: ['q', '?'], description: 'Close', contexts: ['help'] },
  { id: 'confirmYes', keys: ['y'], hint: 'yes', description: 'Confirm', contexts: ['confirm'] },
  { id: 'confirmNo', keys: ['n', 'escape', 'enter', 'q'], hint: 'no', description: 'No (the default)', contexts: ['confirm'] },
];

/** Names a key press the way the command table spells keys (`k`, `G`, `up`, `ctrl+c`, `enter`). */
export function keyName(input: string, key: Key): string {
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  return input;
}

/** Options that change which commands exist. */
export interface KeyOptions {
  readonly?: boolean;
  /** Commands left out of the hint bar for now (they would only say they cannot act). */
  idle?: readonly CommandId[];
}

/** The commands that exist in a context (dangerous ones vanish under `--readonly`). */
export function commandsFor(context: KeyContext, options: KeyOptions = {}): Command[] {
  return COMMANDS.filter(
    (c) => c.contexts.includes(context) && !(options.readonly && c.dangerous),
  );
}

/** The command a key press means in a context, if any. */
export function matchCommand(
  context: KeyContext,
  input: string,
  key: Key,
  options: KeyOptions = {},
): CommandId | undefined {
  const name = keyName(input, key);
  return commandsFor(context, options).find((c) => c.keys.includes(name))?.id;
}

/** Display form of a key name for hints and help. */
export function displayKey(name: string): string {
  switch (name) {
    case 'up':
      return '↑';
    case 'down':
      return '↓';
    case 'left':
      return '←';
    case 'right':
      return '→';
    case 'escape':
      return 'Esc';
    case 'enter':
      return 'Enter';
    case 'tab':
      return 'Tab';
    case 'shift+tab':
      return 'Shift-Tab';
    case 'pageup':
      return 'PgUp';
    case 'pagedown':
      return 'PgDn';
    case 'home':
      return 'Home';
    case 'end':
      return 'End';
    default:
      return name.startsWith('ctrl+') ? `Ctrl-${name.slice(5).toUpperCase()}` : name;
  }
}

/** The hint bar's text for a context: `c cancel · Enter open · ? help …`, cut to a width. */
export function hintLine(context: KeyContext, width: number, options: KeyOptions = {}): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const c of commandsFor(context, options)) {
    if (!c.hint || seen.has(c.hint) || options.idle?.includes(c.id)) continue;
    seen.add(c.hint);
    parts.push(`${displayKey(c.keys[0])} ${c.hint}`);
  }
  let line = '';
  for (const part of parts) {
    const next = line ? `${line}  ${part}` : part;
    if (next.length > width) break;
    line = next;
  }
  return line;
}

/** Entries of the help overlay for a context: keys as shown, and what they do. */
export function helpEntries(context: KeyContext, options: KeyOptions = {}): { keys: string; description: string }[] {
  return commandsFor(context, options).map((c) => ({ keys: c.keys.map(displayKey).join(' '), description: c.description }));
}

/** The help overlay's lines: one column when they fit in `rows`, else two side by side. */
export function helpLines(context: KeyContext, width: number, rows: number, options: KeyOptions = {}): string[] {
  const entries = helpEntries(context, options);
  const fmt = (e: { keys: string; description: string } | undefined, w: number) =>
    e ? `${e.keys.padEnd(12)}${e.description}`.slice(0, w).padEnd(w) : ''.padEnd(w);
  if (entries.length <= rows) return entries.map((e) => fmt(e, width).trimEnd());
  const half = Math.ceil(entries.length / 2);
  const col = Math.floor(width / 2);
  const out: string[] = [];
  for (let i = 0; i < half; i++) out.push((fmt(entries[i], col - 1) + ' ' + fmt(entries[half + i], col)).trimEnd());
  return out;
}
