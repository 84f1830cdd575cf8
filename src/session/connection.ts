/** Connecting from the connection flags, the environment and the saved login (headless and the app). */
import { connect, type Client, type ConnectOptions } from '../client/client.js';
import { isConnectionError, MlBatchLoginGoneError } from '../client/errors.js';
import { ADMIN_USER } from '../protocol.js';
import { openSharedLogin } from './shared-login.js';
import type { ConnectionFlags } from './connection-options.js';
import { refuseIfReadonly, selectTarget, type Target } from './context-select.js';
import { sameHost } from '../client/host.js';
import type { Context } from './contexts.js';
import { EXIT, ExitError } from './exit.js';

/** Where the credentials came from (login keeps only what a password produced). */
export type CredentialSource = 'password' | 'token' | 'saved-login';

/** A connected client and how it was reached. */
export interface Connection {
  client: Client;
  host: string;
  user: string | undefined;
  source: CredentialSource;
  /** The context connected to, or null (a host no context has). */
  context: Context | null;
  /** Why dangerous actions are refused here (a read-only context, --readonly), or null. */
  readonlyReason: string | null;
}

/** Options of `resolveConnection` beyond the flags. */
export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Read the password (for --password-stdin); default: all of standard input. */
  readStdin?: () => Promise<string>;
  /** Where warnings go; default standard error. */
  warn?: (line: string) => void;
  /** Insist on a password (login must not reuse a saved token). */
  requirePassword?: boolean;
  /** The server already chosen (login chooses its own); default: `selectTarget` from the flags. */
  target?: Target;
  /** A dangerous action (`cancel`, `rerun`): refused, before connecting, where the target is read-only. */
  dangerous?: string;
}

/**
 * Connects from flags, environment (MLBATCH_CONTEXT, MLBATCH_HOST, MLBATCH_USER, MLBATCH_PASSWORD,
 * MLBATCH_TOKEN) and the context's saved login (see `selectTarget` for which context). Throws
 * ExitError 2 when no host is known (or the context is unknown, or read-only for a dangerous
 * action) and 4 when the server cannot be reached or refuses the credentials.
 */
export async function resolveConnection(flags: ConnectionFlags, options: ResolveOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const target = options.target ?? await selectTarget(flags, { env, warn });
  if (options.dangerous) refuseIfReadonly(target, options.dangerous);
  // The context's saved login, shared with every other process that uses it.
  const shared = target.loginPath ? openSharedLogin(target.loginPath) : undefined;
  const saved = await shared?.read();
  const host = target.host;
  if (!host) {
    throw new ExitError(EXIT.usage, 'no server given: use --host URL or --context NAME, set MLBATCH_HOST, or run `mlbatch login --host URL` first');
  }
  const savedHere = saved && sameHost(saved.host, host) ? saved : undefined;
  const insecure = Boolean(target.insecure ?? savedHere?.insecure);
  if (insecure) warn('warning: --insecure: TLS certificates are not checked; anyone in the path can read this session');
  const user = target.user ?? savedHere?.username ?? ADMIN_USER;
  let password: string | undefined;
  if (flags.passwordStdin) {
    password = (await (options.readStdin ?? readAllStdin)()).replace(/\r?\n$/, '');
    if (!password) throw new ExitError(EXIT.usage, '--password-stdin: standard input was empty');
  } else {
    password = env.MLBATCH_PASSWORD || undefined;
  }
  let connectOptions: ConnectOptions;
  let source: CredentialSource;
  if (password !== undefined) {
    connectOptions = { host, insecure, username: user, password };
    source = 'password';
  } else if (options.requirePassword && process.stdin.isTTY && process.stderr.isTTY) {
    password = await promptHidden(`password for ${user} at ${host}: `);
    connectOptions = { host, insecure, username: user, password };
    source = 'password';
  } else if (options.requirePassword) {
    throw new ExitError(EXIT.usage, 'a password is needed: pipe it to --password-stdin or set MLBATCH_PASSWORD');
  } else if (env.MLBATCH_TOKEN) {
    connectOptions = { host, insecure, token: env.MLBATCH_TOKEN };
    source = 'token';
  } else if (savedHere && shared) {
    // Shared with every other process on this login: its access token reused, renewals under its lock.
    const again = target.context ? `run \`mlbatch login --context ${target.context.name}\`` : undefined;
    connectOptions = { host, insecure, tokenStore: shared.tokenStore(host, again) };
    source = 'saved-login';
  } else {
    throw new ExitError(EXIT.connection,
      `no credentials for ${host}: pipe the password to --password-stdin, set MLBATCH_PASSWORD or MLBATCH_TOKEN, or run \`mlbatch login\``);
  }
  let client: Client;
  try {
    client = await connect(connectOptions);
  } catch (err) {
    if (err instanceof MlBatchLoginGoneError) throw new ExitError(EXIT.connection, err.message);
    // A saved login the server refuses is said above, with what to run; here the server is not reached.
    if (isConnectionError(err)) throw new ExitError(EXIT.connection, `cannot connect to ${host}: ${(err as Error).message}`);
    throw err;
  }
  return {
    client, host: client.host, user: source === 'token' ? undefined : user, source,
    context: target.context, readonlyReason: target.readonlyReason,
  };
}

/** Reads a line from the terminal without echoing it; Ctrl-C aborts with a usage exit. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new ExitError(EXIT.usage, 'login interrupted'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new ExitError(EXIT.usage, '--password-stdin expects the password piped in (e.g. `echo "$PW" | mlbatch ...`)');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
