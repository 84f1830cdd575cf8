/** `mlbatch status`, `ls`, `cancel` and `export`: one execution (or a service's list) at a glance. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { Poller, type PollSnapshot } from '../batch/poller.js';
import { safeText } from '../batch/safe-text.js';
import { ITEM_CODE } from '../protocol.js';
import { EXIT, ExitError, exitCodeForState } from '../session/exit.js';
import { action, printJson, printTable, progressLine } from './output.js';
import { executionSummary, flagsOf, openBatch, openService, openServiceWith } from './shared.js';
import { commandJournal, keyOf, noteAttached } from './journal-use.js';
import { lineageOf, mergeAttempts } from '../journal/merged.js';
import type { Service } from '../batch/service.js';
import type { Client } from '../batch/client.js';
import { exportRows, type ExportFormat } from './export-format.js';
import { watchExecution } from './watch.js';
import { pollBudgetOption, resolvePollBudget } from '../session/poll-budget.js';

/** Adds status, ls, cancel and export. */
export function registerExecutionCommands(program: Command): void {
  program
    .command('status')
    .description('state and counts of one execution; with --wait, follow it to the end')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id')
    .option('--wait', 'follow the execution until it ends')
    .option('--fail-on-item-error', 'exit 1 when any record failed')
    .addOption(pollBudgetOption())
    .addHelpText('after', '\nA running count marked ~ is inferred from the parallel count: the server does not report its running records.')
    .action(action(async (name: string, version: string, id: string, _o: unknown, command: Command) => {
      const flags = flagsOf<{ wait?: boolean; failOnItemError?: boolean; pollBudget?: string }>(command);
      const budget = resolvePollBudget(flags.pollBudget);
      const { service, user } = await openServiceWith(command, name, version);
      const batch = service.getBatch(id);
      let snapshot: PollSnapshot;
      if (flags.wait) {
        const watched = await watchExecution(batch, { poller: { budgetBytesPerSecond: budget } });
        if (watched.interrupted) return 130;
        snapshot = watched.snapshot;
      } else {
        snapshot = await new Poller(batch).pollOnce();
      }
      noteAttached(commandJournal(), service, snapshot, user);
      if (flags.json) printJson(executionSummary(batch, snapshot));
      else process.stdout.write(`${safeText(id)} ${progressLine(snapshot)}\n`);
      return exitCodeForState(snapshot.state, snapshot.counts[ITEM_CODE.Failed], Boolean(flags.failOnItemError));
    }));

  program
    .command('ls')
    .description('executions of one service, with their state and counts')
    .argument('<service>').argument('<version>')
    .action(action(async (name: string, version: string, _o: unknown, command: Command) => {
      const service = await openService(command, name, version);
      const ids = await service.listBatchExecutions();
      // Counts only: listing must stay cheap even when executions are large.
      const rows = await mapLimit(ids, 4, async (id) => {
        try {
          const p = await service.getBatch(id).poll({ showPartialResults: false });
          return { executionId: id, state: p.state, totalItemCount: p.totalItemCount, completedItemCount: p.completedItemCount };
        } catch (err) {
          return { executionId: id, error: (err as Error).message };
        }
      });
      if (flagsOf(command).json) return printJson(rows);
      if (rows.length === 0) return void process.stderr.write(`${name} ${version} has no executions\n`);
      printTable(['EXECUTION', 'STATE', 'DONE'], rows.map((r) => 'error' in r
        ? [r.executionId, 'unknown', r.error ?? '']
        : [r.executionId, r.state, `${r.completedItemCount}/${r.totalItemCount}`]));
    }));

  program
    .command('cancel')
    .description('cancel an execution: no new record starts; results so far stay readable')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id')
    .action(action(async (name: string, version: string, id: string, _o: unknown, command: Command) => {
      const batch = await openBatch(command, name, version, id);
      await batch.cancel();
      const p = await batch.poll({ showPartialResults: false });
      if (flagsOf(command).json) printJson({ executionId: id, state: p.state, completedItemCount: p.completedItemCount, totalItemCount: p.totalItemCount });
      else process.stdout.write(`${safeText(id)} cancel requested; now ${p.state} ${p.completedItemCount}/${p.totalItemCount} done\n`);
    }));

  program
    .command('export')
    .description('write every record\'s state, error and outputs as CSV or JSON lines')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'jsonl']).default('csv'))
    .option('--out <file>', 'write to FILE instead of standard output')
    .option('--merged', 'with its reruns (from the journal): per index, the latest attempt, and an execution column naming it')
    .action(action(async (name: string, version: string, id: string, _o: unknown, command: Command) => {
      const flags = flagsOf<{ format: ExportFormat; out?: string; merged?: boolean }>(command);
      const { client, service } = await openServiceWith(command, name, version);
      const batch = service.getBatch(id);
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
    }));
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

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
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
