/** Whether the app draws in colour, from the root down (NO_COLOR, a terminal without colours: no). */
import { createContext, useContext } from 'react';

/** Provided by the app's root. */
export const ColorContext = createContext(false);

/** Whether to paint: the prebuilt strings of components take it as their `color`. */
export function useColor(): boolean {
  return useContext(ColorContext);
}
