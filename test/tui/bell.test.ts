import { describe, expect, it } from 'vitest';
import { BEL, followBell } from '../../src/terminal/bell.js';
import { createAppStore } from '../../src/store/app-store.js';

describe('the terminal bell', () => {
  it('writes one BEL, as a write of its own, per ring; nothing for other store changes or after it stops', () => {
    const store = createAppStore({ kind: 'services' });
    const writes: string[] = [];
    const stop = followBell(store, (chunk) => writes.push(chunk));
    store.getState().setStatus('something else');
    expect(writes).toEqual([]);
    store.getState().ringBell();
    store.getState().ringBell();
    expect(writes).toEqual([BEL, BEL]);
    stop();
    store.getState().ringBell();
    expect(writes).toEqual([BEL, BEL]);
  });

  it('stays silent with --no-bell', () => {
    const store = createAppStore({ kind: 'services' });
    const writes: string[] = [];
    followBell(store, (chunk) => writes.push(chunk), false);
    store.getState().ringBell();
    expect(writes).toEqual([]);
  });
});
