/**
 * The directories records of one execution run in. A record that leaves nothing behind hands its
 * (still empty) directory to the next record; one with artifacts has its directory renamed to the
 * record's own. So a batch of records without files costs no mkdir/rmdir per record, which on a
 * journaling file system are by far the dearest part of running a trivial record.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

const PREFIX = '.run-';

/** A pool of empty run directories inside one execution's directory. */
export class ScratchDirs {
  private readonly free: string[] = [];
  private readonly tag = randomBytes(4).toString('hex');
  private seq = 0;

  constructor(private readonly root: string) {}

  /** Removes run directories an interrupted earlier server left behind (sync; start-up only). */
  static sweep(root: string): void {
    let names: string[] = [];
    try {
      names = readdirSync(root);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith(PREFIX)) rmSync(join(root, n), { recursive: true, force: true });
    }
  }

  /** An empty directory to run one record in. */
  async take(): Promise<string> {
    const reused = this.free.pop();
    if (reused) return reused;
    const dir = join(this.root, `${PREFIX}${this.tag}-${this.seq++}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * After a record ran in `dir`: with artifacts, `dir` becomes `target` (`replace` first removes
   * what an interrupted earlier run of the same record left there); without, it is reused if empty.
   * Resolves false when the artifacts could not be moved.
   */
  async settle(dir: string, target: string | undefined, replace: boolean): Promise<boolean> {
    if (target) {
      try {
        if (replace) await rm(target, { recursive: true, force: true });
        await rename(dir, target);
        return true;
      } catch {
        void rm(dir, { recursive: true, force: true }).catch(() => {});
        return false;
      }
    }
    const left = await readdir(dir).catch(() => undefined);
    if (left && left.length === 0) this.free.push(dir);
    else void rm(dir, { recursive: true, force: true }).catch(() => {});
    return true;
  }

  /** Removes the spare directories once the execution has ended. */
  async clear(): Promise<void> {
    const dirs = this.free.splice(0);
    await Promise.all(dirs.map((d) => rmdir(d).catch(() => {})));
  }
}
