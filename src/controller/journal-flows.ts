/** The app's side of the journal: what it records, lineage and merged view, reruns, and the list across services. */
import { Poller, type PollSnapshot } from '../watch/poller.js';
import type { Batch } from '../client/batch.js';
import { mapPool } from '../client/pool.js';
import { fileIdentity } from '../journal/records-file.js';
import type { Journal, JournalEntry, JournalKey } from '../journal/journal.js';
import { lineageOf, mergeAttempts, rerunsLine } from '../journal/merged.js';
import { startRerun } from '../journal/rerun.js';
import { StateNoter } from '../journal/state-noter.js';
import { ITEM_CODE, ITEM_STATES, isEndedState, type BatchRecord, type WebService } from '../protocol.js';
import { execKey } from '../store/resources.js';
import type { ExecRef, ExecutionSummary, MergedData } from '../store/types.js';
import { errorText } from '../session/error-text.js';
import type { FlowHost, JournalPort } from './flow-host.js';

/** Reruns whose state is refreshed (one counts-only poll each) when their parent is attached. */
const MAX_REFRESHED_RERUNS = 5;
/** Rows of the list across services that get a poll of their own; the rest show what the journal knows. */
const MAX_POLLED = 40;
/** Of those, how many are polled at once. */
const POLLS_AT_ONCE = 4;

/** The controller's journal actions, kept apart to keep each file small. */
export class JournalFlows implements JournalPort {
  constructor(
    private readonly c: FlowHost,
    readonly journal: Journal | null,
  ) {}

  /** The journal key of an execution on the connected server. */
  keyOf(ref: ExecRef): JournalKey {
    return { host: this.c.requireClient().host, service: ref.service, version: ref.version, id: ref.id };
  }

  /** Records an execution started from the app, with its records file. */
  async started(ref: ExecRef, file: string, records: readonly BatchRecord[], parallelCount: number): Promise<void> {
    if (!this.journal) return;
    const identity = await fileIdentity(file).catch(() => undefined);
    this.journal.remember({
      ...this.keyOf(ref), origin: 'run', context: this.c.context, user: this.c.store.getState().connection.user || null, parallelCount,
      recordsPath: identity?.path ?? null, recordsHash: identity?.hash ?? null, records, total: records.length,
    });
  }

  /** The records the journal keeps of an execution (the index screen shows them as inputs). */
  recordsOf(ref: ExecRef): BatchRecord[] | undefined {
    if (!this.journal || !this.c.client) return undefined;
    return this.journal.records(this.keyOf(ref));
  }

  /**
   * A throttled writer of the polled execution's progress (nothing without a journal). Its first
   * good poll records the execution as attached (a known one keeps what it had): an id the server
   * does not know never reaches the journal.
   */
  noter(ref: ExecRef): ((s: PollSnapshot) => void) | undefined {
    const journal = this.journal;
    if (!journal || !this.c.client) return undefined;
    const key = this.keyOf(ref);
    const noter = new StateNoter(journal, key);
    let recorded = false;
    return (s) => {
      if (!recorded) {
        recorded = true;
        journal.remember({ ...key, origin: 'attach', context: this.c.context, user: this.c.store.getState().connection.user || null });
      }
      void noter.note({ state: s.state, total: s.totalItemCount, completed: s.completedItemCount, counts: s.counts });
    };
  }

  /** Whether the journal keeps the execution's records, and how its reruns went (each refreshed by one cheap poll). */
  loadLineage(ref: ExecRef): void {
    void this.c.loads.run('lineage', execKey(ref), async (signal) => {
      const journal = this.journal;
      if (!journal || !this.c.client) return { recordsKept: false, reruns: null };
      const key = this.keyOf(ref);
      const recordsKept = journal.get(key)?.recordsKept ?? false;
      const reruns = journal.reruns(key);
      for (const r of reruns.slice(-MAX_REFRESHED_RERUNS)) {
        if (r.state !== null && isEndedState(r.state)) continue;
        try {
          const s = await (await this.c.batchOf(r)).poll({ showPartialResults: false, signal });
          journal.noteState(r, { state: s.state, total: s.totalItemCount, completed: s.completedItemCount });
        } catch {
          // The line says what the journal last knew.
        }
      }
      return { recordsKept, reruns: rerunsLine(journal.reruns(key)) };
    });
  }

  /** Per original index, the latest attempt among the execution and its reruns (each polled once, with results). */
  loadMerged(ref: ExecRef): void {
    void this.c.loads.run('merged', execKey(ref), async () => {
      const key = this.keyOf(ref);
      const attempts = this.journal ? lineageOf(this.journal, key) : [{ id: ref.id, version: ref.version, startedAt: 0, toOriginal: null }];
      const data: PollSnapshot[] = [];
      for (const a of attempts) data.push(await new Poller(await this.c.batchOf({ ...ref, id: a.id, version: a.version })).pollOnce());
      return mergedData(mergeAttempts(attempts, data));
    });
  }

