'use strict';
/**
 * Worker process for `runtimeType: "JavaScript"` services. Talks to the pool over IPC (see
 * messages.ts): one `init`, then one `run` at a time. Service code runs in this process's global
 * context, so initCode's top-level declarations stay visible to `code`.
 */
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const vm = require('node:vm');
const { jsonSafe } = require('./json-safe.cjs');

// The worker's own handles on the process and the global object: service code may have an input
// or output of either name (or assign one as a global) without cutting the worker off from them.
const proc = process;
const G = globalThis;

// The channel is kept here and hidden from service code, which runs in this same process.
const channelSend = proc.send.bind(proc);
delete proc.send;
const send = (msg) => channelSend(msg);

// --- console capture: everything the service prints becomes the record's consoleOutput ---
let maxBytes = 64 * 1024;
let chunks = [];
let kept = 0;
let dropped = 0;

// What is kept is also mirrored into a file the pool can read when this process cannot answer
// any more (a record timed out or killed it).
let mirrorFd;
let mirrored = 0;

function mirror(text) {
  if (mirrorFd === undefined) return;
  try {
    const buf = Buffer.from(text);
    mirrored += fs.writeSync(mirrorFd, buf, 0, buf.length, mirrored);
  } catch {
    mirrorFd = undefined;
  }
}

function capture(text) {
  const size = Buffer.byteLength(text);
  if (kept + size <= maxBytes) {
    chunks.push(text);
    kept += size;
    mirror(text);
    return;
  }
  const room = maxBytes - kept;
  if (room > 0) {
    // Cut on a character boundary: decode the byte prefix and drop a trailing partial character.
    const head = Buffer.from(text).subarray(0, room).toString('utf8').replace(/\uFFFD$/, '');
    chunks.push(head);
    kept += Buffer.byteLength(head);
    mirror(head);
  }
  dropped += size - Math.max(room, 0);
  kept = Math.max(kept, maxBytes);
}

function takeConsole() {
  if (mirrorFd !== undefined && mirrored > 0) {
    try {
      fs.ftruncateSync(mirrorFd, 0);
    } catch {
      mirrorFd = undefined;
    }
  }
  mirrored = 0;
  let out = chunks.join('');
  if (dropped > 0) {
    out += `\n[consoleOutput cut: ${dropped} more bytes not shown (limit ${maxBytes} bytes)]\n`;
  }
  chunks = [];
  kept = 0;
  dropped = 0;
  return out;
}

