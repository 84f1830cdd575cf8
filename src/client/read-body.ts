/**
 * Reads a response body into one buffer that is never copied: a large poll answer costs its own
 * size once (not a list of chunks plus their concatenation, plus text decoded from that).
 */

/** ES2024's growable ArrayBuffer (Node 20 has it; the project's lib setting predates it). */
interface Growable extends ArrayBuffer {
  resize(byteLength: number): void;
}
const GrowableBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => Growable;

/** Thrown by `readBody` when the body passes `limit`; the caller words the error. */
export class BodyTooLarge extends Error {}

/**
 * Reads `body` whole. With an exact `declared` length the buffer is allocated once; otherwise
 * (chunked, or compressed so that the declared length is not the decoded one) it is a growable
 * ArrayBuffer that reserves `limit` bytes of address space but only ever touches what arrives,
 * so growing never copies. `progress` runs per chunk (the stall clock).
 */
export async function readBody(
  body: ReadableStream<Uint8Array>, declared: number | undefined, limit: number, progress: () => void,
): Promise<Buffer> {
  let fixed = declared !== undefined && declared <= limit ? Buffer.allocUnsafe(declared) : undefined;
  let growable: Growable | undefined;
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    progress();
    const end = total + value.byteLength;
    if (end > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    if (fixed && end > fixed.length) {
      // More than declared (a server that got it wrong): carry on in a growable buffer.
      growable = new GrowableBuffer(fixed.length, { maxByteLength: limit });
      fixed.copy(new Uint8Array(growable), 0, 0, total);
      fixed = undefined;
    }
    if (fixed) {
      fixed.set(value, total);
    } else {
      growable ??= new GrowableBuffer(0, { maxByteLength: limit });
      if (end > growable.byteLength) growable.resize(Math.min(limit, Math.max(end, growable.byteLength + (8 << 20))));
      new Uint8Array(growable, total, value.byteLength).set(value);
    }
    total = end;
  }
  if (fixed) return total === fixed.length ? fixed : fixed.subarray(0, total);
  if (!growable) return Buffer.alloc(0);
  growable.resize(total);
  return Buffer.from(growable, 0, total);
}
