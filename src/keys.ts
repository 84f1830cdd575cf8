/**
 * The one command table of the app: every key the app reacts to is declared here, and the hint
 * bar and the `?` help overlay are generated from it. No key is matched anywhere else.
 */
import type { Key } from 'ink';
import { ITEM_CODE, isEndedState, type ExecutionState, type ItemState } from './protocol.js';
import { READONLY_FLAG_REASON, type AppState } from './store/app-store.js';
import { artifactsKey, execKey } from './store/resources.js';
import { visibleLength } from './store/selection.js';

/** Where a command applies: a screen, or a modal layer drawn over one. */
export type KeyContext =
  | 'execution'
  | 'stats'
  | 'index'
  | 'pager'
  | 'downloads'
  | 'merged'
  | 'errors'
  | 'services'
  | 'actions'
  | 'executions'
  | 'compare'
  | 'compare-index'
  | 'contexts'
  | 'compose'
  | 'connect'
  | 'confirm'
  | 'prompt'
  | 'help'
  | 'error'
  /** The terminal is below the smallest layout: only quitting is possible. */
  | 'small';

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
  | 'showFailed'
  | 'showRunning'
  | 'showPending'
  | 'showComplete'
  | 'showCanceled'
  | 'showAll'
  | 'toggleView'
  | 'partial'
  | 'open'
  | 'cancel'
  | 'downloadAll'
  | 'showDownloads'
  | 'errorGroups'
  | 'stats'
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
  | 'confirmNo'
  | 'rerun'
  | 'merged'
  | 'history'
  | 'mark'
  | 'compare'
  | 'copy'
  | 'contexts'
  | 'command';

/** The state filter each direct filter key sets (null: every record). */
export const FILTER_OF = {
  showFailed: 'Failed',
  showRunning: 'Running',
  showPending: 'Pending',
  showComplete: 'Complete',
  showCanceled: 'Canceled',
  showAll: null,
} as const satisfies Partial<Record<CommandId, ItemState | null>>;

/** What decides whether a command can act now; `keyFacts` reads it from the store, in one place. */
export interface KeyFacts {
  readonly: boolean;
  /** Why dangerous commands are off (--readonly, or a read-only context); absent: the --readonly flag's words. */
  readonlyReason?: string | null;
  /** Whether an execution is attached, and its state (null before the first poll). */
  attached: boolean;
  state: ExecutionState | null;
  /** Whether the execution screen shows any record under its filter. */
  anyRecord: boolean;
  /** Whether any index of the attached execution has finished (complete or failed). */
  anyFinished: boolean;
  /** The artifact list of the index on screen: its count once listed. */
  artifacts: 'unfinished' | 'loading' | 'error' | number;
  /** Whether any record of the attached execution failed. */
  anyFailed?: boolean;
  /** Whether the journal keeps the attached execution's records (null while it is being read). */
  recordsKept?: boolean | null;
  /** Whether an execution is marked to compare others with. */
  marked?: boolean;
  /** Whether the executions screen lists any execution. */
  executionsListed?: boolean;
  /** Whether the index on screen has finished (complete or failed): it has an error or outputs. */
  indexFinished?: boolean;
}

/** One command: its keys (as named by `keyName`), what it does, and where. */
export interface Command {
  id: CommandId;
  keys: readonly string[];
  /** Short label for the hint bar; commands without one stay out of it. */
  hint?: string;
  description: string;
  /** Dangerous commands ask to confirm, and `--readonly` (or a read-only context) turns them off. */
  dangerous?: boolean;
  contexts: readonly KeyContext[];
  /** Why the command cannot act now, or undefined when it can. */
  unavailable?: (facts: KeyFacts) => string | undefined;
}

/** The commands the app itself handles (app.tsx), in every screen: quit, back, help. */
export function handledByApp(id: CommandId, context: KeyContext): boolean {
  if (id === 'quit') return true;
  // The contexts and the `:` command line are the same from every screen.
  if (id === 'contexts' || id === 'command') return true;
  // A prompt or a confirmation owns its Esc (and its q): it closes itself.
  return (id === 'back' || id === 'backOnly' || id === 'help') && context !== 'prompt' && context !== 'confirm';
}

