/**
 * Finding the execution a person names: its whole id, a prefix of it (6 characters or more)
 * that only it starts with, or `last`; with its service and version, or the id alone when the
 * journal knows them. A prefix is matched against the journal and the server's list of that
 * service version's executions, so one started elsewhere (another machine, the Python client)
 * makes a prefix ambiguous too. What cannot be found or told apart is a usage error (exit 2)
 * that says what to give instead.
 */
import type { Client } from '../client/client.js';
import type { Service } from '../client/service.js';
import { mapPool } from '../client/pool.js';
import { describeNotFound } from '../client/not-found.js';
import { EXIT, ExitError } from '../session/exit.js';
import { localMinute } from '../text/units.js';
import type { Journal, JournalEntry } from './journal.js';

/** The fewest characters of an id that are looked up as a prefix. */
export const MIN_PREFIX = 6;
/** The word that names the newest execution the journal has. */
export const LAST = 'last';
/** Candidates an ambiguous prefix lists (the rest are counted). */
const SHOWN = 10;

/** A whole execution id as ML Server makes them (a GUID): used as given, without a lookup. */
const WHOLE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An execution as given on a command line: an id (whole, a prefix, or `last`), with its service and version or alone. */
export type ExecutionQuery =
  | { service: string; version: string; id: string }
  | { service?: undefined; version?: undefined; id: string };

/** The execution found: its service version, and its whole id. */
export interface FoundExecution {
  service: Service;
  id: string;
}

/** Options of `findExecution`. */
export interface FindOptions {
  /** The command as typed before its arguments (`mlbatch status`): messages say how to give more. */
  command: string;
}

/** Whether `id` is a whole execution id (a GUID), used as given. */
export function isWholeId(id: string): boolean {
  return WHOLE_ID.test(id);
}

const usage = (message: string) => new ExitError(EXIT.usage, message);

/** Refuses an id too short to be looked up as a prefix (exit 2). */
export function checkIdText(id: string): void {
  if (id === LAST || id.length >= MIN_PREFIX) return;
  throw usage(`execution id "${id}" is too short: give at least ${MIN_PREFIX} characters of it (or the whole id, or ${LAST})`);
}

/**
 * The execution `query` names on `client`'s server. The journal supplies a service and version the
 * query leaves out, `last`, and the when and state of candidates; without one (or one that cannot
 * be read) only whole ids and prefixes with their service and version are found.
 */
export async function findExecution(client: Client, journal: Journal | null, query: ExecutionQuery, options: FindOptions): Promise<FoundExecution> {
  checkIdText(query.id);
  if (query.service !== undefined) {
    const service = await serviceOf(client, query.service, query.version, query.id);
    return { service, id: await idOf(service, journal, query.id, options) };
  }
  const entry = journalEntryOf(client.host, journal, query.id, options);
  const service = await serviceOf(client, entry.service, entry.version, entry.id);
  const whole = query.id === LAST || entry.id.toLowerCase() === query.id.toLowerCase();
  return { service, id: whole ? entry.id : await idOf(service, journal, query.id, options) };
}

/** The service version, or an error naming which of the two the server does not know. */
async function serviceOf(client: Client, name: string, version: string, id: string): Promise<Service> {
  try {
    return await client.getService(name, version);
  } catch (err) {
    throw await describeNotFound(client, { service: name, version, id }, err, 'service');
  }
}

