/** `mlbatch diff`: two executions compared record by record, with an exit code a CI pipeline can gate on. */
import { InvalidArgumentError, type Command } from 'commander';
import type { Batch } from '../batch/batch.js';
import {
  diffExecutions, indicesOf, sideOfPoll, VERDICT, VERDICT_NAMES, type DiffSummary, type Verdict,
} from '../batch/diff.js';
import { safeText } from '../batch/safe-text.js';
import { cutCells } from '../batch/cells.js';
import { ASCII_GLYPHS, differenceText, VERDICT_LABEL } from '../batch/diff-text.js';
import type { DecodedPoll } from '../batch/decode.js';
import { EXIT } from '../session/exit.js';
import { action, printJson, printTable } from './output.js';
import { flagsOf, openBatch } from './shared.js';

const HELP = `
Records are matched by index. Outputs are compared by name: numbers are equal when |a - b| is at
most --tolerance (an absolute tolerance; no relative one is applied), NaN equals NaN and an
infinity the same infinity (also when a server spells them "NaN", "Infinity", "-Infinity");
text, logical values and null must be identical, vectors and lists element by element; a type
change or an output missing on one side is a difference.

Each index is one of: equal, different (outputs differ), failed in one only (failed in A or B),
failed in both, unfinished (not complete or failed on a side: pending, running, canceled), only
in one (past the end of the shorter execution, with --allow-size-mismatch).

Exit codes: 0 equal (failures in both count as equal: both failed), 1 not equal (anything
different, failed in one only, unfinished or only in one), 2 usage, different sizes without
--allow-size-mismatch, or an unknown service, version or execution; 4 cannot connect.

--json prints one object:
  a, b          {service, version, executionId, state, size}
  tolerance     the tolerance used
  equal         true when the exit code is 0
  compared      indices present in both executions
  counts        {equal, different, failedInOne, failedInA, failedInB, failedInBoth, unfinished, onlyInOne}
  outputs       [{name, different, missingInA, missingInB, maxDelta,
                  largest: [{index, a, b, delta}]}]  the 5 largest differences per output,
                  non-numeric ones (delta null) first; values longer than 200 characters are
                  cut, as text
  indices       {different, failedInA, failedInB, failedInBoth, unfinished, onlyInA, onlyInB}:
                  the indices of each kind, in order`;

/** Parses --tolerance: a number from 0. */
export function toleranceArgument(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`--tolerance takes a number of at least 0 (like 1e-6), not "${value}"`);
  }
  return n;
}

/** Adds `diff`. */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('compare two executions record by record (e.g. the same records scored by two versions); exit 1 when they differ')
    .argument('<service>').argument('<version>').argument('<id>', 'execution id (A)')
    .argument('<service2>').argument('<version2>').argument('<id2>', 'execution id (B)')
    .option('--tolerance <number>', 'largest absolute difference two numbers may have and still be equal', toleranceArgument, 1e-6)
    .option('--allow-size-mismatch', 'compare executions of different sizes: the common prefix, the rest counted as only in one')
    .addHelpText('after', HELP)
    .action(action(async (s1: string, v1: string, id1: string, s2: string, v2: string, id2: string, _o: unknown, command: Command) => {
      const flags = flagsOf<{ tolerance: number; allowSizeMismatch?: boolean }>(command);
      const [a, b] = await Promise.all([openBatch(command, s1, v1, id1), openBatch(command, s2, v2, id2)]);
      const [pa, pb] = await Promise.all([a.poll(), b.poll()]);
      for (const [batch, p] of [[a, pa], [b, pb]] as const) {
        if (p.state === 'Pending' || p.state === 'InProgress') {
          process.stderr.write(`note: execution ${safeText(batch.requireId())} is still ${p.state}; its unfinished records count as unfinished\n`);
        }
      }
      const outputOrder = [...a.service.outputs, ...b.service.outputs].map((o) => o.name);
      const summary = diffExecutions(sideOfPoll(pa), sideOfPoll(pb), {
        tolerance: flags.tolerance, allowSizeMismatch: flags.allowSizeMismatch, outputOrder,
      });
      if (flags.json) printJson(diffJson(a, pa, b, pb, summary));
      else printDiff(a, pa, b, pb, summary);
      return summary.equal ? EXIT.ok : EXIT.failed;
    }));
}

function sideJson(batch: Batch, poll: DecodedPoll, size: number) {
  return { service: batch.service.name, version: batch.service.version, executionId: batch.requireId(), state: poll.state, size };
}

/** The --json document (see HELP). */
export function diffJson(a: Batch, pa: DecodedPoll, b: Batch, pb: DecodedPoll, s: DiffSummary) {
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

function printDiff(a: Batch, pa: DecodedPoll, b: Batch, pb: DecodedPoll, s: DiffSummary): void {
  const out: string[] = [];
  const side = (label: string, batch: Batch, p: DecodedPoll, size: number) =>
    `${label}  ${batch.service.name} ${batch.service.version}  ${batch.requireId()}  ${p.state}  ${size} records`;
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
