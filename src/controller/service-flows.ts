/** Connect, services, executions and compose: the flows before an execution is attached. */
import { connect } from '../batch/client.js';
import { previewRecords, readRecords, type RecordsPreview } from '../batch/records.js';
import { isEndedState, type WebService } from '../protocol.js';
import type { ExecutionSummary } from '../actions.js';
import type { FlowHost } from './flow-host.js';
import { errorText } from '../session/error-text.js';
import { rememberHost } from '../session/remembered.js';

/** The controller's service-level actions, kept apart to keep each file small. */
export class ServiceFlows {
  constructor(private readonly c: FlowHost) {}

  /** Logs in; on success remembers the host and opens the services screen. */
  async connect(host: string, user: string, password: string): Promise<boolean> {
    const s = this.c.store.getState();
    try {
      s.setStatus(`Connecting to ${host}…`);
      this.c.client = await connect({ host, username: user, password });
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

  async listServices(): Promise<WebService[]> {
    try {
      return await this.c.requireClient().listServices();
    } catch (err) {
      this.c.store.getState().setStatus(`Listing services failed: ${errorText(err)}`, 'error');
      return [];
    }
  }

  /** Each execution with its state and progress (one counts-only poll each, at most 4 at once). */
  async listExecutions(def: WebService): Promise<ExecutionSummary[]> {
    try {
      const service = await this.c.service(def);
      const ids = await service.listBatchExecutions();
      const out: ExecutionSummary[] = new Array(ids.length);
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const i = next++;
          try {
            const p = await service.getBatch(ids[i]).poll({ showPartialResults: false });
            out[i] = { id: ids[i], state: p.rawState || p.state, total: p.totalItemCount, completed: p.completedItemCount };
          } catch (err) {
            out[i] = { id: ids[i], state: `unknown (${errorText(err)})`, total: 0, completed: 0 };
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      // Running ones first: they are what people come back for.
      return out.sort((a, b) => Number(isEndedState(a.state)) - Number(isEndedState(b.state)));
    } catch (err) {
      this.c.store.getState().setStatus(`Listing executions failed: ${errorText(err)}`, 'error');
      return [];
    }
  }

  previewRecords(def: WebService, file: string): Promise<RecordsPreview> {
    return previewRecords(file, def.inputParameterDefinitions ?? [], { rows: 8 });
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
      s.push({ kind: 'execution', ref });
      this.c.store.getState().attach(ref, parallelCount);
      this.c.startPolling(ref, batch, records);
      s.setStatus(`Started ${records.length} records as ${ref.id}${warnings.length ? ` (${warnings.join('; ')})` : ''}`);
    } catch (err) {
      s.setStatus(`Not started: ${errorText(err)}`, 'error');
    }
  }
}

