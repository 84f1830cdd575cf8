import { describe, expect, it } from 'vitest';
import { INK_VERSION, installOutputCache, loadInkModule, loadInkOutput, outputCacheFence } from '../../src/terminal/ink-output.js';
import { anchorFrame, frameAnchorFence, needsFrameAnchor, type LogUpdate } from '../../src/terminal/ink-stdout.js';
import { debugReport } from '../../src/terminal/run-app.js';

const { Output } = await loadInkOutput();
const { module: logUpdate } = await loadInkModule<{ default: LogUpdate }>('log-update.js');

describe('the fences around the ink patches', () => {
  it('let both patches in on the ink release they were written for', async () => {
    const reasons: string[] = [];
    expect(outputCacheFence(Output, INK_VERSION)).toBeNull();
    expect(frameAnchorFence(logUpdate.default, INK_VERSION)).toBeNull();
    expect(await needsFrameAnchor((why) => reasons.push(why))).toBe(true);
    expect(await installOutputCache((why) => reasons.push(why))).toBe(true);
    expect(reasons).toEqual([]);
  });

  it('decline another ink release, naming it', async () => {
    expect(outputCacheFence(Output, '6.9.0')).toMatch(/ink 6\.9\.0 is installed; the output cache is written for ink 6\.8\.0/);
    expect(frameAnchorFence(logUpdate.default, '7.0.0')).toMatch(/ink 7\.0\.0 is installed/);
    const reasons: string[] = [];
    // A fresh Output class stands for another release's (the real one may already be wrapped).
    class Other {
      operations = [];
      caches = { styledChars: new Map(), widths: new Map(), blockWidths: new Map() };
      get() {
        return { output: '', height: 0 };
      }
    }
    const installed = await installOutputCache(
      (why) => reasons.push(why),
      async () => ({ Output: Other as never, version: '6.9.0' }),
    );
    expect(installed).toBe(false);
    expect(reasons).toEqual(['ink 6.9.0 is installed; the output cache is written for ink 6.8.0']);
    expect(Other.prototype.get.name).toBe('get');
  });

  it('decline the same version when its shape differs', () => {
    class NoCaches {
      operations = [];
      get() {
        return { output: '', height: 0 };
      }
    }
    expect(outputCacheFence(NoCaches as never, INK_VERSION)).toMatch(/not shaped as the output cache expects/);
    // A renderer that already starts its frames on the right row needs no anchor.
    const fixed: LogUpdate = {
      create: (stream) => {
        let previous = 0;
        return (frame: string) => {
          const lines = frame.split('\n').length - 1;
          stream.write(previous ? `\x1b[${previous}A${frame}` : frame);
          previous = lines;
        };
      },
    };
    expect(frameAnchorFence(fixed, INK_VERSION)).toMatch(/do not start one row short/);
    expect(frameAnchorFence(undefined, INK_VERSION)).toMatch(/no create\(\)/);
  });

  it('adds the missing row to the leading cursor-up of an incremental frame, and only there', () => {
    expect(anchorFrame('\x1b[22A\x1b[Eabc')).toBe('\x1b[23A\x1b[Eabc');
    expect(anchorFrame('\x1b[2Kabc\x1b[1A')).toBe('\x1b[2Kabc\x1b[1A');
  });

  it('say why on stderr after the app only when MLBATCH_DEBUG is set', () => {
    const declined = ['ink output cache not installed: ink 6.9.0 is installed; the output cache is written for ink 6.8.0'];
    expect(debugReport(declined, 0, {})).toBe('');
    expect(debugReport([], 0, { MLBATCH_DEBUG: '1' })).toBe('');
    expect(debugReport(declined, 0, { MLBATCH_DEBUG: '1' })).toBe(`mlbatch: ${declined[0]}\n`);
    expect(debugReport([], 12, {})).toBe('');
    expect(debugReport([], 12, { MLBATCH_DEBUG: '1' })).toBe('mlbatch: ink output cache composed 12 frames\n');
  });
});
