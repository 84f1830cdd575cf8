/** Loads a comparison of two executions into the store: both polled once, compared index by index. */
import { compareIndex, diffExecutions, sideOfPoll, unequalIndices } from '../analysis/diff.js';
import type { DecodedPoll } from '../client/decode.js';
import type { BatchRecord } from '../protocol.js';
import { compareKey } from '../store/resources.js';
import type { Comparison, ExecRef } from '../store/types.js';
import { errorText } from '../session/error-text.js';
import type { FlowHost } from './flow-host.js';

/** The tolerance the app compares numbers with (the command's default). */
export const APP_TOLERANCE = 1e-6;

/**
 * Compares `b` with `a` into `resources.compare`. Executions of different sizes are compared on
 * their common prefix (the screen says so); `inputsOf` gives the records of batches started here.
 */
export function loadComparison(host: FlowHost, a: ExecRef, b: ExecRef, inputsOf: (id: string) => readonly BatchRecord[] | undefined): void {
  void host.loads.run('compare', compareKey(a, b), async (signal) => {
    try {
      const [ba, bb] = await Promise.all([host.batchOf(a), host.batchOf(b)]);
      const [pa, pb] = await Promise.all([ba.poll({ signal }), bb.poll({ signal })]);
      const outputOrder = [...ba.service.outputs, ...bb.service.outputs].map((o) => o.name);
      return comparisonOf(a, pa, b, pb, { outputOrder, inputsA: inputsOf(a.id), inputsB: inputsOf(b.id) });
    } catch (err) {
      if (!signal.aborted) host.store.getState().setStatus(`Comparing failed: ${errorText(err)}`, 'error');
      throw err;
    }
  });
}

/** Two polls compared (of different sizes too: the common prefix), each index decoded on demand. */
export function comparisonOf(
  a: ExecRef,
  pa: DecodedPoll,
  b: ExecRef,
  pb: DecodedPoll,
  options: { outputOrder?: readonly string[]; inputsA?: readonly BatchRecord[]; inputsB?: readonly BatchRecord[] } = {},
): Comparison {
  const sa = sideOfPoll(pa);
  const sb = sideOfPoll(pb);
  const summary = diffExecutions(sa, sb, { tolerance: APP_TOLERANCE, allowSizeMismatch: true, outputOrder: options.outputOrder });
  const { inputsA, inputsB } = options;
  return {
    a,
    b,
    stateA: pa.state,
    stateB: pb.state,
    summary,
    indices: unequalIndices(summary.verdicts),
    detail: (i) => ({ ...compareIndex(sa, sb, i, APP_TOLERANCE), inputsA: inputsA?.[i] ?? null, inputsB: inputsB?.[i] ?? null }),
  };
}
