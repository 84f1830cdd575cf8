/**
 * Wire types and paths of the ML Server web-service API, shared by the client (src/client and the folders beside it) and
 * the embedded server (src/server), with the input rules both apply (input-rules.ts). See
 * PROTOCOL.md in the project's docs for what each means.
 */
import type { ParameterType } from './input-rules.js';

export {
  checkInput, isJsonObject, jsonValueOf, MAX_INPUT_DEPTH, OutOfRangeNumber, PARAMETER_TYPES, parseJson, valueProblem,
  type Coerced, type ParameterType,
} from './input-rules.js';

/** One named input or output of a service. */
export interface ParameterDefinition {
  name: string;
  type: ParameterType;
}

/** Runtimes a service can declare; `JavaScript` exists only on the embedded server. */
export type RuntimeType = 'R' | 'Python' | 'Realtime' | 'JavaScript';

/** Every runtime type the embedded server accepts when publishing. */
export const RUNTIME_TYPES: readonly RuntimeType[] = ['R', 'Python', 'Realtime', 'JavaScript'];

/** A published service version (`GET /services/...`). */
export interface WebService {
  name: string;
  version: string;
  versionPublishedBy?: string;
  creationTime?: string;
  snapshotId?: string;
  runtimeType?: RuntimeType;
  initCode?: string;
  code?: string;
  description?: string;
  operationId?: string;
  inputParameterDefinitions?: ParameterDefinition[];
  outputParameterDefinitions?: ParameterDefinition[];
  outputFileNames?: string[];
  myPermissionOnService?: string;
}

/** Body of `POST /services/{name}/{version}`. */
export interface PublishWebServiceRequest {
  snapshotId?: string;
  code: string;
  description?: string;
  operationId?: string;
  inputParameterDefinitions?: ParameterDefinition[];
  outputParameterDefinitions?: ParameterDefinition[];
  runtimeType?: RuntimeType;
  initCode?: string;
  outputFileNames?: string[];
}

/** Body of `POST /login`. */
export interface LoginRequest {
  username: string;
  password: string;
}

/** Body of `POST /login/refreshToken`. */
export interface RenewTokenRequest {
  refreshToken: string;
}

/** Answer of login and refresh. `expires_on` is seconds since the epoch, as a string. */
export interface AccessTokenResponse {
  token_type: 'Bearer';
  access_token: string;
  expires_in: number;
  expires_on: string;
  refresh_token: string;
}

/** Answer of `GET /status`. */
export interface StatusResponse {
  statusCode: 'pass' | 'warn' | 'fail';
  details?: Record<string, unknown>;
  components?: Record<string, StatusResponse>;
}

/** Error body of every 4xx/5xx answer. */
export interface ErrorBody {
  message: string;
  link?: string;
  exceptionType?: string;
}

/** The outcome of running a service once on one record. */
export interface WebServiceResult {
  success: boolean;
  errorMessage: string;
  consoleOutput: string;
  changedFiles: string[];
  outputParameters: Record<string, unknown>;
  outputFiles: Record<string, string>;
}

/** State of a whole batch execution. A client treats an unknown string as in progress. */
export type ExecutionState = 'Pending' | 'InProgress' | 'Complete' | 'Failed' | 'Canceled';

/** Every execution state. */
export const EXECUTION_STATES: readonly ExecutionState[] = [
  'Pending',
  'InProgress',
  'Complete',
  'Failed',
  'Canceled',
];

/** State of one record of a batch (an embedded-server extension). */
export type ItemState = 'Pending' | 'Running' | 'Complete' | 'Failed' | 'Canceled';

/** Every item state, in the order of their numeric codes (see ITEM_CODE). */
export const ITEM_STATES: readonly ItemState[] = [
  'Pending',
  'Running',
  'Complete',
  'Failed',
  'Canceled',
];

/** Numeric codes of item states, as kept in a `Uint8Array`. */
export const ITEM_CODE = {
  Pending: 0,
  Running: 1,
  Complete: 2,
  Failed: 3,
  Canceled: 4,
} as const satisfies Record<ItemState, number>;