const line = (...args) => capture(`${util.format(...args)}\n`);
for (const m of ['log', 'info', 'debug', 'warn', 'error']) console[m] = line;
console.trace = (...args) => capture(`Trace: ${util.format(...args)}\n${new Error().stack.split('\n').slice(2).join('\n')}\n`);
console.dir = (obj, opts) => capture(`${util.inspect(obj, opts)}\n`);
const writeTo = (chunk, encoding, cb) => {
  capture(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  const done = typeof encoding === 'function' ? encoding : cb;
  if (typeof done === 'function') proc.nextTick(done);
  return true;
};
proc.stdout.write = writeTo;
proc.stderr.write = writeTo;

// Service code may `require` builtins and this package's dependencies.
G.require = require;

// The globals every service starts with (process, console, require, Object, ...), as descriptors
// (reading every value would load the lazily defined ones). An input of such a name reaches the
// code as its parameter only, and one an output (or the code) assigns is put back after the
// record: the worker and the next record need the real ones.
const BUILTINS = new Map(Object.getOwnPropertyNames(G).map((n) => [n, Object.getOwnPropertyDescriptor(G, n)]));
// The builtins this service's parameters are named after, with their values (set by `init`).
let shadowed = {};

function messageOf(err) {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return typeof err === 'string' ? err : util.inspect(err);
}

// The error as Node would print it, keeping only the frames of the service's own code.
function traceOf(err) {
  if (!(err instanceof Error) || typeof err.stack !== 'string') return '';
  const lines = err.stack.split('\n');
  const frames = lines.filter((l) => /^\s+at /.test(l) && l.includes(`${service.name}/`));
  return frames.length ? `${[lines[0], ...frames].join('\n')}\n` : '';
}

const HOME = proc.cwd();
// Globals that exist once initCode has run; any other one a record creates is removed after it,
// so no value (an output assigned as a global, say) leaks into the next record.
let baseline = new Set();

function bindInputs(inputs) {
  // Inputs are also globals, as in an ML Server session, so functions from initCode see them.
  for (const p of service.inputs) {
    if (BUILTINS.has(p.name)) continue;
    try {
      G[p.name] = inputs[p.name];
    } catch {
      // a read-only global of that name: the code still gets the input as a parameter
    }
  }
}

function dropRecordGlobals() {
  for (const name of Object.getOwnPropertyNames(G)) {
    if (baseline.has(name)) continue;
    try {
      delete G[name];
    } catch {
      // not configurable: left as it is
    }
  }
  for (const [name, value] of Object.entries(shadowed)) {
    if (G[name] === value) continue;
    try {
      // Assignment first: some (process, Buffer) are accessors whose setter keeps the new value.
      G[name] = value;
      if (G[name] !== value) Object.defineProperty(G, name, BUILTINS.get(name));
    } catch {
      // not configurable: left as it is
    }
  }
}
const IDENT = /^[A-Za-z_$][\w$]*$/;
let service;
let compiled;

function init(msg) {
  service = msg;
  maxBytes = msg.maxConsoleBytes;
  mirrorFd = typeof msg.consoleFd === 'number' ? msg.consoleFd : undefined;
  let stage = 'initCode failed';
  try {
    const names = [...msg.inputs, ...msg.outputs].map((p) => p.name);
    const bad = names.filter((n) => !IDENT.test(n));
    if (bad.length) throw new Error(`parameter names must be JavaScript identifiers: ${bad.join(', ')}`);
    shadowed = Object.freeze(Object.fromEntries(names.filter((n) => BUILTINS.has(n)).map((n) => [n, G[n]])));
    if (msg.initCode.trim()) vm.runInThisContext(msg.initCode, { filename: `${msg.name}/init.js` });
    stage = 'code does not compile';
    // The code becomes a function body: inputs are its parameters, and a trailer reads every output
    // variable back, whether declared with const, let, var or assigned as a global.
    const params = msg.inputs.map((p) => p.name).join(', ');
    // An output named like a builtin global that the code did not set is missing, not the builtin.
    const reads = msg.outputs
      .map((p) => {
        const unset = Object.hasOwn(shadowed, p.name) ? ` || ${p.name} === $builtins.${p.name}` : '';
        return `${JSON.stringify(p.name)}: typeof ${p.name} === 'undefined'${unset} ? undefined : ${p.name}`;
      })
      .join(', ');
    // `$builtins` cannot clash with a parameter: parameter names never hold a '$'.
    const source = `(function ($builtins) { return async function (${params}) {\n${msg.code}\n;return {${reads}};\n}; })`;
    compiled = vm.runInThisContext(source, { filename: `${msg.name}/code.js`, lineOffset: -1 })(shadowed);
    baseline = new Set(Object.getOwnPropertyNames(G));
    send({ type: 'ready' });
  } catch (err) {
    send({ type: 'init-error', message: `${stage}: ${messageOf(err)}`, consoleOutput: takeConsole() });
  }
}

function artifactsIn(workDir) {
  return service.outputFileNames.filter((name) => {
    if (!name || name !== path.basename(name) || name === '.' || name === '..') return false;
    try {
      return fs.statSync(path.join(workDir, name)).isFile();
    } catch {
      return false;
    }
  });
}

async function run(msg) {
  let success = true;
  let errorMessage = '';
  const outputParameters = {};
  try {
    proc.chdir(msg.workDir);
    bindInputs(msg.inputs);
    const values = await compiled(...service.inputs.map((p) => msg.inputs[p.name]));
    const got = values && typeof values === 'object' ? values : {};
    for (const p of service.outputs) {
      try {
        outputParameters[p.name] = jsonSafe(got[p.name]);
      } catch (err) {
        throw new Error(`output '${p.name}' cannot be encoded as JSON: ${messageOf(err)}`);
      }
    }
  } catch (err) {
    success = false;
    errorMessage = messageOf(err) || 'the code threw without a message';
    capture(traceOf(err));
  }
  dropRecordGlobals();
  const artifacts = artifactsIn(msg.workDir);
  // Leave the record's directory before reporting: the server removes it when it holds no
  // artifact, and a process whose cwd is gone crashes any thread that starts later.
  proc.chdir(HOME);
  send({ type: 'result', id: msg.id, success, errorMessage, consoleOutput: takeConsole(), outputParameters: success ? outputParameters : {}, artifacts });
}

proc.on('message', (msg) => {
  if (msg.type === 'init') init(msg);
  else if (msg.type === 'run') void run(msg);
});

// An error thrown from a callback the code scheduled cannot be tied to a record's control flow:
// report it and exit, so the pool fails the record in flight and replaces this worker.
const fatal = (err) => {
  setTimeout(() => proc.exit(70), 1000).unref();
  channelSend({ type: 'fatal', message: `uncaught error in service code: ${messageOf(err)}` }, () => proc.exit(70));
};
proc.on('uncaughtException', fatal);
proc.on('unhandledRejection', fatal);
proc.on('disconnect', () => proc.exit(0));
// Ctrl-C in the server's terminal (or a SIGTERM to its process group) reaches this process too:
// stopping here would fail the record in flight before the server, closing, knows to drop it.
// The server stops its workers itself; a hang-up still ends them at once.
proc.on('SIGINT', () => {});
proc.on('SIGTERM', () => {});

// If the server dies while service code spins, 'disconnect' is never handled. Started through
// `setpriv --pdeathsig` (see orphan-guard.ts), the kernel ends this process then; otherwise a thread
// of its own notices the server's death and ends it, so no worker outlives its server. A server
// that died before either was in place (while this process started) has left it with another
// parent already: it ends at once.
const serverArg = proc.argv.find((a) => a.startsWith('--server-pid='));
const server = serverArg ? Number(serverArg.slice('--server-pid='.length)) : proc.ppid;
const parent = proc.ppid;
const gone = (pid) => {
  try {
    proc.kill(pid, 0);
    return false;
  } catch (err) {
    return err.code === 'ESRCH';
  }
};
if (parent !== server && gone(server)) proc.exit(0);
// With another process between the server and this one, the signal would be tied to that process.
if (parent !== server || !proc.argv.includes('--parent-death-signal')) {
  const { Worker } = require('node:worker_threads');
  new Worker(
    "const { workerData: { parent, server } } = require('node:worker_threads');\n" +
      'const gone = (pid) => { try { process.kill(pid, 0); return false; } catch (err) { return err.code === "ESRCH"; } };\n' +
      "setInterval(() => { if (process.ppid !== parent || gone(server)) process.kill(process.pid, 'SIGKILL'); }, 1000);",
    { eval: true, workerData: { parent, server } },
  ).unref();
}
