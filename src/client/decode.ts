/** Tolerant decoding of server answers: keys in any case, null lists, odd shapes, unknown states. */
import {
  ITEM_CODE,
  type BatchItemResult,
  type ExecutionState,
  type ItemState,
  type ParameterDefinition,
  type ParameterType,
  PARAMETER_TYPES,
  type WebService,
} from '../protocol.js';
import type { LazyResults } from './result-source.js';
import { decodeExtension, type DecodedExtension } from './poll-extension.js';

type Obj = Record<string, unknown>;

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `key` from a JSON object whatever its casing (`state`, `State`, `STATE`). */
export function pick(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  if (key in value) return value[key];
  const pascal = key[0].toUpperCase() + key.slice(1);
  if (pascal in value) return value[pascal];
  const lower = key.toLowerCase();
  for (const k of Object.keys(value)) if (k.toLowerCase() === lower) return value[k];
  return undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value);
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** A count from the server: a whole number from 0 (fractions rounded down; anything else is 0). */
function count(value: unknown): number {
  const n = Math.floor(num(value));
  return n > 0 ? n : 0;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const EXECUTION_STATE_BY_LOWER: Record<string, ExecutionState> = {
  pending: 'Pending', inprogress: 'InProgress', running: 'InProgress', complete: 'Complete',
  completed: 'Complete', failed: 'Failed', canceled: 'Canceled', cancelled: 'Canceled',
};

/** An execution state from the wire; anything unknown counts as in progress, never as an error. */
export function decodeExecutionState(value: unknown): ExecutionState {
  return EXECUTION_STATE_BY_LOWER[str(value).toLowerCase().replace(/[\s_-]/g, '')] ?? 'InProgress';
}

const ITEM_STATE_BY_LOWER: Record<string, ItemState> = {
  pending: 'Pending', running: 'Running', inprogress: 'Running', complete: 'Complete',
  completed: 'Complete', failed: 'Failed', canceled: 'Canceled', cancelled: 'Canceled',
};

/** An item state from the wire, or undefined when absent or unknown. */
export function decodeItemState(value: unknown): ItemState | undefined {
  return typeof value === 'string' ? ITEM_STATE_BY_LOWER[value.toLowerCase()] : undefined;
}

/** The ITEM_CODE of one raw element of `batchExecutionResults`; -1 when it says nothing yet. */
export function itemCodeOf(raw: unknown): number {
  if (!isObject(raw)) return -1;
  const declared = decodeItemState(pick(raw, 'state'));
  if (declared) return ITEM_CODE[declared];
  return isFailedResult(raw) ? ITEM_CODE.Failed : ITEM_CODE.Complete;
}

/** A result is failed when `success` is false or it carries an error message. */
export function isFailedResult(raw: unknown): boolean {
  const success = pick(raw, 'success');
  if (success === false || success === 'false' || success === 'False') return true;
  const message = pick(raw, 'errorMessage');
  return typeof message === 'string' && message.length > 0;
}

/** A decoded poll answer; `results` is the raw positional array (possibly short, possibly empty). */
export interface DecodedPoll {
  state: ExecutionState;
  /** The state string as the server sent it (shown when it is not one we know). */
  rawState: string;
  totalItemCount: number;
  completedItemCount: number;
  results: readonly unknown[];
  /** The same results as text slices decoded on demand, when the body was scanned (see poll-scan.ts). */
  lazy?: LazyResults;
  /** The embedded server's extension members, when the answer had any (see poll-extension.ts). */
  ext?: DecodedExtension;
  /** Size of the answer in bytes, when it came over the wire. */
  bytes?: number;
}

/** Decodes `GET .../batch/{id}`; a missing or null `batchExecutionResults` is an empty array. */
export function decodePoll(body: unknown): DecodedPoll {
  const results = pick(body, 'batchExecutionResults');
  return {
    state: decodeExecutionState(pick(body, 'state')),
    rawState: str(pick(body, 'state')),
    totalItemCount: count(pick(body, 'totalItemCount')),
    completedItemCount: count(pick(body, 'completedItemCount')),
    results: Array.isArray(results) ? results : [],
    ext: decodeExtension((key) => pick(body, key)),
  };
}

function parameterDefinitions(value: unknown): ParameterDefinition[] {
  if (!Array.isArray(value)) return [];
  const out: ParameterDefinition[] = [];
  for (const p of value) {
    const name = pick(p, 'name');
    const type = str(pick(p, 'type'));
    if (typeof name !== 'string' || !name) continue;
    const known = PARAMETER_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
    out.push({ name, type: (known ?? type) as ParameterType });
  }
  return out;
}

/** Decodes one published service; missing lists become empty lists. */
export function decodeService(raw: unknown): WebService {
  const optional = (key: string) => {
    const v = pick(raw, key);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    name: str(pick(raw, 'name')),
    version: str(pick(raw, 'version')),
    versionPublishedBy: optional('versionPublishedBy'),
    creationTime: optional('creationTime'),
    snapshotId: optional('snapshotId'),
    runtimeType: optional('runtimeType') as WebService['runtimeType'],
    initCode: optional('initCode'),
    code: optional('code'),
    description: optional('description'),
    operationId: optional('operationId'),
    inputParameterDefinitions: parameterDefinitions(pick(raw, 'inputParameterDefinitions')),
    outputParameterDefinitions: parameterDefinitions(pick(raw, 'outputParameterDefinitions')),
    outputFileNames: strings(pick(raw, 'outputFileNames')),
    myPermissionOnService: optional('myPermissionOnService'),
  };
}

/** Decodes a list of services (an array, one object, or null). */
export function decodeServices(raw: unknown): WebService[] {
  if (raw == null) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter(isObject).map(decodeService);
}

/** The execution id of a start answer, under any of its spellings. */
export function decodeExecutionId(raw: unknown): string | undefined {
  for (const key of ['batchExecutionId', 'executionId', 'id']) {
    const v = pick(raw, key);
    if (typeof v === 'string' && v) return v;
  }
  return typeof raw === 'string' && raw ? raw : undefined;
}

/** A list of execution ids: strings, or objects carrying an id; null is empty. */
export function decodeIdList(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const ids: string[] = [];
  for (const v of raw) {
    const id = typeof v === 'string' ? v : decodeExecutionId(v);
    if (id) ids.push(id);
  }
  return ids;
}

/** A list of artifact file names; a real server may send null. */
export function decodeFileList(raw: unknown): string[] {
  return strings(raw);
}

/** One decoded element of `batchExecutionResults` (or of a consume answer), in the wire shape. */
export type DecodedResult = BatchItemResult;

/** Decodes one result object; null lists and maps become empty ones. */
export function decodeResult(raw: unknown): DecodedResult {
  const outputs = pick(raw, 'outputParameters');
  const files = pick(raw, 'outputFiles');
  const outputFiles: Record<string, string> = {};
  if (isObject(files)) for (const [k, v] of Object.entries(files)) if (typeof v === 'string') outputFiles[k] = v;
  const index = pick(raw, 'index');
  const time = (key: string) => {
    const v = pick(raw, key);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    success: !isFailedResult(raw),
    errorMessage: str(pick(raw, 'errorMessage')),
    consoleOutput: str(pick(raw, 'consoleOutput')),
    changedFiles: strings(pick(raw, 'changedFiles')),
    outputParameters: isObject(outputs) ? outputs : {},
    outputFiles,
    index: typeof index === 'number' ? index : undefined,
    state: decodeItemState(pick(raw, 'state')),
    startTime: time('startTime'),
    endTime: time('endTime'),
  };
}
