/** Keeps the answers of ended executions (they never change) up to a byte budget, LRU. */

/** A least-recently-used map of poll bodies by execution id. */
export class BodyCache {
  private readonly map = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  /** The cached body, refreshed as most recently used. */
  get(id: string): Buffer | undefined {
    const body = this.map.get(id);
    if (body) {
      this.map.delete(id);
      this.map.set(id, body);
    }
    return body;
  }

  /** Stores a body, evicting the least recently used ones past the budget. */
  set(id: string, body: Buffer): void {
    this.delete(id);
    if (body.length > this.budget) return;
    this.map.set(id, body);
    this.bytes += body.length;
    for (const [oldId, old] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(oldId);
      this.bytes -= old.length;
    }
  }

  /** Forgets one body. */
  delete(id: string): void {
    const old = this.map.get(id);
    if (!old) return;
    this.map.delete(id);
    this.bytes -= old.length;
  }
}
