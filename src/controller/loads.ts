/** The one place stale loads are cancelled: one load per resource, the newest wins, a released one never lands. */
import type { AppStore } from '../store/app-store.js';
import type { ResourceName, Resources } from '../store/types.js';
import { errorText } from '../session/error-text.js';

/** How a load treats what the resource already holds. */
export interface LoadOptions<T> {
  /** Keep the data of the same key shown while this load runs (default true: a reload shows the last answer meanwhile). */
  keep?: boolean;
  /** Combines the data shown with the answer (a refresh that keeps rows in place). */
  merge?: (old: T | undefined, fresh: T) => T;
}

/** Runs loads into the store's resources, each with its own AbortController. */
export class Loads {
  private readonly current = new Map<ResourceName, AbortController>();

  constructor(private readonly store: AppStore) {}

  /**
   * Loads `name` as `key`: aborts the resource's previous load, marks it loading, and stores the
   * answer or the error only if no newer load or release came since. Resolves once settled.
   */
  run<K extends ResourceName>(
    name: K,
    key: string,
    fetch: (signal: AbortSignal) => Promise<Resources[K]>,
    options: LoadOptions<Resources[K]> = {},
  ): { signal: AbortSignal; settled: Promise<void> } {
    this.current.get(name)?.abort();
    const abort = new AbortController();
    this.current.set(name, abort);
    const { signal } = abort;
    this.store.getState().loadStarted(name, key, options.keep ?? true);
    const settled = fetch(signal).then(
      (fresh) => {
        if (signal.aborted) return;
        const shown = this.store.getState().resources[name];
        const old = shown.key === key ? (shown.data as Resources[K] | undefined) : undefined;
        this.store.getState().loadDone(name, key, options.merge ? options.merge(old, fresh) : fresh);
      },
      (err: unknown) => {
        if (!signal.aborted) this.store.getState().loadFailed(name, key, errorText(err));
      },
    );
    return { signal, settled };
  }

  /** Whether `signal` belongs to the resource's current load. */
  isCurrent(name: ResourceName, signal: AbortSignal): boolean {
    return this.current.get(name)?.signal === signal && !signal.aborted;
  }

  /** Aborts the resource's load and forgets its data. */
  release(name: ResourceName): void {
    this.current.get(name)?.abort();
    this.current.delete(name);
    this.store.getState().loadReset(name);
  }

  /** Aborts every load (on quit); the store keeps what it shows. */
  stopAll(): void {
    for (const abort of this.current.values()) abort.abort();
    this.current.clear();
  }
}
