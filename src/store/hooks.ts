/** React access to the app store: a context and a selector hook. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './app-store.js';

/** Provides the store to screens. */
export const StoreContext = createContext<AppStore | null>(null);

/** The store of the nearest provider. */
export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside of a StoreContext provider');
  return store;
}

/** Selects from the store; selectors should return primitives or stable references. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}
