/**
 * The one way keys reach screens. The app listens (one `useInput`), matches each press against
 * the command table in the context of the top key layer, handles back, help and quit itself,
 * says why a command cannot act now, and hands the rest to that layer's handlers.
 */
import { createContext, useContext, useLayoutEffect, useState } from 'react';
import type { Key } from 'ink';
import { commandOf, handledByApp, keyFacts, reasonOf, type CommandId, type KeyContext } from '../keys.js';
import type { AppStore } from '../store/app-store.js';

/** Handlers of one key context: commands by id, plus typed text for prompts and fields. */
export interface KeyHandlers {
  onCommand?: (id: CommandId) => void;
  /** Printable input that matched no command (prompts and form fields). */
  onText?: (text: string, key: Key) => void;
  /** Esc before it goes back: true when the screen used it (e.g. to drop a filter). */
  beforeBack?: () => boolean;
}

/** A screen or modal layer that takes keys while it is active. */
export interface KeyLayer extends KeyHandlers {
  context: KeyContext;
  /** Mount order: the newest active layer has the keys. */
  order: number;
}

/** The active key layers of one app. */
export class KeyRouter {
  private readonly layers = new Set<KeyLayer>();

  add(layer: KeyLayer): void {
    this.layers.add(layer);
  }

  remove(layer: KeyLayer): void {
    this.layers.delete(layer);
  }

  /** The layer that has the keys: the newest mounted of the active ones. */
  top(): KeyLayer | undefined {
    let top: KeyLayer | undefined;
    for (const l of this.layers) if (!top || l.order > top.order) top = l;
    return top;
  }
}

/** Provides the app's key router to its screens. */
export const KeyRouterContext = createContext<KeyRouter | null>(null);

let mounted = 0;

/**
 * Makes a screen or layer take keys in `context` while `active`. Registered in a layout effect,
 * so a layer has the keys from the frame that first shows it.
 */
export function useKeys(context: KeyContext, active: boolean, { onCommand, onText, beforeBack }: KeyHandlers = {}): void {
  const router = useContext(KeyRouterContext);
  const [order] = useState(() => ++mounted);
  useLayoutEffect(() => {
    if (!router || !active) return;
    const layer: KeyLayer = { context, order, onCommand, onText, beforeBack };
    router.add(layer);
    return () => router.remove(layer);
  }, [router, context, active, order, onCommand, onText, beforeBack]);
}

/** One character of a chunk as the key it stands for (Enter, Tab and Backspace are control characters). */
function splitKey(ch: string, key: Key): { input: string; key: Key } {
  const base = { ...key, return: false, tab: false, backspace: false, shift: ch !== ch.toLowerCase() };
  if (ch === '\r' || ch === '\n') return { input: '', key: { ...base, return: true } };
  if (ch === '\t') return { input: '', key: { ...base, tab: true } };
  if (ch === '\x7f' || ch === '\b') return { input: '', key: { ...base, backspace: true } };
  return { input: ch, key: base };
}

/** Keys typed fast (or over a slow link) arrive as one chunk: "jj\r" is three presses. */
export function pressesOf(input: string, key: Key): { input: string; key: Key }[] {
  return input.length > 1 && !key.ctrl && !key.meta && !key.escape ? [...input].map((ch) => splitKey(ch, key)) : [{ input, key }];
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Routes one key chunk: app commands to `onAppCommand`, a command that cannot act to the status
 * line with its reason, the rest to the top layer. `fallback` is the context when no layer is active.
 */
export function routeKeys(
  router: KeyRouter,
  store: AppStore,
  fallback: KeyContext,
  onAppCommand: (id: CommandId, layer: KeyLayer | undefined, context: KeyContext) => void,
  input: string,
  key: Key,
): void {
  for (const one of pressesOf(input, key)) {
    const layer = router.top();
    const context = layer?.context ?? fallback;
    const command = commandOf(context, one.input, one.key);
    // A message is about what came before: the next action clears it (and may say its own).
    if (command || layer?.onText) store.getState().clearStatus();
    if (!command) {
      layer?.onText?.(one.input, one.key);
      continue;
    }
    if (handledByApp(command.id, context)) {
      onAppCommand(command.id, layer, context);
      continue;
    }
    const reason = reasonOf(command, keyFacts(store.getState()));
    if (reason) store.getState().setStatus(sentence(reason));
    else layer?.onCommand?.(command.id);
  }
}
