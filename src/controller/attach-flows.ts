/** Attaching the app to an execution: its screen, its records, and leaving it when it cannot be watched. */
import type { Batch } from '../client/batch.js';
import type { Client } from '../client/client.js';
import { isFinalError } from '../client/errors.js';
import { describeNotFound } from '../client/not-found.js';
import type { BatchRecord } from '../protocol.js';
import { errorText } from '../session/error-text.js';
import type { AppStore } from '../store/app-store.js';
import type { ExecRef } from '../store/types.js';
import type { WatchFlows } from './watch-flows.js';

/** What attaching needs of the controller that owns it. */
export interface AttachHost {
  readonly store: AppStore;
  readonly client: Client | null;
  requireClient(): Client;
  /** The records the journal keeps of an execution. */
  readonly journal: { recordsOf(ref: ExecRef): readonly BatchRecord[] | undefined };
  /** Ends the app: the execution it was opened on cannot be watched. */
  quit(): void;
}

/** The controller's attach actions, kept apart to keep each file small. */
export class AttachFlows {
  /** Why the app ended on its own (the execution it was opened on does not exist), or null. */
  failure: unknown = null;

  constructor(
    private readonly c: AttachHost,
    private readonly watch: WatchFlows,
  ) {}

  /** Opens an execution's screen and starts polling it. */
  attach(ref: ExecRef, records?: readonly BatchRecord[]): void {
    this.c.store.getState().push({ kind: 'execution', ref });
    void this.attachData(ref, records).then((err) => {
      if (isFinalError(err)) this.leave(ref, err);
    });
  }

  /**
   * An execution that cannot be watched (it, its version or its service is unknown): inside the
   * app, back to the screen it was opened from, with the message; opened on it, the app ends and
   * `failure` says why.
   */
  private leave(ref: ExecRef, err: unknown): void {
    const { store } = this.c;
    // The store's state is read anew each time: a pop replaces it (an old one's stack never shrinks).
    const onIt = (screen = store.getState().stack.at(-1)) => (screen?.kind === 'execution' || screen?.kind === 'index') && screen.ref.id === ref.id;
    while (store.getState().stack.length > 1 && onIt()) store.getState().pop();
    if (onIt()) {
      this.failure = err;
      this.c.quit();
      return;
    }
    store.getState().setStatus(errorText(err), 'error');
  }

  /** Starts polling without touching the screen stack; resolves to the error that stopped it (also in the status line), or undefined. */
  async attachData(ref: ExecRef, records?: readonly BatchRecord[], partial = true): Promise<unknown> {
    this.watch.stop();
    this.c.store.getState().attach(ref);
    try {
      const client = this.c.requireClient();
      const service = await client.getService(ref.service, ref.version).catch(async (err: unknown) => {
        throw await describeNotFound(client, ref, err, 'service');
      });
      // The journal keeps the records of executions started here: the index screen shows their inputs.
      const known = records ?? this.c.journal.recordsOf(ref);
      // An execution found by id: the server never says what parallelCount it was started with.
      this.watch.start(ref, service.getBatch(ref.id), known, partial, null);
      return undefined;
    } catch (err) {
      // A final answer is not a connection to wait for: no "reconnecting" under it.
      if (!isFinalError(err)) this.c.store.getState().pollFailed(errorText(err));
      this.c.store.getState().setStatus(errorText(err), 'error');
      return err ?? new Error('cannot attach');
    }
  }

  /** Shows a rerun in place of its parent's screen (back goes where the parent's did) and polls it. */
  showRerun(started: { ref: ExecRef; batch: Batch; records: readonly BatchRecord[] }, count: number): void {
    const s = this.c.store.getState();
    const screen = { kind: 'execution' as const, ref: started.ref };
    if (s.pop()) s.push(screen);
    else s.replaceAll(screen);
    s.attach(started.ref, started.batch.parallelCount);
    this.watch.start(started.ref, started.batch, started.records);
    s.setStatus(`Rerunning ${count} record${count === 1 ? '' : 's'} as ${started.ref.id}`);
  }

  /** A polled execution turned out unknown: says which, and leaves it (see `leave`). */
  gone(ref: ExecRef, error: Error): void {
    const client = this.c.client;
    const described = client ? describeNotFound(client, ref, error, 'execution') : Promise.resolve(error);
    void described.then((err) => this.leave(ref, err));
  }
}