/** One element of `batchExecutionResults`; index, state and times are embedded-server extensions. */
export interface BatchItemResult extends WebServiceResult {
  index?: number;
  state?: ItemState;
  startTime?: string;
  endTime?: string;
}

/** Answer of a poll, `GET /api/{name}/{version}/batch/{id}`. Positional: element i is record i. */
export interface BatchWebServiceResult {
  state: ExecutionState;
  totalItemCount: number;
  completedItemCount: number;
  batchExecutionResults: (BatchItemResult | null)[];
}

/**
 * What the embedded server adds to a poll answer (absent on a real ML Server; a client detects
 * them, never assumes them). See the README's "Watching costs what changed".
 */
export interface PollExtension {
  /** The execution's parallelCount. */
  parallelCount?: number;
  /** Records running now (started, result not yet visible); each is also sent as a Running item. */
  runningItemCount?: number;
  /** Pass back as `changedSince` to get only what changed; absent from counts-only answers. */
  cursor?: string;
  /** True on a delta answer: `changedItems` holds the changed records, each with its `index`. */
  delta?: boolean;
  /** The records changed since the cursor sent, by their `index` (delta answers only). */
  changedItems?: BatchItemResult[];
  /** Why a `changedSince` was answered in full: `expired` (older than the server keeps) or `unknown` (another server run, or not a cursor). */
  cursorRefused?: 'expired' | 'unknown';
}

/** Query parameter of a delta poll: the cursor of the last answer with results. */
export const CHANGED_SINCE = 'changedSince';

/** Answer of a batch start. The embedded server sends both spellings of the id. */
export interface StartBatchResponse {
  name: string;
  version: string;
  batchExecutionId: string;
  BatchExecutionId: string;
}

/** One input record of a batch: the service's inputs by name. */
export type BatchRecord = Record<string, unknown>;

/** ML Server's default port. */
export const DEFAULT_PORT = 12800;

/** The user an ML Server one-box (and the embedded server) logs in as. */
export const ADMIN_USER = 'admin';

/** Default number of records of one execution that run at once. */
export const DEFAULT_PARALLEL_COUNT = 10;

/** Every endpoint's path, built from its segments by `seg` (URI-encoding, or `:name` patterns). */
function pathSet<I>(seg: (value: string) => string, idx: (index: I) => string) {
  return {
    login: '/login',
    refreshToken: '/login/refreshToken',
    status: '/status',
    services: '/services',
    service: (name: string) => `/services/${seg(name)}`,
    serviceVersion: (name: string, version: string) => `/services/${seg(name)}/${seg(version)}`,
    api: (name: string, version: string) => `/api/${seg(name)}/${seg(version)}`,
    swagger: (name: string, version: string) => `/api/${seg(name)}/${seg(version)}/swagger.json`,
    batch: (name: string, version: string) => `/api/${seg(name)}/${seg(version)}/batch`,
    execution: (name: string, version: string, id: string) =>
      `/api/${seg(name)}/${seg(version)}/batch/${seg(id)}`,
    files: (name: string, version: string, id: string, index: I) =>
      `/api/${seg(name)}/${seg(version)}/batch/${seg(id)}/${idx(index)}/files`,
    file: (name: string, version: string, id: string, index: I, fileName: string) =>
      `/api/${seg(name)}/${seg(version)}/batch/${seg(id)}/${idx(index)}/files/${seg(fileName)}`,
  } as const;
}

/** Paths of every endpoint, relative to the base URL; segments are URI-encoded. */
export const paths = pathSet<number>(encodeURIComponent, String);

/**
 * The same paths as route patterns for a server: each argument names a parameter,
 * e.g. `routes.execution('name', 'version', 'id')` is `/api/:name/:version/batch/:id`.
 */
export const routes = pathSet<string>(
  (name) => `:${name}`,
  (name) => `:${name}`,
);

/** True for the states after which an execution never changes again. */
export function isEndedState(state: string): boolean {
  const s = state.toLowerCase();
  return s === 'complete' || s === 'failed' || s === 'canceled' || s === 'cancelled';
}

/** For the `default` of an exhaustive switch: a compile error if a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