const noArtifact = (what: string) => (f: KeyFacts) => {
  if (f.artifacts === 'unfinished') return 'the index has not finished: its artifacts come when it has';
  if (f.artifacts === 'loading') return 'the artifacts are still being listed';
  if (f.artifacts === 'error') return 'the artifacts could not be listed';
  return f.artifacts === 0 ? `this index has no artifact to ${what}` : undefined;
};

/** How copying works, for the help: the terminal's clipboard (OSC 52), else the text shown on the status line. */
const COPY_HOW = ' to the clipboard (OSC 52; where the terminal cannot, it is shown to select)';

const LISTS: KeyContext[] = ['execution', 'stats', 'index', 'pager', 'downloads', 'errors', 'services', 'executions', 'actions', 'merged', 'compare', 'compare-index', 'contexts'];
const SCREENS: KeyContext[] = [...LISTS, 'compose', 'connect'];

/** Every command of the app, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  { id: 'quit', keys: ['ctrl+c'], description: 'Quit (from anywhere)', contexts: [...SCREENS, 'confirm', 'prompt', 'help', 'error', 'small'] },
  { id: 'quit', keys: ['q'], description: 'Quit (the terminal is too small for any screen)', contexts: ['small'] },
  { id: 'back', keys: ['q'], hint: 'back', description: 'Back (or quit at the top)', contexts: LISTS },
  // Esc is pressed in runs to get out of things; at the top it must not end the app (and a demo's server).
  { id: 'backOnly', keys: ['escape'], description: 'Back (never quits)', contexts: LISTS },
  { id: 'backOnly', keys: ['escape'], hint: 'back', description: 'Go back (never quits)', contexts: ['compose', 'connect'] },
  { id: 'help', keys: ['?'], hint: 'help', description: 'This help', contexts: LISTS },
  { id: 'up', keys: ['up', 'k'], description: 'Move up', contexts: [...LISTS, 'help'] },
  { id: 'down', keys: ['down', 'j'], description: 'Move down', contexts: [...LISTS, 'help'] },
  { id: 'left', keys: ['left', 'h'], description: 'Move left', contexts: ['execution'] },
  { id: 'right', keys: ['right', 'l'], description: 'Move right', contexts: ['execution'] },
  { id: 'left', keys: ['left', 'h'], description: 'Scroll left', contexts: ['pager'] },
  { id: 'right', keys: ['right', 'l'], description: 'Scroll right (long lines)', contexts: ['pager'] },
  { id: 'pageUp', keys: ['pageup', 'ctrl+b'], description: 'Page up', contexts: [...LISTS, 'help'] },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+f'], description: 'Page down', contexts: [...LISTS, 'help'] },
  { id: 'top', keys: ['g', 'home'], description: 'First', contexts: [...LISTS, 'help'] },
  { id: 'bottom', keys: ['G', 'end'], description: 'Last', contexts: [...LISTS, 'help'] },
  { id: 'jump', keys: [':'], hint: 'jump', description: 'Jump to an index (:215), or a command (:ctx lists the contexts)', contexts: ['execution'] },
  { id: 'filter', keys: ['f'], hint: 'filter', description: 'Filter by state (cycles from Failed)', contexts: ['execution'] },
  { id: 'showFailed', keys: ['1'], description: 'Show only failed records', contexts: ['execution'] },
  { id: 'showRunning', keys: ['2'], description: 'Show only running records', contexts: ['execution'] },
  { id: 'showPending', keys: ['3'], description: 'Show only pending records', contexts: ['execution'] },
  { id: 'showComplete', keys: ['4'], description: 'Show only complete records', contexts: ['execution'] },
  { id: 'showCanceled', keys: ['5'], description: 'Show only canceled records', contexts: ['execution'] },
  { id: 'showAll', keys: ['0'], description: 'Show all records (no filter)', contexts: ['execution'] },
  { id: 'toggleView', keys: ['tab'], hint: 'list', description: 'Grid or list', contexts: ['execution'] },
  { id: 'partial', keys: ['p'], hint: 'partial', description: 'Partial results on/off', contexts: ['execution'] },
  {
    id: 'open', keys: ['enter'], hint: 'open', description: 'Open the selected index', contexts: ['execution'],
    unavailable: (f) => (f.anyRecord ? undefined : f.state === null ? 'waiting for the first poll' : 'no record matches the filter'),
  },
  { id: 'open', keys: ['enter'], hint: 'open', description: 'Open the selected item', contexts: ['services', 'executions', 'actions'] },
  {
    id: 'cancel', keys: ['c'], hint: 'cancel', description: 'Cancel execution (confirms)', dangerous: true, contexts: ['execution'],
    unavailable: (f) => {
      if (!f.attached) return 'no execution to cancel';
      return f.state !== null && isEndedState(f.state) ? `nothing to cancel: the execution has ended (${f.state})` : undefined;
    },
  },
  {
    id: 'downloadAll', keys: ['A'], hint: 'all artifacts', description: 'Download all artifacts of finished indices', contexts: ['execution'],
    unavailable: (f) => (f.anyFinished ? undefined : 'nothing to download yet: no index has finished'),
  },
  {
    id: 'rerun', keys: ['R'], hint: 'rerun', description: 'Rerun the failed records as a new execution (confirms)', dangerous: true, contexts: ['execution'],
    unavailable: (f) => {
      if (!f.attached) return 'no execution to rerun';
      if (!f.anyFailed) return 'no failed record to rerun';
      if (f.recordsKept === null) return 'the journal is still being read';
      return f.recordsKept === false ? 'its records are not in the journal: use mlbatch rerun … --records FILE' : undefined;
    },
  },
  { id: 'merged', keys: ['M'], hint: 'merged', description: 'Merged view: each index from its latest rerun', contexts: ['execution'] },
  { id: 'history', keys: ['H'], hint: 'history', description: 'Executions across services (journal and server)', contexts: ['services'] },
  { id: 'showDownloads', keys: ['w'], hint: 'downloads', description: 'Show downloads', contexts: ['execution', 'index'] },
  { id: 'errorGroups', keys: ['e'], hint: 'errors', description: 'Failures grouped by message (live while it runs)', contexts: ['execution'] },
  { id: 'open', keys: ['enter'], hint: 'show in grid', description: "Show only the selected group's records in the grid", contexts: ['errors'] },
  { id: 'stats', keys: ['s'], hint: 'stats', description: 'Statistics and charts of the execution', contexts: ['execution'] },
  { id: 'download', keys: ['d'], hint: 'download', description: 'Download selected artifact', contexts: ['index'], unavailable: noArtifact('download') },
  { id: 'downloadIndex', keys: ['D'], hint: 'all', description: 'Download all of this index', contexts: ['index'], unavailable: noArtifact('download') },
  { id: 'view', keys: ['v'], hint: 'view', description: 'View a text artifact', contexts: ['index'], unavailable: noArtifact('view') },
  { id: 'search', keys: ['/'], hint: 'filter', description: 'Filter by name', contexts: ['services'] },
  { id: 'refresh', keys: ['r'], hint: 'refresh', description: 'Reload the list', contexts: ['services', 'executions'] },
  { id: 'newBatch', keys: ['n'], hint: 'new batch', description: 'New batch of this service', contexts: ['actions'] },
  { id: 'listExecutions', keys: ['e'], hint: 'executions', description: 'Executions of this service', contexts: ['actions'] },
  { id: 'mark', keys: ['m'], hint: 'mark', description: 'Mark this execution to compare others with (again: unmark)', contexts: ['executions'] },
  {
    id: 'compare', keys: ['x'], hint: 'compare', description: 'Compare this execution with the marked one', contexts: ['executions'],
    unavailable: (f) => (f.marked === false ? 'no execution is marked: m marks the one to compare with' : undefined),
  },
  {
    id: 'copy', keys: ['y'], hint: 'copy id', description: `Copy the selected execution's id${COPY_HOW}`, contexts: ['executions'],
    unavailable: (f) => (f.executionsListed === false ? 'no execution to copy the id of' : undefined),
  },
  {
    id: 'copy', keys: ['y'], hint: 'copy id', description: `Copy the execution id${COPY_HOW}`, contexts: ['execution'],
    unavailable: (f) => (f.attached ? undefined : 'no execution to copy the id of'),
  },
  {
    id: 'copy', keys: ['y'], hint: 'copy', description: `Copy the error message, or else the outputs${COPY_HOW}`, contexts: ['index'],
    unavailable: (f) => (f.indexFinished === false ? 'the index has not finished: no error or output to copy yet' : undefined),
  },
  { id: 'open', keys: ['enter'], hint: 'open', description: 'Both results of the selected index side by side', contexts: ['compare'] },
  { id: 'left', keys: ['left', 'h'], hint: 'previous', description: 'Previous index that is not equal', contexts: ['compare-index'] },
  { id: 'right', keys: ['right', 'l'], hint: 'next', description: 'Next index that is not equal', contexts: ['compare-index'] },
  { id: 'contexts', keys: ['C'], hint: 'contexts', description: 'Contexts (the servers of config.yaml): Enter switches to one', contexts: ['services'] },
  { id: 'contexts', keys: ['C'], description: 'Contexts (the servers of config.yaml): Enter switches to one', contexts: LISTS.filter((c) => c !== 'services' && c !== 'contexts') },
  { id: 'command', keys: [':'], description: 'Command: ctx lists the contexts, ctx NAME switches to one', contexts: LISTS.filter((c) => c !== 'execution') },
  { id: 'open', keys: ['enter'], hint: 'switch', description: 'Switch to the selected context (logs in with its saved login)', contexts: ['contexts'] },
  { id: 'refresh', keys: ['r'], hint: 'refresh', description: 'Read config.yaml again', contexts: ['contexts'] },
  { id: 'nextField', keys: ['tab', 'down'], description: 'Next field', contexts: ['compose', 'connect'] },
  { id: 'prevField', keys: ['up', 'shift+tab'], description: 'Previous field', contexts: ['compose', 'connect'] },
  { id: 'submit', keys: ['enter'], hint: 'next / start', description: 'Next field; on parallel, start the batch', contexts: ['compose'] },
  { id: 'submit', keys: ['enter'], hint: 'next / connect', description: 'Next field; on password, connect', contexts: ['connect'] },
  { id: 'submit', keys: ['enter'], hint: 'submit', description: 'Submit', contexts: ['prompt'] },
  { id: 'back', keys: ['escape'], hint: 'close', description: 'Close', contexts: ['prompt', 'help'] },
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

/** What the hint bar and help need to know of the moment (no facts: every command can act). */
export interface KeyOptions {
  facts?: KeyFacts;
}

