/** What screens ask of the outside world (server calls, downloads, quitting), provided by context. */
import { createContext, useContext } from 'react';
import type { WebService } from './protocol.js';
import type { ExecRef } from './store/types.js';
import type { RecordsPreview } from './batch/records.js';

/** One execution of a service as the Executions screen lists it. */
export interface ExecutionSummary {
  id: string;
  state: string;
  total: number;
  completed: number;
}


/** Operations the screens trigger; each reports failures to the status line itself. */
export interface AppActions {
  quit(): void;
  attach(ref: ExecRef): void;
  cancelExecution(): Promise<void>;
  setPartial(partial: boolean): void;
  listArtifacts(ref: ExecRef, index: number): Promise<string[]>;
  readArtifactText(ref: ExecRef, index: number, fileName: string): Promise<string>;
  downloadArtifacts(ref: ExecRef, index: number, fileNames?: string[]): void;
  downloadAll(ref: ExecRef): void;
  connect(host: string, user: string, password: string): Promise<boolean>;
  listServices(): Promise<WebService[]>;
  listExecutions(service: WebService): Promise<ExecutionSummary[]>;
  previewRecords(service: WebService, file: string): Promise<RecordsPreview>;
  startBatch(service: WebService, file: string, parallelCount: number): Promise<void>;
}

/** Provides the actions to screens. */
export const ActionsContext = createContext<AppActions | null>(null);

/** The actions of the nearest provider. */
export function useActions(): AppActions {
  const a = useContext(ActionsContext);
  if (!a) throw new Error('useActions outside of an ActionsContext provider');
  return a;
}
