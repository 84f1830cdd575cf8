/** What `mlbatch diff` does: both executions polled with results, compared, printed; exit 0 only when equal. */
import type { Command } from 'commander';
import type { Batch } from '../client/batch.js';
import {
  diffExecutions, indicesOf, sideOfPoll, VERDICT, VERDICT_NAMES, type DiffSummary, type Verdict,
} from '../analysis/diff.js';
import { safeText } from '../text/safe-text.js';
import { cutCells } from '../text/cells.js';
import { ASCII_GLYPHS, differenceText, VERDICT_LABEL } from '../report/diff-text.js';
import type { DecodedPoll } from '../client/decode.js';
import { EXIT, ExitError } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { printTable } from './output.js';
import { printJson } from './print.js';
import { openExecution, type OpenOptions } from './shared.js';
import { executionArgs } from './execution-query.js';
import type { ExecutionQuery } from '../journal/find-execution.js';

/** One side of a diff: the execution, and the context it was read from (null: a host no context has). */
export interface DiffSide {
  batch: Batch;
  context: string | null;
}

function sideJson({ batch, context }: DiffSide, poll: DecodedPoll, size: number) {
  return {
    service: batch.service.name, version: batch.service.version, executionId: batch.requireId(), state: poll.state, size,
    context, host: batch.service.http.host,
  };
}

/** The --json document (see `mlbatch help diff`). */
export function diffJson(a: DiffSide, pa: DecodedPoll, b: DiffSide, pb: DecodedPoll, s: DiffSummary) {
  const indices = {} as Record<Exclude<Verdict, 'equal'>, number[]>;
  for (const v of VERDICT_NAMES) if (v !== 'equal') indices[v] = indicesOf(s.verdicts, v);
  return {
    a: sideJson(a, pa, s.sizeA),
    b: sideJson(b, pb, s.sizeB),
    tolerance: s.tolerance,
    equal: s.equal,
    compared: s.compared,
    counts: s.counts,
    outputs: s.outputs,
    ...(s.outputsLeftOut ? { outputsLeftOut: s.outputsLeftOut } : {}),
    indices,
  };
}

const SHOWN_INDICES = 20;

function printDiff(a: DiffSide, pa: DecodedPoll, b: DiffSide, pb: DecodedPoll, s: DiffSummary): void {
  const out: string[] = [];
  // The sides name their servers only when they differ: the usual diff is of one server's executions.
  const where = (side: DiffSide) => `${side.context ?? side.batch.service.http.host}  `;
  const apart = a.context !== b.context || a.batch.service.http.host !== b.batch.service.http.host;
  const side = (label: string, { batch, context }: DiffSide, p: DecodedPoll, size: number) =>
    `${label}  ${apart ? where({ batch, context }) : ''}${batch.service.name} ${batch.service.version}  ${batch.requireId()}  ${p.state}  ${size} records`;
  out.push(safeText(side('A', a, pa, s.sizeA)), safeText(side('B', b, pb, s.sizeB)));
  const c = s.counts;
  const parts = [`${c.equal} equal`, `${c.different} different`, `${c.failedInOne} failed in one only (A ${c.failedInA}, B ${c.failedInB})`, `${c.failedInBoth} failed in both`];
  if (c.unfinished) parts.push(`${c.unfinished} unfinished`);
  if (c.onlyInOne) parts.push(`${c.onlyInOne} only in one`);
  out.push(`${s.compared} compared, tolerance ${s.tolerance} (absolute): ${parts.join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (s.outputs.length) {
    process.stdout.write('\n');
    printTable(['OUTPUT', 'DIFFERENT', 'MAX DIFFERENCE', 'LARGEST DIFFERENCES (index: A -> B)'], s.outputs.map((o) => [
      cutCells(o.name, 40), String(o.different), o.maxDelta === null ? '-' : String(Number(o.maxDelta.toPrecision(6))),
      o.largest.slice(0, 3).map((d) => differenceText(d, ASCII_GLYPHS)).join('; ') || '-',
    ]));
  }
  if (s.outputsLeftOut) process.stdout.write(`(${s.outputsLeftOut} more output names differed; --json counts them too)\n`);
  const lines: string[] = [];
  for (const v of VERDICT_NAMES) {
    if (v === 'equal') continue;
    const shown = indicesOf(s.verdicts, v, SHOWN_INDICES + 1);
    if (!shown.length) continue;
    let total = 0;
    for (const x of s.verdicts) if (x === VERDICT[v]) total++;
    const more = total > SHOWN_INDICES ? `, … ${total - SHOWN_INDICES} more` : '';
    lines.push(`${VERDICT_LABEL[v]}: ${shown.slice(0, SHOWN_INDICES).join(', ')}${more}`);
  }
  if (lines.length) process.stdout.write(`\n${lines.join('\n')}\n`);
  process.stdout.write(`\n${s.equal ? `equal within ${s.tolerance}` : 'not equal'}\n`);
}

/** The two executions of `diff`'s arguments: six (service, version and id of each) or two ids alone. */
export function diffQueries(args: readonly string[]): [ExecutionQuery, ExecutionQuery] {
  if (args.length === 2) return [{ id: args[0] }, { id: args[1] }];
  if (args.length === 6) return [executionArgs('diff', args.slice(0, 3)).query, executionArgs('diff', args.slice(3)).query];
  throw new ExitError(EXIT.usage, `diff takes <service> <version> <id> <service2> <version2> <id2>, or <id> <id2> alone (${args.length} argument${args.length === 1 ? ' was' : 's were'} given)`);
}

/** `diff`: compares execution A with execution B. */
export async function diff(args: string[], _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<{ tolerance: number; allowSizeMismatch?: boolean; contextB?: string }>(command);
  const [qa, qb] = diffQueries(args);
  const open = async (query: ExecutionQuery, options: OpenOptions = {}): Promise<DiffSide> => {
    const { batch, context } = await openExecution(command, query, options);
    return { batch, context };
  };
  // B in another context: its own server, user and saved login; nothing of A's flags but --insecure.
  const bFlags = flags.contextB !== undefined ? { context: flags.contextB, insecure: flags.insecure } : undefined;
  const [a, b] = await Promise.all([open(qa), open(qb, { flags: bFlags })]);
  const [pa, pb] = await Promise.all([a.batch.poll(), b.batch.poll()]);
  for (const [{ batch }, p] of [[a, pa], [b, pb]] as const) {
    if (p.state === 'Pending' || p.state === 'InProgress') {
      process.stderr.write(`note: execution ${safeText(batch.requireId())} is still ${p.state}; its unfinished records count as unfinished\n`);
    }
  }
  const outputOrder = [...a.batch.service.outputs, ...b.batch.service.outputs].map((o) => o.name);
  const summary = diffExecutions(sideOfPoll(pa), sideOfPoll(pb), {
    tolerance: flags.tolerance, allowSizeMismatch: flags.allowSizeMismatch, outputOrder,
  });
  if (flags.json) printJson(diffJson(a, pa, b, pb, summary));
  else printDiff(a, pa, b, pb, summary);
  return summary.equal ? EXIT.ok : EXIT.failed;
}
