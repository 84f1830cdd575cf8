/** Connect, services, executions and compose: the flows before an execution is attached. */
import { connect } from '../client/client.js';
import { mapPool } from '../client/pool.js';
import { previewRecords, readRecords } from '../records/records.js';
import { isEndedState, type WebService } from '../protocol.js';
import { SERVICES_KEY, executionsKey, mergeInPlace, previewKey } from '../store/resources.js';
import type { ExecutionSummary } from '../store/types.js';
import type { FlowHost } from './flow-host.js';
import { errorText } from '../session/error-text.js';
import { rememberHost } from '../session/remembered.js';
import { sameHost } from '../client/host.js';

/** Above this many executions a refresh costs too many polls to run on its own. */
const MAX_LIVE = 50;

/** The controller's service-level actions, kept apart to keep each file small. */
export class ServiceFlows {
  constructor(private readonly c: FlowHost) {}

  /** Logs in; on success remembers the host and opens the services screen. */
  async connect(host: string, user: string, password: string): Promise<boolean> {
    const s = this.c.store.getState();
    // The context the app opened in offered its server: another server typed here is not that context.
    const offered = s.connection.host;
    try {
      s.setStatus(`Connecting to ${host}…`);
      this.c.client = await connect({ host, username: user, password });
      if (!offered || !sameHost(offered, host)) {
        this.c.context = null;
        s.setContext(null);
      }
      s.setConnection(this.c.client.host, user, true);
      await rememberHost(this.c.client.host, user).catch(() => undefined);
      s.replaceAll({ kind: 'services' });
      s.setStatus(`Connected to ${this.c.client.host} as ${user}`);
      return true;
    } catch (err) {
      s.setStatus(`Cannot connect: ${errorText(err)}`, 'error');
      return false;
    }
  }

  /** The services into the store; a failure is said in the status line and kept as the load's error. */
  loadServices(): void {
    void this.c.loads.run('services', SERVICES_KEY, () =>
      this.c.requireClient().listServices().catch((err: unknown) => {
        this.c.store.getState().setStatus(`Listing services failed: ${errorText(err)}`, 'error');
        throw err;
      }),
    );
  }

  /**
   * A service's executions into the store. While any listed one runs (and there are not too
   * many), they are listed again every `listRefreshMs`, merged so each row keeps its place,
   * until the resource is released or loaded anew.
   */
  loadExecutions(def: WebService | undefined, refresh = false): void {
    const key = executionsKey(def);
    const { signal, settled } = this.c.loads.run('executions', key, (sig) => this.listExecutions(def, sig), refresh ? { merge: mergeInPlace } : {});
    void settled.then(() => {
      const rows = this.c.store.getState().resources.executions;
      if (signal.aborted || rows.key !== key) return;
      const list = rows.data ?? [];
      if (list.length > MAX_LIVE || !list.some((e) => !isEndedState(e.state))) return;
      const timer = setTimeout(() => this.loadExecutions(def, true), this.c.listRefreshMs);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    });
  }

  /** The executions of one service (or of every service), merged with the journal's. */
  private async listExecutions(def: WebService | undefined, signal: AbortSignal): Promise<ExecutionSummary[]> {
    try {
      const listed = new Map<string, ExecutionSummary[]>();
      if (def) listed.set(`${def.name}/${def.version}`, await this.listService(def, signal));
      else {
        for (const sv of await this.c.requireClient().listServices()) {
          const ids = await (await this.c.service(sv)).listBatchExecutions().catch(() => undefined);
          if (ids) listed.set(`${sv.name}/${sv.version}`, ids.map((id) => ({ id, service: sv.name, version: sv.version, state: '', total: 0, completed: 0 })));
        }
      }
      return await this.c.journal.mergeList(def, listed, signal);
    } catch (err) {
      if (!signal.aborted) this.c.store.getState().setStatus(`Listing executions failed: ${errorText(err)}`, 'error');
      throw err;
    }
  }

  /** Each execution with its state and progress (one counts-only poll each, at most 4 at once), running ones first. */
  private async listService(def: WebService, signal: AbortSignal): Promise<ExecutionSummary[]> {
    const service = await this.c.service(def);
    const ids = await service.listBatchExecutions();
    const out = await mapPool(ids, 4, async (id): Promise<ExecutionSummary> => {
      try {
        const p = await service.getBatch(id).poll({ showPartialResults: false, signal });
        const row: ExecutionSummary = { id, service: def.name, version: def.version, state: p.rawState || p.state, total: p.totalItemCount, completed: p.completedItemCount };
        // Only what the server says: a real one reports neither.
        if (p.ext?.runningItemCount !== undefined) row.running = p.ext.runningItemCount;
        if (p.ext?.parallelCount !== undefined) row.parallelCount = p.ext.parallelCount;
        return row;
      } catch (err) {
        return { id, service: def.name, version: def.version, state: `unknown (${errorText(err)})`, total: 0, completed: 0 };
      }
    }, signal);
    // Running ones first: they are what people come back for.
    return out.sort((a, b) => Number(isEndedState(a.state)) - Number(isEndedState(b.state)));
  }

  /** The first rows of a records file, checked against the service's inputs, into the store. */
  loadPreview(def: WebService, file: string): void {
    void this.c.loads.run('preview', previewKey(def, file), () => previewRecords(file, def.inputParameterDefinitions ?? [], { rows: 8 }));
  }

  /** Reads and validates every record, starts the batch (never retried) and opens its grid. */
  async startBatch(def: WebService, file: string, parallelCount: number): Promise<void> {
    const s = this.c.store.getState();
    try {
      s.setStatus(`Reading ${file}…`);
      const { records, warnings } = await readRecords(file, def.inputParameterDefinitions ?? []);
      const service = await this.c.service(def);
      const batch = await service.batch(records, { parallelCount }).start();
      const ref = { service: def.name, version: def.version, id: batch.requireId() };
      await this.c.journal.started(ref, file, records, parallelCount);
      // The form has done its job: q on the grid goes back past it, not into a field that takes q as text.
      s.replaceTop({ kind: 'execution', ref });
      this.c.store.getState().attach(ref, parallelCount);
      this.c.startPolling(ref, batch, records);
      s.setStatus(`Started ${records.length} records as ${ref.id}${warnings.length ? ` (${warnings.join('; ')})` : ''}`);
    } catch (err) {
      s.setStatus(`Not started: ${errorText(err)}`, 'error');
    }
  }
}

