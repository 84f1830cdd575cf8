/** The facts that decide which commands can act now, as a hook that re-renders only when they change. */
import { useShallow } from 'zustand/react/shallow';
import { keyFacts, type KeyFacts } from '../keys.js';
import { useApp } from '../store/hooks.js';

/** `keyFacts` of the store, compared field by field (a small flat object, never a big array). */
export function useKeyFacts(): KeyFacts {
  return useApp(useShallow(keyFacts));
}
