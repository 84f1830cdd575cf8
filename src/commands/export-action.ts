/** What `mlbatch export` does: every record's state, error and outputs as CSV or JSON lines, to stdout or a file. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { Client } from '../client/client.js';
import { Poller, type PollSnapshot } from '../watch/poller.js';
import { safeText } from '../text/safe-text.js';
import type { Service } from '../client/service.js';
import { lineageOf, mergeAttempts } from '../journal/merged.js';
import { EXIT, ExitError } from '../session/exit.js';
import { exportRows, type ExportFormat } from './export-format.js';
import { flagsOf } from './flags.js';
import { commandJournal, keyOf } from './journal-use.js';
import { openExecution } from './shared.js';
import { executionArgs } from './execution-query.js';

/** `export`: writes the rows of one execution (with --merged, of it and its reruns). */
export async function exportExecution(args: string[], _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<{ format: ExportFormat; out?: string; merged?: boolean }>(command);
  const { client, service, id, batch } = await openExecution(command, executionArgs('export', args).query);
  const poller = new Poller(batch);
  const snapshot = await poller.pollOnce();
  const merged = flags.merged ? await mergedOf(client, service, snapshot) : undefined;
  const rows = Readable.from(merged
    ? exportRows(merged, batch.service.outputs, flags.format, merged.from)
    : exportRows(snapshot, batch.service.outputs, flags.format));
  if (flags.out) {
    await pipeline(rows, await openOutput(flags.out));
    process.stderr.write(`wrote ${snapshot.totalItemCount} rows to ${flags.out}\n`);
  } else {
    for await (const line of rows) {
      if (!process.stdout.write(line as string)) await new Promise((r) => process.stdout.once('drain', r));
    }
  }
  if (merged) process.stderr.write(`merged ${merged.attempts.length} execution${merged.attempts.length === 1 ? '' : 's'}: ${merged.attempts.map((a) => safeText(a.id)).join(', ')}\n`);
  else if (!snapshot.ended) process.stderr.write(`note: execution ${safeText(id)} is still ${snapshot.state}; unfinished records are exported as such\n`);
  return EXIT.ok;
}

/** The merged view of an execution and the reruns the journal knows of it (each polled once, with results). */
async function mergedOf(client: Client, service: Service, original: PollSnapshot) {
  const journal = commandJournal();
  const key = keyOf(service, original.executionId);
  const attempts = lineageOf(journal, { ...key, startedAt: journal.get(key)?.startedAt });
  const data = [original];
  for (const a of attempts.slice(1)) {
    const s = a.version === service.version ? service : await client.getService(service.name, a.version);
    data.push(await new Poller(s.getBatch(a.id)).pollOnce());
  }
  return mergeAttempts(attempts, data);
}

/** A write stream once the file is open, or a usage error naming the file and why it cannot be written. */
function openOutput(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.once('open', () => resolve(stream));
    stream.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'its directory does not exist'
        : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied'
          : err.code === 'EISDIR' ? 'it is a directory' : err.message;
      reject(new ExitError(EXIT.usage, `--out ${path}: cannot write the file: ${why}`));
    });
  });
}
