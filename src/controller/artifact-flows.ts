/** An index's artifacts in the app: their names into the store, and a text one opened in the pager. */
import type { ExecRef } from '../store/types.js';
import { artifactsKey } from '../store/resources.js';
import { errorText } from '../session/error-text.js';
import type { FlowHost } from './flow-host.js';

/** The largest artifact the pager opens; beyond it, downloading is the way. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/** The controller's artifact actions, kept apart to keep each file small. */
export class ArtifactFlows {
  constructor(private readonly c: FlowHost) {}

  /** The artifact names of one index into `resources.artifacts`; a failure is said in the status line. */
  load(ref: ExecRef, index: number): void {
    void this.c.loads.run('artifacts', artifactsKey(ref, index), async (signal) => {
      try {
        return await (await this.c.batchOf(ref)).listArtifacts(index, { signal });
      } catch (err) {
        if (!signal.aborted) this.c.store.getState().setStatus(`Listing artifacts of index ${index} failed: ${errorText(err)}`, 'error');
        throw err;
      }
    });
  }

  /** The text of an artifact, refused when it is binary or too large to page. */
  async readText(ref: ExecRef, index: number, fileName: string): Promise<string> {
    const bytes = await (await this.c.batchOf(ref)).artifact(index, fileName);
    if (bytes.length > MAX_TEXT_BYTES) throw new Error(`${fileName} is ${bytes.length} bytes: too large to view, download it with d`);
    if (bytes.includes(0)) throw new Error(`${fileName} is not text (${bytes.length} bytes): download it with d`);
    return bytes.toString('utf8');
  }

  /** Resolves once the pager opened or the refusal was said (or dropped, the screen being left). */
  view(ref: ExecRef, index: number, fileName: string): Promise<void> {
    // Whatever answers once the index screen was left belongs to no screen: it is dropped.
    const stillThere = () => {
      const top = this.c.store.getState().stack.at(-1);
      return top?.kind === 'index' && top.index === index && top.ref.id === ref.id;
    };
    return this.readText(ref, index, fileName).then(
      (text) => void (stillThere() && this.c.store.getState().push({ kind: 'pager', title: `${index}/${fileName}`, text })),
      (err: unknown) => void (stillThere() && this.c.store.getState().setStatus(errorText(err), 'error')),
    );
  }
}
