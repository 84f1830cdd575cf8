/** The identity of a records file: its absolute path and a sha256 of its bytes. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';

/** Absolute path and sha256 (hex) of a file. */
export async function fileIdentity(path: string): Promise<{ path: string; hash: string }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path: resolve(path), hash: hash.digest('hex') };
}
