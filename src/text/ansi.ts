/** Minimal SGR helpers for prebuilt row strings, honouring NO_COLOR / FORCE_COLOR=0. */
import { ITEM_STATES, type ItemState } from '../protocol.js';

/** True when colour escapes should be written. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WriteStream = process.stdout): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY && typeof stream.hasColors === 'function' && stream.hasColors());
}

/**
 * Symbol per item state, told apart without colour. Printable ASCII on purpose: it survives
 * jump hosts with a non-UTF-8 locale, and ink measures ASCII lines on a fast path every frame.
 */
export const STATE_SYMBOL: Record<ItemState, string> = {
  Pending: '.',
  Running: '>',
  Complete: '#',
  Failed: 'X',
  Canceled: '-',
};

/** SGR foreground per item state. */
export const STATE_SGR: Record<ItemState, string> = {
  Pending: '\x1b[90m',
  Running: '\x1b[36m',
  Complete: '\x1b[32m',
  Failed: '\x1b[31m',
  Canceled: '\x1b[33m',
};

/** Symbols indexed by ITEM_CODE, for hot loops. */
export const SYMBOL_BY_CODE: readonly string[] = ITEM_STATES.map((s) => STATE_SYMBOL[s]);
/** SGR sequences indexed by ITEM_CODE, for hot loops. */
export const SGR_BY_CODE: readonly string[] = ITEM_STATES.map((s) => STATE_SGR[s]);

/** The item state of a code; unknown codes read as Pending. */
export function stateOfCode(code: number): ItemState {
  return ITEM_STATES[code] ?? 'Pending';
}

/** Resets every attribute. */
export const RESET = '\x1b[0m';
/** Dim text. */
export const DIM = '\x1b[2m';
/** Inverse video, for the cursor; kept without colour since it is not a colour. */
export const INVERSE = '\x1b[7m';
/** Ends inverse video. */
export const NO_INVERSE = '\x1b[27m';

/** Wraps text in an SGR sequence when colour is on. */
export function paint(sgr: string, text: string, color: boolean): string {
  return color ? `${sgr}${text}${RESET}` : text;
}

/** SGR foreground of each accent colour a context may name (session/contexts.ts lists the names). */
export const ACCENT_SGR: Readonly<Record<string, string>> = {
  red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m', magenta: '\x1b[35m', cyan: '\x1b[36m', white: '\x1b[37m',
  gray: '\x1b[90m', redBright: '\x1b[91m', greenBright: '\x1b[92m', yellowBright: '\x1b[93m', blueBright: '\x1b[94m',
  magentaBright: '\x1b[95m', cyanBright: '\x1b[96m', whiteBright: '\x1b[97m',
};
