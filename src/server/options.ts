/**
 * Options of the embedded server, their defaults, and the handle `startServer` returns. Light on
 * purpose (nothing of the server's own code): `mlbatch serve` checks its flags against it.
 */
import { availableParallelism } from 'node:os';
import { MAX_INPUT_DEPTH } from '../protocol.js';

/** Limits that keep one request from taking the server down; each answers 400 naming itself. */
export interface ServerLimits {
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Most records in one batch. */
  maxRecords: number;
  /** Highest `parallelCount` a batch may ask for. */
  maxParallelCount: number;
  /** Most levels of arrays and objects one input value may nest (a matrix has 2). */
  maxInputDepth: number;
}

/** What `startServer` accepts; only `dataDir` is required. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 12800. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 so nothing is exposed by accident. */
  host?: string;
  /** Where the database and artifacts live (created when missing). */
  dataDir: string;
  /** A folder of service folders to publish at start (see services-dir.ts). */
  servicesDir?: string;
  /**
   * The admin password; else env MLBATCH_ADMIN_PASSWORD; else the one stored in the data dir;
   * else (first start of a data dir) one is generated.
   */
  adminPassword?: string;
  /** Global cap of records running at once, shared by all executions. */
  maxWorkers?: number;
  /** A record running longer than this fails as timed out. Default 10 min. */
  recordTimeoutMs?: number;
  /** Lifetime of an access token. Default 3600 s. */
  tokenTtlSeconds?: number;
  /** Lifetime of a refresh token unless used (then it rotates) or revoked. Default 14 days. */
  refreshTokenTtlSeconds?: number;
  limits?: Partial<ServerLimits>;
  /** Interpreter for Python services. */
  pythonPath?: string;
  /**
   * scrypt cost (N, a power of two from 1024) of the admin password's hash; default 16384. A
   * lower cost makes a stolen data dir cheaper to crack: only for throwaway servers (tests).
   */
  passwordHashCost?: number;
  /** Receives one line per notable event; never passwords or tokens. */
  log?: (line: string) => void;
  /** Epoch milliseconds for token lifetimes and login delays. Default `Date.now`; tests pass a clock they move. */
  now?: () => number;
  /**
   * Changes of one execution kept for delta polls (at least 16; default 65,536, or two per record
   * and a few more for a smaller execution); a cursor older than those is refused as expired.
   */
  changeLogSize?: number;
}

/** A started server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Only when the password was generated at this start (first start of a data dir, none given). */
  adminPassword?: string;
  /** Given (option or environment), generated now, or kept from an earlier start of the data dir. */
  adminPasswordSource: 'given' | 'generated' | 'kept';
  /** Stops taking requests, stops the workers and closes the database. */
  close(): Promise<void>;
}

/** Default limits: generous for real batches, small enough to refuse a runaway client. */
export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxRecords: 200_000,
  maxParallelCount: 100,
  maxInputDepth: MAX_INPUT_DEPTH,
};

/** Default scrypt cost (N): node's own default, about 50 ms a hash on a small machine. */
export const DEFAULT_HASH_COST = 16384;

/** Longest lifetime a token may be given (ten years). */
export const MAX_TOKEN_TTL_SECONDS = 10 * 365 * 86400;

/** Options with every default filled in. */
export interface ResolvedOptions {
  port: number;
  host: string;
  dataDir: string;
  servicesDir?: string;
  maxWorkers: number;
  recordTimeoutMs: number;
  tokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  limits: ServerLimits;
  pythonPath?: string;
  passwordHashCost: number;
  log: (line: string) => void;
  now: () => number;
  changeLogSize?: number;
}

/** Fills in defaults and rejects values that cannot work, naming the option. */
export function resolveOptions(options: ServerOptions): ResolvedOptions {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const resolved: ResolvedOptions = {
    port: options.port ?? 12800,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    servicesDir: options.servicesDir,
    // Enough for one default execution (parallelCount 10) to run at full width.
    maxWorkers: options.maxWorkers ?? Math.max(10, availableParallelism()),
    recordTimeoutMs: options.recordTimeoutMs ?? 10 * 60 * 1000,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 14 * 24 * 3600,
    limits,
    pythonPath: options.pythonPath,
    passwordHashCost: options.passwordHashCost ?? DEFAULT_HASH_COST,
    log: options.log ?? (() => {}),
    now: options.now ?? Date.now,
    changeLogSize: options.changeLogSize,
  };
  if (!resolved.dataDir) throw new Error('dataDir is required');
  checkInt('port', resolved.port, 0, 65535);
  checkInt('maxWorkers', resolved.maxWorkers, 1, 1024);
  checkInt('recordTimeoutMs', resolved.recordTimeoutMs, 1, 2 ** 31 - 1);
  checkInt('tokenTtlSeconds', resolved.tokenTtlSeconds, 1, MAX_TOKEN_TTL_SECONDS);
  checkInt('refreshTokenTtlSeconds', resolved.refreshTokenTtlSeconds, 1, MAX_TOKEN_TTL_SECONDS);
  checkInt('passwordHashCost', resolved.passwordHashCost, 1024, 2 ** 20);
  if (resolved.changeLogSize !== undefined) checkInt('changeLogSize', resolved.changeLogSize, 16, 2 ** 24);
  if ((resolved.passwordHashCost & (resolved.passwordHashCost - 1)) !== 0) {
    throw new Error(`passwordHashCost must be a power of two (got ${resolved.passwordHashCost})`);
  }
  checkInt('limits.maxBodyBytes', limits.maxBodyBytes, 1, 2 ** 31 - 1);
  checkInt('limits.maxRecords', limits.maxRecords, 1, 100_000_000);
  checkInt('limits.maxParallelCount', limits.maxParallelCount, 1, 100_000);
  // Values are checked and copied recursively: far more levels could overflow the stack.
  checkInt('limits.maxInputDepth', limits.maxInputDepth, 1, 1000);
  return resolved;
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}
