import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from './app-fixture.js';

describe('a screen that throws while drawing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the error in place of the screen, and q goes back to a working one', async () => {
    // React reports the caught error on the console; keep the test output clean.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ref = { service: 's', version: '1', id: 'e1' };
    const { h, actions } = renderApp({ kind: 'downloads' }, {
      setup: (store) => {
        store.getState().push({ kind: 'index', ref, index: 0 });
        store.setState({
          detail: () => {
            throw new Error('unexpected value from the server');
          },
        });
      },
    });
    let f = await h.waitForFrame((x) => x.includes('This screen failed: unexpected value from the server'), 'the failure notice');
    expect(f).toContain('q back');
    f = await h.press('q');
    expect(f).toMatch(/^Downloads/);
    expect(f).toContain('No downloads yet');
    h.write('\x03');
    // Ctrl-C drew nothing; q on the first screen quits too, and both reached the port.
    h.write('q');
    await h.waitForFrame(() => actions.callsOf('quit').length === 2, 'two quits');
    h.unmount();
  });
});
