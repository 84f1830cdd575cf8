/** Downloads the app starts: one index's artifacts, or all of an execution's, with progress in the store. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadMany } from '../client/bulk-download.js';
import { ITEM_CODE } from '../protocol.js';
import type { ExecRef } from '../store/types.js';
import type { FlowHost } from './flow-host.js';
import { errorText } from '../session/error-text.js';

/** The controller's download actions, kept apart to keep each file small. */
export class DownloadFlows {
  constructor(private readonly c: FlowHost) {}

  /** `d` / `D`: some or all files of one index into `<dir>/<id>/<index>/`. */
  artifacts(ref: ExecRef, index: number, fileNames?: string[]): void {
    const destination = join(this.c.downloadDir, ref.id, String(index));
    const s = this.c.store.getState();
    const label = fileNames?.length === 1 ? `index ${index}: ${fileNames[0]}` : `index ${index}: all artifacts`;
    const id = s.addDownload({ label, destination, total: fileNames?.length ?? 0, done: 0, skipped: 0, failed: 0, bytes: 0, state: 'running', error: null });
    void (async () => {
      try {
        const batch = await this.c.batchOf(ref);
        if (fileNames) {
          let bytes = 0;
          for (const fileName of fileNames) {
            const written = await batch.download(index, { fileName, destination });
            for (const path of written) bytes += (await stat(path)).size;
          }
          this.finishJob(id, fileNames.length, 0, bytes, 0, destination);
          return;
        }
        const result = await downloadMany(batch, { indices: [index], destination: join(this.c.downloadDir, ref.id), resume: true, concurrency: 4 });
        this.finishJob(id, result.files.length, result.failed, result.bytes, result.files.filter((f) => f.outcome === 'skipped').length, destination);
      } catch (err) {
        this.failJob(id, err);
      }
    })();
  }

  /** `A`: every artifact of every finished index, bounded concurrency, resumable. */
  all(ref: ExecRef): void {
    const { exec } = this.c.store.getState();
    const indices: number[] = [];
    for (let i = 0; i < exec.states.length; i++) {
      const c = exec.states[i];
      if (c === ITEM_CODE.Complete || c === ITEM_CODE.Failed) indices.push(i);
    }
    const destination = join(this.c.downloadDir, ref.id);
    const s = this.c.store.getState();
    const id = s.addDownload({ label: `all artifacts of ${indices.length} finished indices`, destination, total: 0, done: 0, skipped: 0, failed: 0, bytes: 0, state: 'running', error: null });
    let lastPush = 0;
    void (async () => {
      try {
        const batch = await this.c.batchOf(ref);
        const result = await downloadMany(batch, {
          indices,
          destination,
          concurrency: 6,
          resume: true,
          onProgress: (p) => {
            const now = Date.now();
            if (now - lastPush < 200) return;
            lastPush = now;
            this.c.store.getState().updateDownload(id, { total: p.filesTotal, done: p.filesDone, failed: p.failed, bytes: p.bytes });
          },
        });
        this.finishJob(id, result.files.length, result.failed, result.bytes, result.files.filter((f) => f.outcome === 'skipped').length, destination);
      } catch (err) {
        this.failJob(id, err);
      }
    })();
  }

  private finishJob(id: number, files: number, failed: number, bytes: number, skipped: number, destination: string): void {
    const s = this.c.store.getState();
    s.updateDownload(id, { total: files, done: files - failed, failed, bytes, skipped, state: 'done' });
    const there = skipped ? ` (${skipped} already there)` : '';
    s.setStatus(
      failed
        ? `Downloaded ${files - failed} of ${files} files${there}, ${failed} failed, to ${destination}`
        : `Downloaded ${files} file${files === 1 ? '' : 's'}${there} to ${destination}`,
      failed ? 'error' : 'info',
    );
  }

  private failJob(id: number, err: unknown): void {
    const s = this.c.store.getState();
    s.updateDownload(id, { state: 'failed', error: errorText(err) });
    s.setStatus(`Download failed: ${errorText(err)}`, 'error');
  }
}
