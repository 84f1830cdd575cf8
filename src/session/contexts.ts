/**
 * Contexts: the named servers of the file the user edits, `config.yaml` in the config dir. Read
 * with every field checked (a bad one names the file, line and field); written back through the
 * YAML document, so the user's comments and layout stay when mlbatch adds or removes a context.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { configDir } from './config.js';
import { withFileLock, writeFileWhole } from './locked-files.js';
import { EXIT, ExitError } from './exit.js';

/** The accent colours a context may name (the terminal's own colours, as the app draws them). */
export const ACCENT_COLORS = [
  'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray',
  'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
] as const;

/** One accent colour name. */
export type AccentColor = (typeof ACCENT_COLORS)[number];

/** One named server of the config file. */
export interface Context {
  name: string;
  /** The server URL, as written in the file. */
  host: string;
  user?: string;
  /** No cancel or rerun, in the commands and the app. */
  readonly?: boolean;
  color?: AccentColor;
  /** Accept a self-signed TLS certificate. */
  insecure?: boolean;
}

/** The contexts of the config file, in the file's order. */
export interface ContextsFile {
  path: string;
  contexts: Context[];
}

const FIELDS = ['host', 'user', 'readonly', 'color', 'insecure'] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** What a context name may hold: it names a file of saved logins too. */
export const NAME_RULE = 'letters, digits, ".", "_", "-" and "@", starting with a letter or digit, at most 64';

/** Whether `name` can name a context. */
export function isContextName(name: string): boolean {
  return NAME.test(name);
}

/** `$XDG_CONFIG_HOME/mlbatch/config.yaml`: the file of contexts. */
export function contextsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.yaml');
}

/** A config file mlbatch cannot use: its message names the file, line and field. */
export class ConfigError extends ExitError {
  constructor(message: string) {
    super(EXIT.usage, message);
  }
}

const HEADER = `# mlbatch contexts: the servers mlbatch knows, by name. Edit freely: mlbatch keeps your
# comments when \`mlbatch login\` adds a context or \`mlbatch context rm\` removes one.
#   host      the server URL (required)
#   user      the user name (default admin)
#   readonly  true: no cancel or rerun, in the commands and the app
#   color     the app's accent colour: ${ACCENT_COLORS.slice(0, 8).join(', ')} (or redBright, ...)
#   insecure  true: accept a self-signed TLS certificate
# The current context and the saved logins are not kept here: see $XDG_STATE_HOME/mlbatch.
`;

/** The contexts of the config file (none when there is no file); a ConfigError for a bad one. */
export async function readContexts(env: NodeJS.ProcessEnv = process.env): Promise<ContextsFile> {
  const path = contextsPath(env);
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot be read (${err.message})`);
  });
  return { path, contexts: text === undefined ? [] : parseContexts(text, path).contexts };
}

/** Parses the text of a config file; `path` names it in errors. */
export function parseContexts(text: string, path: string): { contexts: Context[]; doc: Document } {
  const lines = new LineCounter();
  // prettyErrors gives each error its line (linePos); its message is cut to the first line below.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const at = (node: { range?: [number, number, number] | null } | null | undefined) =>
    node?.range ? ` line ${lines.linePos(node.range[0]).line}` : '';
  const fail = (node: Node | Pair['key'] | null | undefined, field: string, message: string): never => {
    throw new ConfigError(`${path}${at(node as Node)}: ${field}: ${message}`);
  };
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos ? ` line ${first.linePos[0].line}` : '';
    throw new ConfigError(`${path}${line}: not valid YAML: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { contexts: [], doc };
  if (!isMap(root)) fail(root, '(top level)', 'must be a mapping with a `contexts` key');
  const rootMap = root as import('yaml').YAMLMap;
  for (const pair of rootMap.items) {
    const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
    if (key !== 'contexts') fail(pair.key as Node, key, 'unknown key (the file holds `contexts:` only)');
  }
  const list = rootMap.get('contexts', true) as Node | undefined;
  if (list === undefined || list === null || (isScalar(list) && list.value === null)) return { contexts: [], doc };
  if (!isMap(list)) fail(list, 'contexts', 'must map each context name to its fields (host, user, ...)');
  const contexts: Context[] = [];
  for (const pair of (list as import('yaml').YAMLMap).items) {
    const keyNode = pair.key as Node;
    const name = String(isScalar(keyNode) ? keyNode.value : keyNode);
    if (!isContextName(name)) fail(keyNode, `contexts.${name}`, `not a context name: it may hold ${NAME_RULE} characters`);
    const body = pair.value as Node | null;
    if (!isMap(body)) fail(body ?? keyNode, `contexts.${name}`, 'must hold the context\'s fields (at least host)');
    const fields = new Map<string, Pair>();
    for (const p of (body as import('yaml').YAMLMap).items) {
      const field = String(isScalar(p.key) ? p.key.value : p.key);
      if (!(FIELDS as readonly string[]).includes(field)) {
        fail(p.key as Node, `contexts.${name}.${field}`, `unknown field (a context has ${FIELDS.join(', ')})`);
      }
      fields.set(field, p);
    }
    const value = (field: string) => {
      const p = fields.get(field);
      return p ? { node: (p.value ?? p.key) as Node, value: isScalar(p.value) ? p.value.value : p.value } : undefined;
    };
    const text = (field: string): string | undefined => {
      const v = value(field);
      if (!v) return undefined;
      if (typeof v.value !== 'string' || v.value.trim() === '') fail(v.node, `contexts.${name}.${field}`, `must be text, not ${shown(v.value)}`);
      return (v.value as string).trim();
    };
    const bool = (field: string): boolean | undefined => {
      const v = value(field);
      if (!v) return undefined;
      if (typeof v.value !== 'boolean') fail(v.node, `contexts.${name}.${field}`, `must be true or false, not ${shown(v.value)}`);
      return v.value as boolean;
    };
    const host = text('host');
    if (host === undefined) fail(keyNode, `contexts.${name}.host`, 'missing: every context names its server (host: https://server:12800)');
    if (!/^(https?:\/\/)?[^\s/]+/i.test(host!)) fail(value('host')!.node, `contexts.${name}.host`, `not a server URL: ${shown(host)}`);
    const context: Context = { name, host: host! };
    const user = text('user');
    if (user !== undefined) context.user = user;
    const readonly = bool('readonly');
    if (readonly !== undefined) context.readonly = readonly;
    const insecure = bool('insecure');
    if (insecure !== undefined) context.insecure = insecure;
    const color = text('color');
    if (color !== undefined) {
      if (!(ACCENT_COLORS as readonly string[]).includes(color)) fail(value('color')!.node, `contexts.${name}.color`, `not a colour name: ${shown(color)} (one of ${ACCENT_COLORS.join(', ')})`);
      context.color = color as AccentColor;
    }
    contexts.push(context);
  }
  return { contexts, doc };
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return Array.isArray(value) || (value as { items?: unknown }).items ? 'a list or mapping' : 'an object';
  return String(value);
}

