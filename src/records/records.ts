/** Input records from files: parsed, ordered and coerced by the service's inputs, with precise errors. */
import { readFile, stat } from 'node:fs/promises';
import { valueProblem, type BatchRecord, type ParameterDefinition } from '../protocol.js';
import { coerceValue } from './coerce.js';
import { addJsonLines } from './json-lines.js';
import { safeText } from '../text/safe-text.js';
import { formatBytes } from '../text/units.js';
import { RecordsError, type RecordProblem } from './records-error.js';
import { detectFormat, readRows, SourceError, type RawRow, type RecordsFormat } from './record-sources.js';

export { detectFormat, type RecordsFormat } from './record-sources.js';
export { formatProblem, RecordsError, type RecordProblem } from './records-error.js';

/** Options of reading records. */
export interface ReadRecordsOptions {
  /** Default: from the extension. */
  format?: RecordsFormat;
  /** Largest file accepted (default 256 MiB). */
  maxBytes?: number;
  /** Stop after this many bad values (default 20). */
  maxErrors?: number;
}

/** Records ready to send, and warnings (extra columns) to show. */
export interface RecordsResult {
  records: BatchRecord[];
  warnings: string[];
  format: RecordsFormat;
}

/** Reads every record of `file`; throws a RecordsError naming each bad value before anything is sent. */
export async function readRecords(
  file: string,
  inputs: readonly ParameterDefinition[],
  options: ReadRecordsOptions = {},
): Promise<RecordsResult> {
  const maxErrors = options.maxErrors ?? 20;
  const format = await checkFile(file, options);
  const shaper = new Shaper(file, inputs);
  const records: BatchRecord[] = [];
  const problems: RecordProblem[] = [];
  let more = 0;
  try {
    for await (const row of readRows(file, format, (columns) => shaper.header(columns))) {
      const shaped = shaper.row(row);
      if (shaped.problems.length === 0) records.push(shaped.record);
      else if (problems.length < maxErrors) problems.push(...shaped.problems.slice(0, maxErrors - problems.length));
      else more += shaped.problems.length;
    }
  } catch (err) {
    throw asRecordsError(file, err);
  }
  if (problems.length > 0) {
    // A JSON file is parsed whole, without lines: they are found for the message only.
    if (format === 'json') addJsonLines(await readFile(file, 'utf8'), problems);
    throw new RecordsError(file, problems, more);
  }
  if (records.length === 0) throw new RecordsError(file, [{ file, message: 'has no records (only a header, or empty)' }]);
  return { records, warnings: shaper.warnings(), format };
}

/** First rows of a file for a compose screen: each row's values or problems, and file-level issues. */
export interface RecordsPreview {
  format?: RecordsFormat;
  columns: string[];
  rows: { record: number; line?: number; values?: BatchRecord; problems: string[] }[];
  warnings: string[];
  /** A problem with the whole file (missing columns, syntax, size); rows may be empty then. */
  error?: string;
}

/** Parses only the first `rows` records (default 20); never throws for a bad file. */
export async function previewRecords(
  file: string,
  inputs: readonly ParameterDefinition[],
  options: ReadRecordsOptions & { rows?: number } = {},
): Promise<RecordsPreview> {
  const limit = options.rows ?? 20;
  const preview: RecordsPreview = { columns: [], rows: [], warnings: [] };
  const shaper = new Shaper(file, inputs);
  try {
    preview.format = await checkFile(file, options);
    for await (const row of readRows(file, preview.format, (columns) => {
      preview.columns = columns;
      shaper.header(columns);
    })) {
      if (preview.columns.length === 0) preview.columns = Object.keys(row.values);
      const shaped = shaper.row(row);
      preview.rows.push({
        record: row.record,
        line: row.line,
        values: shaped.problems.length === 0 ? shaped.record : undefined,
        problems: shaped.problems.map((p) => safeText(p.column ? `${p.column}: ${p.message}` : p.message)),
      });
      if (preview.rows.length >= limit) break;
    }
  } catch (err) {
    preview.error = asRecordsError(file, err).message;
  }
  preview.warnings = shaper.warnings();
  return preview;
}

