/** Reads raw rows from CSV, TSV, JSON and JSONL files, streaming the line-based ones. */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { CsvError, parse } from 'csv-parse';
import { isJsonObject, parseJson } from '../protocol.js';

/** Formats of a records file. */
export type RecordsFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

/** One row as read: a JSON object, or a text row keyed by header (`fromText`). */
export interface RawRow {
  /** 0-based record index, the index the batch will show. */
  record: number;
  /** 1-based line in the file, when the format has lines. */
  line?: number;
  values: Record<string, unknown>;
  fromText: boolean;
}

/** A problem that stops reading a file (bad syntax, bad shape); carries the line when known. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The format from a file's extension (`.csv`, `.tsv`/`.tab`, `.json`, `.jsonl`/`.ndjson`). */
export function detectFormat(file: string): RecordsFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return undefined;
}

/** Rows of a file; `onHeader` receives a text file's columns before its first row. */
export async function* readRows(
  file: string,
  format: RecordsFormat,
  onHeader: (columns: string[]) => void,
): AsyncGenerator<RawRow> {
  switch (format) {
    case 'csv':
    case 'tsv':
      yield* textRows(file, format === 'tsv' ? '\t' : ',', onHeader);
      return;
    case 'jsonl':
      yield* jsonlRows(file);
      return;
    case 'json':
      yield* jsonRows(file);
      return;
    default: {
      const never: never = format;
      throw new SourceError(`unknown format ${String(never)}`);
    }
  }
}

async function* textRows(file: string, delimiter: string, onHeader: (c: string[]) => void): AsyncGenerator<RawRow> {
  const parser = createReadStream(file).pipe(parse({ delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  let header: string[] | undefined;
  let record = 0;
  try {
    for await (const { info, record: cells } of parser as AsyncIterable<{ info: { lines: number }; record: string[] }>) {
      if (!header) {
        header = cells.map((c) => c.trim());
        const seen = new Set<string>();
        for (const name of header) {
          if (name === '') throw new SourceError('the header has an empty column name', info.lines);
          if (seen.has(name)) throw new SourceError(`the header names column "${name}" twice`, info.lines);
          seen.add(name);
        }
        onHeader(header);
        continue;
      }
      const values: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) values[header[i]] = cells[i];
      yield { record: record++, line: info.lines, values, fromText: true };
    }
  } catch (err) {
    // Only the parser's own errors become SourceErrors; the header check's errors pass through.
    if (!(err instanceof CsvError)) throw err;
    const line = typeof err.lines === 'number' ? err.lines : undefined;
    // The line is named by the caller: the parser's own "at line N" would say it twice.
    const detail = err.message.replace(/^Invalid Record Length: /, '').replace(/ (at|on) line \d+/, '');
    const kind = delimiter === '\t' ? 'TSV' : 'CSV';
    throw new SourceError(`not valid ${kind} (${detail})${await jsonHint(file)}`, line);
  } finally {
    parser.destroy();
  }
}

/** A hint when a file read as CSV or TSV starts like JSON (a common mix-up of extension and content). */
async function jsonHint(file: string): Promise<string> {
  const handle = await open(file).catch(() => undefined);
  if (!handle) return '';
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const start = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    return /^[[{]/.test(start) ? '; it looks like JSON: name it .json or .jsonl, or say --format json' : '';
  } finally {
    await handle.close();
  }
}

async function* jsonlRows(file: string): AsyncGenerator<RawRow> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let record = 0;
  try {
    for await (const text of lines) {
      line++;
      const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
      if (trimmed === '') continue;
      let value: unknown;
      try {
        value = parseJson(trimmed);
      } catch (err) {
        throw new SourceError(`not valid JSON (${(err as Error).message})`, line);
      }
      if (!isJsonObject(value)) throw new SourceError('a JSONL line must be one JSON object', line);
      yield { record: record++, line, values: value, fromText: false };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

async function* jsonRows(file: string): AsyncGenerator<RawRow> {
  let doc: unknown;
  try {
    doc = parseJson((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new SourceError(`not valid JSON (${(err as Error).message})`);
  }
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      if (!isJsonObject(doc[i])) throw new SourceError(`record ${i} is not a JSON object`);
      yield { record: i, values: doc[i] as Record<string, unknown>, fromText: false };
    }
    return;
  }
  if (isJsonObject(doc) && Object.values(doc).every(Array.isArray)) {
    // The official client's dict form: one array per column, all of one length.
    const columns = Object.entries(doc) as [string, unknown[]][];
    const length = columns[0]?.[1].length ?? 0;
    const uneven = columns.find(([, v]) => v.length !== length);
    if (uneven) {
      throw new SourceError(`column "${uneven[0]}" has ${uneven[1].length} values but "${columns[0][0]}" has ${length}`);
    }
    for (let i = 0; i < length; i++) {
      const values: Record<string, unknown> = {};
      for (const [name, v] of columns) values[name] = v[i];
      yield { record: i, values, fromText: false };
    }
    return;
  }
  throw new SourceError('expected an array of records or an object of column arrays');
}