/** The fields of a context that `saveContext` sets; the others stay as the file has them. */
export type ContextUpdate = Pick<Context, 'name' | 'host'> & Partial<Omit<Context, 'name' | 'host'>>;

/**
 * Adds a context, or updates the fields given of one already there (its other fields and the
 * file's comments stay). The file is replaced atomically, under a lock against other mlbatch
 * processes writing it at the same time.
 */
export async function saveContext(update: ContextUpdate, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return editContexts(env, (doc) => {
    if (!doc.has('contexts') || !isMap(doc.get('contexts', true))) doc.set('contexts', doc.createNode({}));
    const { name, ...fields } = update;
    if (!doc.hasIn(['contexts', name]) || !isMap(doc.getIn(['contexts', name], true))) {
      doc.setIn(['contexts', name], doc.createNode({}));
    }
    for (const field of FIELDS) {
      const v = fields[field];
      if (v !== undefined) doc.setIn(['contexts', name, field], v);
    }
    return true;
  });
}

/** Removes a context from the file; false when it had none of that name. */
export async function removeContext(name: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  let removed = false;
  await editContexts(env, (doc) => {
    removed = doc.hasIn(['contexts', name]);
    if (removed) doc.deleteIn(['contexts', name]);
    return removed;
  });
  return removed;
}

/** Reads, changes (when `change` says so) and writes the file back, checked before and after. */
async function editContexts(env: NodeJS.ProcessEnv, change: (doc: Document) => boolean): Promise<string> {
  const path = contextsPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // A config file kept elsewhere (a dotfiles repository) and linked here stays linked: its target is written.
  const target = await realpath(path).catch(() => path);
  return withFileLock(target, async () => {
    const text = await readFile(target, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return HEADER;
      throw new ConfigError(`${path}: cannot be read (${err.message})`);
    });
    const { doc } = parseContexts(text, path);
    if (!change(doc)) return path;
    const out = doc.toString({ lineWidth: 0 });
    parseContexts(out, path);
    const mode = await stat(target).then((s) => s.mode & 0o777, () => 0o600);
    await writeFileWhole(target, out, mode);
    return path;
  }, { doing: `changing ${path}`, exit: EXIT.failed });
}

/**
 * The context name mlbatch gives a server: its host name, and its port when it names one
 * (`prod.example.com`, `127.0.0.1-12800`).
 */
export function nameForHost(host: string): string {
  const withScheme = /^https?:\/\//i.test(host.trim()) ? host.trim() : `http://${host.trim()}`;
  let base: string;
  try {
    const url = new URL(withScheme);
    base = url.hostname.replace(/^\[|\]$/g, '') + (url.port ? `-${url.port}` : '');
  } catch {
    base = host;
  }
  const name = base.replace(/[^A-Za-z0-9._@-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return name || 'server';
}

