/** What screens ask of the outside world (server calls, downloads, quitting), provided by context. */
import { createContext, useContext } from 'react';
import type { WebService } from './protocol.js';
import type { ExecRef, ExecutionSummary, ResourceName } from './store/types.js';

export type { ExecutionSummary };

/**
 * Operations the screens trigger. Each reports failures to the status line itself, and whatever
 * it loads lands in the store (`resources`, `exec`, `downloads`, the screen stack), never in a
 * screen: a screen calls `load…` when it opens and `release` when it is left.
 */
export interface AppActions {
  quit(): void;
  attach(ref: ExecRef): void;
  cancelExecution(): Promise<void>;
  setPartial(partial: boolean): void;
  /** Loads the services into `resources.services` (the list shown stays while it reloads). */
  loadServices(): void;
  /** Loads a service's executions (every one of the journal and the server, without a service) into `resources.executions`; follows them while any runs. */
  loadExecutions(service?: WebService): void;
  /** Loads what the journal knows of an execution's records and reruns into `resources.lineage`. */
  loadLineage(ref: ExecRef): void;
  /** Loads the merged view of an execution and its reruns into `resources.merged`. */
  loadMerged(ref: ExecRef): void;
  /** Starts the records at `indices` of an execution as a new one (the journal links them) and attaches to it. */
  rerun(ref: ExecRef, indices: number[]): Promise<void>;
  /** Loads the artifact names of one index into `resources.artifacts`. */
  loadArtifacts(ref: ExecRef, index: number): void;
  /** Reads the first records of a file against a service's inputs into `resources.preview`. */
  loadPreview(service: WebService, file: string): void;
  /** Compares two executions index by index into `resources.compare` (A the marked one). */
  loadComparison(a: ExecRef, b: ExecRef): void;
  /** Stops a resource's load (and its following) and forgets it: its screen was left. */
  release(resource: ResourceName): void;
  /** Opens a text artifact in the pager, or says in the status line why not. */
  viewArtifact(ref: ExecRef, index: number, fileName: string): void;
  downloadArtifacts(ref: ExecRef, index: number, fileNames?: string[]): void;
  downloadAll(ref: ExecRef): void;
  /** Groups the attached execution's failures into `errors`, and keeps them current while it is polled. */
  groupErrors(ref: ExecRef): void;
  connect(host: string, user: string, password: string): Promise<boolean>;
  /** Loads the contexts of config.yaml (with whether each has a saved login) into `resources.contexts`. */
  loadContexts(): void;
  /**
   * Logs in to a context with its saved login and, once connected, shows that server's services
   * in place of every screen (the status line says so); resolves to whether it switched. A
   * context without a saved login, or one that cannot connect, is said in the status line.
   */
  switchContext(name: string): Promise<boolean>;
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
