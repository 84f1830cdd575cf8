/**
 * Checks and coerces a record's inputs against the service's `inputParameterDefinitions`, the
 * same way for every runtime, before anything runs, by the input rules of protocol.ts (the
 * client checks records files with the same rules before sending): numeric → number, integer →
 * safe whole number, logical → boolean, character → string, vector → array, matrix → array of
 * equal-length arrays, data.frame → object of equal-length column arrays. Numeric and logical
 * text ("110", "true") is accepted, as records read from CSV often carry it. A missing or null
 * input stays so (NA). Fields the service does not declare are passed on untouched (records may
 * carry extra columns), but every field is checked for nesting depth and out-of-range numbers:
 * a value nested thousands deep would overflow the stack wherever it is serialised next.
 */
import { checkInput, valueProblem, type BatchRecord, type ParameterDefinition } from '../protocol.js';
import { badRequest } from './errors.js';

/** How many problems one 400 lists before saying how many more there are. */
const MAX_LISTED = 5;

const label = (key: string) => (key.length > 60 ? `${key.slice(0, 57)}...` : key);

/** The record with its declared inputs coerced, or the problems, each naming the input or field. */
function coerceRecord(
  defs: readonly ParameterDefinition[],
  declared: ReadonlySet<string>,
  record: BatchRecord,
  maxDepth: number,
): { record: BatchRecord; problems: string[] } {
  let out: BatchRecord | undefined;
  const problems: string[] = [];
  for (const key in record) {
    if (declared.has(key)) continue;
    const problem = valueProblem(record[key], maxDepth);
    if (problem) problems.push(`field '${label(key)}' ${problem}`);
  }
  for (const { name, type } of defs) {
    if (!Object.hasOwn(record, name)) continue;
    const value = record[name];
    const c = checkInput(type, value, maxDepth);
    if (!c.ok) problems.push(`input '${label(name)}' ${c.problem}`);
    else if (c.value !== value) (out ??= { ...record })[name] = c.value;
  }
  return { record: out ?? record, problems };
}

/** One consume's inputs, coerced; 400 naming every bad input. */
export function checkConsumeInputs(
  defs: readonly ParameterDefinition[],
  record: BatchRecord,
  maxDepth: number,
): BatchRecord {
  const { record: coerced, problems } = coerceRecord(defs, new Set(defs.map((d) => d.name)), record, maxDepth);
  if (problems.length > 0) throw badRequest(problems.join('; '));
  return coerced;
}

/** A batch's records, coerced in place; 400 naming the first bad records (0-based) and inputs. */
export function checkBatchInputs(
  defs: readonly ParameterDefinition[],
  records: BatchRecord[],
  maxDepth: number,
): BatchRecord[] {
  const declared = new Set(defs.map((d) => d.name));
  const listed: string[] = [];
  let badRecords = 0;
  for (let i = 0; i < records.length; i++) {
    const { record, problems } = coerceRecord(defs, declared, records[i], maxDepth);
    if (problems.length === 0) {
      records[i] = record;
      continue;
    }
    badRecords++;
    if (listed.length < MAX_LISTED) listed.push(`record ${i}: ${problems.join('; ')}`);
  }
  if (badRecords > 0) {
    const more = badRecords > listed.length ? `; and ${badRecords - listed.length} more records` : '';
    throw badRequest(`${listed.join('; ')}${more} (records are counted from 0)`);
  }
  return records;
}
