/** What `mlbatch stats` does: one poll with results, each decoded once into the figures, as text or JSON. */
import type { Command } from 'commander';
import { barRows, chartPoints, lineChart } from '../report/charts.js';
import { itemCodeOf } from '../client/decode.js';
import { ExecutionStats, type StatsSummary } from '../analysis/execution-stats.js';
import { ServiceResponse } from '../client/responses.js';
import { outputCells } from '../report/stats-rows.js';
import { arraySource } from '../client/result-source.js';
import { safeText } from '../text/safe-text.js';
import { formatDuration } from '../text/units.js';
import { ITEM_CODE } from '../protocol.js';
import { EXIT } from '../session/exit.js';
import { flagsOf } from './flags.js';
import { tableLines } from './output.js';
import { printJson } from './print.js';
import { openExecution } from './shared.js';
import { executionArgs } from './execution-query.js';

function timeOf(text?: string): number | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** Bins of each output's sparkline in the text report. */
const SPARK_BINS = 16;

const seconds = (ms: number | null | undefined) => formatDuration(ms, 3);

/** The text report: a line of counts, the two rate charts, the duration figures and bars, the outputs. */
export function statsText(head: { service: string; version: string; executionId: string; state: string; totalItemCount: number }, s: StatsSummary, width: number): string[] {
  const out = [`${head.service} ${head.version} ${head.executionId}  ${head.state}  ${s.records}/${head.totalItemCount} finished, ${s.failed} failed`];
  const r = s.rates;
  if (r) {
    const from = r.source === 'records' ? 'record end times' : 'polls';
    out.push('', `throughput (records/s, from ${from}; ${seconds(r.binMs)} per point)`, ...lineChart(r.perSecond, width, 8, true));
    out.push('', 'failed (% of records finished per point)', ...lineChart(r.failedPercent, width, 5, true));
  } else {
    out.push('', 'throughput: no record carries an end time (a real ML Server gives none)');
  }
  const d = s.durations;
  out.push('');
  if (d) {
    out.push(`record durations (${d.count} records with start and end times)`);
    out.push(`  min ${seconds(d.min)}  mean ${seconds(d.mean)}  p50 ${seconds(d.p50)}  p95 ${seconds(d.p95)}  p99 ${seconds(d.p99)}  max ${seconds(d.max)}`);
    if (d.histogram) {
      const bars = barRows(d.histogram.counts, 4, true).map((l) => `  ${l}`);
      out.push(...bars, `  ${seconds(d.histogram.min)} .. ${seconds(d.histogram.max)}`);
    }
  } else {
    out.push('record durations: no record carries both a start and an end time');
  }
  out.push('');
  return [...out, ...outputLines(s)];
}

function outputLines(s: StatsSummary): string[] {
  if (s.outputs.length === 0) return ['outputs: none summarised'];
  const rows = s.outputs.map((o) => {
    const c = outputCells(o, true);
    return [c.name, c.count, c.min, c.mean, c.max, c.spread].map((x) => safeText(x));
  });
  const lines = tableLines(['OUTPUT', 'COUNT', 'MIN', 'MEAN', 'MAX', 'DISTRIBUTION / MOST FREQUENT'], rows);
  if (s.outputsLeftOut) lines.push(`(${s.outputsLeftOut} more outputs not summarised)`);
  return lines;
}

/** `stats`: the figures of one execution. */
export async function stats(args: string[], _o: unknown, command: Command): Promise<number> {
  const flags = flagsOf<{ bins?: number }>(command);
  const { id, batch } = await openExecution(command, executionArgs('stats', args).query);
  const poll = await batch.poll({ showPartialResults: true });
  const source = poll.lazy ?? arraySource(poll.results);
  const stats = new ExecutionStats(batch.service.outputs);
  // Each result is decoded, read and let go: nothing per record is kept but a few numbers.
  for (let i = 0; i < source.length; i++) {
    if (!source.present(i)) continue;
    const raw = source.raw(i);
    const code = itemCodeOf(raw);
    if (code !== ITEM_CODE.Complete && code !== ITEM_CODE.Failed) continue;
    const r = new ServiceResponse(raw, batch.service.outputs);
    stats.add({ failed: code === ITEM_CODE.Failed, startMs: timeOf(r.raw.startTime), endMs: timeOf(r.raw.endTime), outputs: r.outputs }, code === ITEM_CODE.Failed);
  }
  const width = Math.max(40, Math.min(120, process.stdout.columns || 80));
  const bins = Math.min(200, flags.bins ?? 20);
  const summary = flags.json ? stats.summary({ bins }) : stats.summary({ bins: chartPoints(width), durationBins: width - 2, outputBins: SPARK_BINS });
  const head = { service: batch.service.name, version: batch.service.version, executionId: id, state: poll.state, totalItemCount: poll.totalItemCount };
  if (flags.json) printJson({ ...head, ...summary });
  else process.stdout.write(statsText(head, summary, width).map((l) => safeText(l)).join('\n') + '\n');
  return EXIT.ok;
}
