import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../src/store/app-store.js';
import { App } from '../../src/app.js';
import type { AppActions } from '../../src/actions.js';
import { renderHarness } from './harness.js';

describe('a screen that throws while drawing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the error in place of the screen, and q goes back to a working one', async () => {
    // React reports the caught error on the console; keep the test output clean.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ref = { service: 's', version: '1', id: 'e1' };
    const store = createAppStore({ kind: 'downloads' });
    store.getState().push({ kind: 'index', ref, index: 0 });
    store.setState({
      detail: () => {
        throw new Error('unexpected value from the server');
      },
    });
    let quits = 0;
    // Only quit can be reached from these two screens without a server.
    const actions = { quit: () => quits++, listArtifacts: async () => [] } as unknown as AppActions;
    const h = renderHarness(<App store={store} actions={actions} color={false} size={{ cols: 80, rows: 24 }} />);
    let f = await h.waitForFrame((x) => x.includes('This screen failed: unexpected value from the server'), 'the failure notice');
    expect(f).toContain('q back');
    f = await h.pressUntil('q', (x) => x.startsWith('Downloads'), 'the downloads screen');
    expect(f).toContain('No downloads yet');
    await h.press('\x03');
    expect(quits).toBe(1);
    h.unmount();
  });
});