/** The whole id a query's id stands for among the executions of `service`. */
async function idOf(service: Service, journal: Journal | null, id: string, options: FindOptions): Promise<string> {
  const scope = { host: service.http.host, service: service.name, version: service.version };
  const named = `${service.name} ${service.version}`;
  if (id === LAST) {
    const newest = journal?.newest(scope);
    if (newest) return newest.id;
    throw usage(`${LAST}: ${journalNote(journal, `has no execution of ${named} on ${scope.host}`)}; give an id (mlbatch ls ${named} lists them)`);
  }
  if (isWholeId(id)) return id;
  const lower = id.toLowerCase();
  const listed = (await service.listBatchExecutions()).filter((x) => x.toLowerCase().startsWith(lower));
  const journaled = journal?.withIdPrefix(id, scope) ?? [];
  const exact = [...listed, ...journaled.map((e) => e.id)].find((x) => x.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const ids = [...new Set([...journaled.map((e) => e.id), ...listed])];
  if (ids.length === 1) return ids[0];
  if (ids.length === 0) {
    throw usage(`unknown execution ${id}: ${named} has no execution whose id starts with it (mlbatch ls ${named} lists them)`);
  }
  const shown = ids.slice(0, SHOWN);
  const onServer = new Set(listed);
  // The server's state now, not the journal's last known one: a choice between them is often "the one that ran".
  const states = await mapPool(shown, 4, async (x) => (onServer.has(x)
    ? service.getBatch(x).poll({ showPartialResults: false }).then((p) => p.state as string, () => 'unknown')
    : 'no longer on the server'));
  const byId = new Map(journaled.map((e) => [e.id, e]));
  const rows = shown.map((x, i) => [x, states[i], whenOf(byId.get(x))]);
  throw usage(ambiguity(id, ids.length, `executions of ${named}`, rows, `give more of the id: ${options.command} ${named} <id>`));
}

/**
 * The journal's entry for an id given alone (its service and version are the entry's), or a
 * usage error saying why there is none and what to give instead.
 */
function journalEntryOf(host: string, journal: Journal | null, id: string, options: FindOptions): JournalEntry {
  const instead = `give its service and version too: ${options.command} <service> <version> ${id}`;
  if (!journal?.usable) throw usage(`the service and version of execution ${id} are not known: ${journalNote(journal, '')}; ${instead}`);
  if (id === LAST) {
    const newest = journal.newest({ host });
    if (newest) return newest;
    throw usage(`${LAST}: the journal has no execution on ${host} yet; give a service, a version and an id: ${options.command} <service> <version> <id>`);
  }
  const lower = id.toLowerCase();
  const found = journal.withIdPrefix(id, { host });
  const exact = found.filter((e) => e.id.toLowerCase() === lower);
  const entries = exact.length ? exact : found;
  if (entries.length === 0) {
    const elsewhere = [...new Set(journal.withIdPrefix(id).map((e) => e.host))];
    const hint = elsewhere.length ? `; the journal has one on ${elsewhere.join(', ')} (--host ${elsewhere[0]} looks there)` : '';
    throw usage(`the journal knows no execution whose id starts with ${id} on ${host}: ${instead}${hint}`);
  }
  // One service version: the server's list there decides (an execution started elsewhere may share the prefix).
  const versions = new Set(entries.map((e) => `${e.service}\u0000${e.version}`));
  if (versions.size === 1) return entries[0];
  const shown = entries.slice(0, SHOWN);
  const rows = shown.map((e) => [`${e.service} ${e.version}`, e.id, e.state ?? 'unknown', whenOf(e)]);
  throw usage(ambiguity(id, entries.length, 'executions in the journal', rows, `give more of the id, or its service and version: ${options.command} <service> <version> <id>`));
}

/** `the journal <what>` or why the journal cannot say. */
function journalNote(journal: Journal | null, what: string): string {
  if (!journal) return 'no journal was opened';
  if (!journal.usable) return `the journal cannot be read (${journal.warning ?? journal.path})`;
  return `the journal ${what}`;
}

/** When an execution came to the journal: started (here), or first seen (attached to). */
function whenOf(entry: JournalEntry | undefined): string {
  if (!entry) return 'not in the journal';
  return `${entry.origin === 'attach' ? 'first seen' : 'started'} ${localMinute(entry.startedAt)}`;
}

/** The message of an ambiguous prefix: what matched, one aligned row per candidate, what to do. */
function ambiguity(id: string, count: number, what: string, rows: string[][], advice: string): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => `  ${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')}`);
  const more = count > rows.length ? [`  … and ${count - rows.length} more`] : [];
  return [`execution id ${id} is ambiguous: ${count} ${what} start with it`, ...lines, ...more, advice].join('\n');
}
