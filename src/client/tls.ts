/** A fetch dispatcher that accepts self-signed TLS certificates, for `--insecure` only. */

// Node 20 ships undici inside its fetch without exporting it; the global dispatcher it installs
// is an undici Agent, whose constructor builds one with our TLS options. This avoids a second
// copy of undici as a dependency.
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

let cached: Promise<unknown> | undefined;

/** Resolves to an undici Agent with certificate checks off; shared by every insecure client. */
export function insecureDispatcher(): Promise<unknown> {
  cached ??= (async () => {
    const g = globalThis as Record<symbol, unknown>;
    // A data: URL fetch makes Node install its global dispatcher without touching the network.
    if (!g[GLOBAL_DISPATCHER]) await fetch('data:,');
    const current = g[GLOBAL_DISPATCHER] as { constructor?: new (o: unknown) => unknown } | undefined;
    const Agent = current?.constructor;
    if (typeof Agent !== 'function') {
      throw new Error('--insecure is not supported by this Node.js fetch (no undici Agent found)');
    }
    return new Agent({ connect: { rejectUnauthorized: false } });
  })();
  return cached;
}