/** The facts of the moment, read from the store: the one place availability is computed from. */
export function keyFacts(s: AppState): KeyFacts {
  const { exec, view, resources } = s;
  const top = s.stack[s.stack.length - 1];
  let artifacts: KeyFacts['artifacts'] = 'unfinished';
  let indexFinished: boolean | undefined;
  if (top?.kind === 'index') {
    const code = exec.states[top.index];
    indexFinished = code === ITEM_CODE.Complete || code === ITEM_CODE.Failed;
    const list = resources.artifacts;
    const ended = exec.state !== null && isEndedState(exec.state);
    if (code === ITEM_CODE.Complete || code === ITEM_CODE.Failed || code === ITEM_CODE.Canceled || (code !== undefined && ended)) {
      if (list.key !== artifactsKey(top.ref, top.index) || (list.status === 'loading' && !list.data) || list.status === 'idle') artifacts = 'loading';
      else if (list.data) artifacts = list.data.length;
      else artifacts = 'error';
    }
  }
  const lineage = resources.lineage;
  return {
    readonly: s.readonly,
    readonlyReason: s.readonlyReason,
    attached: exec.ref !== null,
    anyFailed: exec.counts[ITEM_CODE.Failed] > 0,
    recordsKept: exec.ref && lineage.key === execKey(exec.ref) && lineage.data ? lineage.data.recordsKept : lineage.status === 'loading' ? null : false,
    state: exec.state,
    // Booleans, not counts: the hint bar redraws when one flips, not on every poll.
    anyRecord: visibleLength(exec.states, exec.version, view.filter, view.group) > 0,
    anyFinished: exec.counts[ITEM_CODE.Complete] + exec.counts[ITEM_CODE.Failed] > 0,
    artifacts,
    marked: s.mark !== null,
    executionsListed: (resources.executions.data?.length ?? 0) > 0,
    indexFinished,
  };
}