async function checkFile(file: string, options: ReadRecordsOptions): Promise<RecordsFormat> {
  const format = options.format ?? detectFormat(file);
  if (!format) {
    throw new RecordsError(file, [{ file, message: 'unknown format: use a .csv, .tsv, .json or .jsonl file, or say which with --format' }]);
  }
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new RecordsError(file, [{ file, message: err.code === 'ENOENT' ? 'no such file' : `cannot read (${err.code})` }]);
  });
  if (!info.isFile()) throw new RecordsError(file, [{ file, message: 'is not a file' }]);
  if (info.size === 0) throw new RecordsError(file, [{ file, message: 'is empty: no records to send' }]);
  const max = options.maxBytes ?? 256 * 1024 * 1024;
  if (info.size > max) {
    throw new RecordsError(file, [{ file, message: `is ${formatBytes(info.size)}, over the ${formatBytes(max)} limit; split it into smaller batches` }]);
  }
  return format;
}

function asRecordsError(file: string, err: unknown): RecordsError {
  if (err instanceof RecordsError) return err;
  if (err instanceof SourceError) return new RecordsError(file, [{ file, line: err.line, message: err.message }]);
  throw err;
}

/** Orders and coerces rows by the inputs; tracks extra columns for one warning. */
class Shaper {
  private readonly extras = new Set<string>();
  private columnFor: Map<string, string> | undefined;

  constructor(
    private readonly file: string,
    private readonly inputs: readonly ParameterDefinition[],
  ) {}

  /** A text file's header: a missing input column stops everything here, before any row. */
  header(columns: string[]): void {
    const { map, missing } = this.match(columns);
    if (missing.length > 0) {
      throw new RecordsError(this.file, [{
        file: this.file, line: 1,
        message: `missing input column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m.name}" (${m.type})`).join(', ')}; the header has ${columns.map((c) => `"${c}"`).join(', ')}`,
      }]);
    }
    this.columnFor = map;
  }

  row(raw: RawRow): { record: BatchRecord; problems: RecordProblem[] } {
    if (this.inputs.length === 0) {
      // Sent as read: only what the server refuses of any field (nesting, numbers out of range) is checked.
      const problems: RecordProblem[] = [];
      for (const [column, value] of Object.entries(raw.values)) {
        const message = valueProblem(value);
        if (message !== undefined) problems.push({ file: this.file, record: raw.record, line: raw.line, column, message });
      }
      return { record: raw.values, problems };
    }
    const map = this.columnFor ?? this.match(Object.keys(raw.values)).map;
    const record: BatchRecord = {};
    const problems: RecordProblem[] = [];
    const at = { file: this.file, record: raw.record, line: raw.line };
    for (const input of this.inputs) {
      const column = map.get(input.name);
      if (column === undefined) {
        problems.push({ ...at, column: input.name, expected: input.type, message: `is missing; expected ${input.type}` });
        continue;
      }
      const coerced = coerceValue(raw.values[column], input.type, raw.fromText);
      if (coerced.ok) record[input.name] = coerced.value;
      else problems.push({ ...at, column, expected: input.type, message: coerced.problem });
    }
    return { record, problems };
  }

  warnings(): string[] {
    return this.extras.size === 0 ? [] : [safeText(
      `${this.file}: ignored column${this.extras.size > 1 ? 's' : ''} the service does not take: ${[...this.extras].map((c) => `"${c}"`).join(', ')}`)];
  }

  /** Input name → column name; exact names first, then a case-insensitive match. */
  private match(columns: string[]): { map: Map<string, string>; missing: ParameterDefinition[] } {
    const map = new Map<string, string>();
    const missing: ParameterDefinition[] = [];
    const used = new Set<string>();
    for (const input of this.inputs) {
      const column = columns.includes(input.name) ? input.name
        : columns.find((c) => c.toLowerCase() === input.name.toLowerCase());
      if (column === undefined) missing.push(input);
      else {
        map.set(input.name, column);
        used.add(column);
      }
    }
    if (this.inputs.length > 0) for (const c of columns) if (!used.has(c)) this.extras.add(c);
    return { map, missing };
  }
}
