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
import { EXIT } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { printTable } from './output.js';
import { printJson } from './print.js';
import { openServiceWith, type OpenOptions } from './shared.js';

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

/** `diff`: compares execution A with execution B. */
export async function diff(s1: string, v1: string, id1: string, s2: string, v2: string, id2: string, _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<{ tolerance: number; allowSizeMismatch?: boolean; contextB?: string }>(command);
  const open = async (name: string, version: string, id: string, options: OpenOptions = {}): Promise<DiffSide> => {
    const { service, context } = await openServiceWith(command, name, version, options);
    return { batch: service.getBatch(id), context };
  };
  // B in another context: its own server, user and saved login; nothing of A's flags but --insecure.
  const bFlags = flags.contextB !== undefined ? { context: flags.contextB, insecure: flags.insecure } : undefined;
  const [a, b] = await Promise.all([open(s1, v1, id1), open(s2, v2, id2, { flags: bFlags })]);
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