/** Why a command cannot act now (read-only for dangerous ones, then its own reason), or undefined. */
export function reasonOf(command: Command, facts: KeyFacts | undefined): string | undefined {
  if (!facts) return undefined;
  if (command.dangerous && facts.readonly) return facts.readonlyReason ?? READONLY_FLAG_REASON;
  return command.unavailable?.(facts);
}

/** The commands that exist in a context. */
export function commandsFor(context: KeyContext): Command[] {
  return COMMANDS.filter((c) => c.contexts.includes(context));
}

/** The command a key press means in a context, if any (whether it can act now is `reasonOf`'s to say). */
export function commandOf(context: KeyContext, input: string, key: Key): Command | undefined {
  const name = keyName(input, key);
  return commandsFor(context).find((c) => c.keys.includes(name));
}

/** The id of the command a key press means in a context, if any. */
export function matchCommand(context: KeyContext, input: string, key: Key): CommandId | undefined {
  return commandOf(context, input, key)?.id;
}

const SHOWN: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', escape: 'Esc', enter: 'Enter', tab: 'Tab', 'shift+tab': 'Shift-Tab',
  pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
};

/** Display form of a key name for hints and help. */
export function displayKey(name: string): string {
  return SHOWN[name] ?? (name.startsWith('ctrl+') ? `Ctrl-${name.slice(5).toUpperCase()}` : name);
}

