/**
 * Time limits of the HTTP layer. Each call has a whole-request limit (by kind of call) that also
 * bounds its retries, and every body a stall limit: no byte for that long ends the call.
 */
import { MlBatchUsageError } from './errors.js';

/** Time limits in milliseconds; see `HttpOptions` for what each one bounds. */
export interface TimeLimits {
  timeoutMs: number;
  pollTimeoutMs: number;
  startTimeoutMs: number;
  downloadTimeoutMs: number;
  stallTimeoutMs: number;
}

/** The defaults: ordinary calls 60 s; a large poll, start or file may take longer, but no body may stall for 30 s. */
export const DEFAULT_LIMITS: Readonly<TimeLimits> = {
  timeoutMs: 60_000,
  pollTimeoutMs: 5 * 60_000,
  startTimeoutMs: 10 * 60_000,
  downloadTimeoutMs: 30 * 60_000,
  stallTimeoutMs: 30_000,
};

/**
 * The limits to use: options first, then MLBATCH_TIMEOUT (seconds; every whole-request limit)
 * and MLBATCH_STALL_TIMEOUT (seconds), then the defaults. A bad value names its variable.
 */
export function resolveLimits(options: Partial<TimeLimits>, env: NodeJS.ProcessEnv = process.env): TimeLimits {
  const whole = envSeconds(env, 'MLBATCH_TIMEOUT');
  const stall = envSeconds(env, 'MLBATCH_STALL_TIMEOUT');
  const pick = (key: keyof TimeLimits, fromEnv: number | undefined): number => {
    const given = options[key];
    if (given !== undefined && !(given > 0)) throw new MlBatchUsageError(`${key} must be above 0 ms, not ${given}`);
    return given ?? fromEnv ?? DEFAULT_LIMITS[key];
  };
  return {
    timeoutMs: pick('timeoutMs', whole),
    pollTimeoutMs: pick('pollTimeoutMs', whole),
    startTimeoutMs: pick('startTimeoutMs', whole),
    downloadTimeoutMs: pick('downloadTimeoutMs', whole),
    stallTimeoutMs: pick('stallTimeoutMs', stall),
  };
}

function envSeconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0) {
    throw new MlBatchUsageError(`${name} must be a number of seconds above 0 (e.g. 30 or 0.5), not "${raw}"`);
  }
  return Math.max(1, Math.round(s * 1000));
}

/** "30 s", "0.2 s", "300 s": a limit for messages. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * One attempt's abort signal: fires on the caller's signal, after `wholeMs`, or once the body
 * has started and no byte came for `stallMs`. Unlike AbortSignal.any, nothing stays attached to
 * a long-lived caller signal once the attempt is over (`dispose`).
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly whole: NodeJS.Timeout;
  private stall: NodeJS.Timeout | undefined;
  /** Which limit fired, if one did. */
  fired: 'whole' | 'stall' | undefined;

  constructor(wholeMs: number, private readonly stallMs: number, private readonly outer?: AbortSignal) {
    this.whole = setTimeout(() => this.fire('whole'), wholeMs);
    this.whole.unref();
    if (outer?.aborted) this.controller.abort(outer.reason);
    outer?.addEventListener('abort', this.onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Bytes arrived: the stall clock starts over (started by the first call, once headers are in). */
  progress(): void {
    if (this.stall) this.stall.refresh();
    else {
      this.stall = setTimeout(() => this.fire('stall'), this.stallMs);
      this.stall.unref();
    }
  }

  private fire(which: 'whole' | 'stall'): void {
    if (this.controller.signal.aborted) return;
    this.fired = which;
    this.controller.abort(new Error(which === 'stall' ? 'stalled' : 'timed out'));
  }

  private readonly onAbort = (): void => this.controller.abort(this.outer?.reason);

  dispose(): void {
    clearTimeout(this.whole);
    clearTimeout(this.stall);
    this.outer?.removeEventListener('abort', this.onAbort);
  }
}
