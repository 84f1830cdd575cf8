/** Server-loaded resources in the store: their keys, their empty state, and how a refresh merges. */
import type { WebService } from '../protocol.js';
import type { ExecRef, ExecutionSummary, Loadable, ResourceName, Resources } from './types.js';

/** Every resource, each with its loading state. */
export type ResourceState = { [K in ResourceName]: Loadable<Resources[K]> };

/** A resource nothing has asked for (or whose screen was left). */
export function idle<T>(): Loadable<T> {
  return { status: 'idle', key: '' };
}

/** All resources idle. */
export function idleResources(): ResourceState {
  return { services: idle(), executions: idle(), artifacts: idle(), preview: idle(), lineage: idle(), merged: idle(), compare: idle(), contexts: idle() };
}

/** The key of the service list (one list per server). */
export const SERVICES_KEY = 'services';

/** The key of the list of contexts (one config file). */
export const CONTEXTS_KEY = 'contexts';

/** The key of a service's executions (or of every execution, without a service). */
export function executionsKey(def: Pick<WebService, 'name' | 'version'> | undefined): string {
  return def ? `${def.name}/${def.version}` : '*';
}

/** The key of an execution's lineage and merged view. */
export function execKey(ref: ExecRef): string {
  return `${ref.service}/${ref.version}/${ref.id}`;
}

/** The key of one index's artifact names. */
export function artifactsKey(ref: ExecRef, index: number): string {
  return `${ref.service}/${ref.version}/${ref.id}/${index}`;
}

/** The key of a records file's preview against a service's inputs. */
export function previewKey(def: Pick<WebService, 'name' | 'version'>, path: string): string {
  return `${def.name}/${def.version}:${path}`;
}

/** The key of a comparison of two executions. */
export function compareKey(a: ExecRef, b: ExecRef): string {
  return `${a.service}/${a.version}/${a.id}:${b.service}/${b.version}/${b.id}`;
}

/** The data of a resource when it is of `key` (a screen never shows another's). */
export function dataOf<T>(loadable: Loadable<T>, key: string): T | undefined {
  return loadable.key === key ? loadable.data : undefined;
}

/** Fresh states and progress in the rows' current order, so the cursor stays on its execution; new ids go last. */
export function mergeInPlace(old: ExecutionSummary[] | undefined | null, fresh: ExecutionSummary[]): ExecutionSummary[] {
  if (!old || old.length === 0) return fresh;
  // An empty answer is a failed listing (reported in the status line), not every execution gone.
  if (fresh.length === 0) return old;
  const byId = new Map(fresh.map((e) => [e.id, e]));
  const kept = old.map((e) => byId.get(e.id) ?? e);
  const known = new Set(old.map((e) => e.id));
  return [...kept, ...fresh.filter((e) => !known.has(e.id))];
}