  /**
   * Starts the records at `indices` as a new execution, journals its lineage and attaches to it;
   * `known` are the records the app holds for it (read when it started it, or the journal's).
   * Refused as `mlbatch rerun` refuses it (journal/rerun.ts), with the reason on the status line.
   */
  async rerun(ref: ExecRef, indices: number[], known?: readonly BatchRecord[]): Promise<{ batch: Batch; ref: ExecRef; records: BatchRecord[] } | undefined> {
    const s = this.c.store.getState();
    try {
      const target = await this.c.requireClient().getService(ref.service, ref.version);
      const started = await startRerun({
        journal: this.journal, parent: this.keyOf(ref), parentName: 'this execution', total: await this.totalOf(ref), indices, target,
        source: known ? { held: known } : { journal: true }, user: s.connection.user || null, context: this.c.context,
        fallbackParallelCount: (this.isAttached(ref) && s.exec.parallelCount) || undefined,
      });
      return { batch: started.batch, ref: { ...ref, id: started.key.id }, records: started.records };
    } catch (err) {
      s.setStatus(`Rerun not started: ${errorText(err)}`, 'error');
      return undefined;
    }
  }

  private isAttached(ref: ExecRef): boolean {
    const attached = this.c.store.getState().exec.ref;
    return attached !== null && execKey(attached) === execKey(ref);
  }

  /** An execution's record count: the attached one's as last polled, another's from one counts-only poll. */
  private async totalOf(ref: ExecRef): Promise<number> {
    const { exec } = this.c.store.getState();
    if (this.isAttached(ref) && exec.total > 0) return exec.total;
    return (await (await this.c.batchOf(ref)).poll({ showPartialResults: false })).totalItemCount;
  }

  /**
   * The journal's executions (of one service, or all on this server) merged with what the server
   * lists: newest first, server-only ones after, journaled ones the server no longer lists marked.
   */
  async mergeList(def: WebService | undefined, listed: Map<string, ExecutionSummary[]>, signal: AbortSignal): Promise<ExecutionSummary[]> {
    const host = this.c.client?.host;
    const journaled = (this.journal?.list() ?? []).filter((e) => e.host === host && (!def || (e.service === def.name && e.version === def.version)));
    const out: ExecutionSummary[] = [];
    const seen = new Set<string>();
    for (const e of journaled) {
      const fromServer = listed.get(`${e.service}/${e.version}`)?.find((x) => x.id === e.id);
      seen.add(`${e.service}/${e.version}/${e.id}`);
      const known = listed.has(`${e.service}/${e.version}`);
      // Not polled yet (the list across services), and ended by the journal's word: that stays true.
      const settled = fromServer?.state === '' && e.state !== null && isEndedState(e.state);
      out.push(fromServer && !settled
        ? { ...fromServer, context: e.context ?? this.c.context, startedAt: e.startedAt, failed: fromServer.failed ?? e.counts?.[ITEM_CODE.Failed] ?? null }
        : { ...summaryOf(e, known && !fromServer), context: e.context ?? this.c.context });
    }
    for (const [sv, rows] of listed) for (const r of rows) if (!seen.has(`${sv}/${r.id}`)) out.push({ ...r, context: this.c.context });
    // Rows the server listed but not yet polled (across services) get one cheap poll each, a few at once.
    await this.pollMissing(out.filter((r) => r.state === '' && !r.gone).slice(0, MAX_POLLED), signal);
    return out;
  }

  private async pollMissing(rows: ExecutionSummary[], signal: AbortSignal): Promise<void> {
    await mapPool(rows, POLLS_AT_ONCE, async (r) => {
      const ref = { service: r.service!, version: r.version!, id: r.id };
      try {
        const p = await (await this.c.batchOf(ref)).poll({ showPartialResults: false, signal });
        Object.assign(r, { state: p.rawState || p.state, total: p.totalItemCount, completed: p.completedItemCount });
        this.journal?.noteState(this.keyOf(ref), { state: p.state, total: p.totalItemCount, completed: p.completedItemCount });
      } catch (err) {
        r.state = `unknown (${errorText(err)})`;
      }
    }, signal);
  }
}

function summaryOf(e: JournalEntry, listedByServer: boolean): ExecutionSummary {
  return {
    id: e.id, service: e.service, version: e.version, state: e.state ?? '', total: e.total ?? 0, completed: e.completed ?? 0,
    startedAt: e.startedAt, failed: e.counts?.[ITEM_CODE.Failed] ?? null, gone: listedByServer,
  };
}

function mergedData(view: ReturnType<typeof mergeAttempts>): MergedData {
  const counts = [0, 0, 0, 0, 0];
  const rows = Array.from({ length: view.totalItemCount }, (_, index) => {
    const code = view.items[index];
    counts[code]++;
    const r = view.result(index);
    const text = r?.error ? r.error : r ? JSON.stringify(r.outputs).slice(0, 300) : '';
    return { index, state: ITEM_STATES[code] ?? 'Pending', from: view.from(index), text };
  });
  return { attempts: view.attempts.map((a) => a.id), rows, counts };
}