/** The hint bar's text for a context: `c cancel · Enter open · ? help …`, cut to a width. */
export function hintLine(context: KeyContext, width: number, options: KeyOptions = {}): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const c of commandsFor(context)) {
    // A command that cannot act is left out: the help says why.
    if (!c.hint || seen.has(c.hint) || reasonOf(c, options.facts)) continue;
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

/** Entries of the help overlay for a context: keys as shown, what they do, and why not when they cannot act now. */
export function helpEntries(context: KeyContext, options: KeyOptions = {}): { keys: string; description: string; reason?: string }[] {
  return commandsFor(context).map((c) => ({ keys: c.keys.map(displayKey).join(' '), description: c.description, reason: reasonOf(c, options.facts) }));
}

/** What the symbols of a screen mean, for the help: the grid's cells, the header's counts, marks. */
export const LEGEND: Partial<Record<KeyContext, readonly { keys: string; description: string }[]>> = {
  contexts: [
    { keys: '*', description: 'The context the app is in (its name is at the top right of every screen)' },
    { keys: 'read-only', description: 'readonly: true in config.yaml: cancel and rerun are off there' },
    { keys: 'no login', description: 'No saved login: run mlbatch login --context NAME first' },
  ],
  execution: [
    { keys: '#', description: 'Complete: finished with its outputs' },
    { keys: 'X', description: 'Failed: finished with an error (1 shows only these)' },
    { keys: '>', description: 'Running' },
    { keys: '.', description: 'Pending: not started yet' },
    { keys: '-', description: 'Canceled: never ran, the execution was canceled' },
    { keys: 'inverse', description: 'The cursor (its record is named under the grid)' },
    { keys: '[...]', description: 'In the title: the filter, list view, partial results off' },
    { keys: 'read-only', description: 'Started with --readonly, or in a read-only context: cancel and rerun are off' },
    { keys: 'counts', description: 'The header counts records per state, in the order above' },
    { keys: '> 10~', description: 'Running count inferred from the parallel count: the server does not report running records' },
    { keys: '> ?', description: 'Running count not known (nor the parallel count): those records count as pending' },
    { keys: 'filtered', description: 'Cells show their index: all share the filter\'s state' },
  ],
};

/**
 * The help overlay's lines: the commands in one column (two side by side when they would not
 * fit in `rows` and each column still has 40 cells); one full-width line per command that cannot
 * act now, saying why (a reason cut in a column is lost); then the screen's legend. The overlay
 * scrolls what does not fit.
 */
export function helpLines(context: KeyContext, width: number, rows: number, options: KeyOptions = {}): string[] {
  const entries = helpEntries(context, options);
  const fmt = (e: { keys: string; description: string } | undefined, w: number) =>
    e ? `${e.keys.padEnd(12)}${e.description}`.slice(0, w).padEnd(w) : ''.padEnd(w);
  const why = entries.filter((e) => e.reason).map((e) => `${e.keys.padEnd(12)}not now: ${e.reason}`.slice(0, width));
  const legend = LEGEND[context] ?? [];
  const tail = [...why, ...(legend.length ? ['', 'What the symbols mean', ...legend.map((e) => fmt(e, width).trimEnd())] : [])];
  const room = Math.max(1, rows - why.length);
  const col = Math.floor(width / 2);
  if (entries.length <= room || col < 40) return [...entries.map((e) => fmt(e, width).trimEnd()), ...tail];
  const half = Math.ceil(entries.length / 2);
  const out: string[] = [];
  for (let i = 0; i < half; i++) out.push((fmt(entries[i], col - 1) + ' ' + fmt(entries[half + i], col)).trimEnd());
  return [...out, ...tail];
}
