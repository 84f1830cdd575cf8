"""Worker process for runtimeType "Python" services of mlbatch's embedded server.

Talks to the pool in JSON lines (see messages.ts): one "init", then one "run" at a time, on this
process's original stdin/stdout. The service's own stdout and stderr are captured separately as
each record's consoleOutput, and file descriptors 0 and 1 are pointed away from the channel so
nothing the service (or a C extension) writes can corrupt it.
"""
import builtins
import datetime
import decimal
import io
import json
import math
import os
import signal
import sys
import threading
import time
import traceback

_channel_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
_channel_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
_devnull = os.open(os.devnull, os.O_RDONLY)
os.dup2(_devnull, 0)
os.dup2(2, 1)
sys.stdin = io.StringIO("")
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)


def send(msg):
    _channel_out.write(json.dumps(msg, ensure_ascii=False, allow_nan=False) + "\n")
    _channel_out.flush()


class Console(io.TextIOBase):
    """Everything the service prints, up to a byte limit, then a count of what was left out."""

    def __init__(self):
        self.limit = 64 * 1024
        # What is kept is also mirrored into a file the pool reads when this process cannot
        # answer any more (a record timed out or killed it).
        self.mirror_fd = None
        self.reset()

    def reset(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def mirror(self, data):
        if self.mirror_fd is None:
            return
        try:
            os.write(self.mirror_fd, data)
        except OSError:
            self.mirror_fd = None

    def writable(self):
        return True

    @property
    def buffer(self):
        # Some libraries write bytes to sys.stdout.buffer.
        return _BytesInto(self)

    def write(self, s):
        if not isinstance(s, str):
            s = str(s)
        data = s.encode("utf-8", "replace")
        room = self.limit - self.kept
        if len(data) <= room:
            self.parts.append(s)
            self.kept += len(data)
            self.mirror(data)
        else:
            if room > 0:
                head = data[:room].decode("utf-8", "ignore")
                self.parts.append(head)
                self.kept = self.limit
                self.mirror(head.encode("utf-8"))
            self.dropped += len(data) - max(room, 0)
        return len(s)

    def take(self):
        if self.mirror_fd is not None and self.kept:
            try:
                os.ftruncate(self.mirror_fd, 0)
                os.lseek(self.mirror_fd, 0, os.SEEK_SET)
            except OSError:
                self.mirror_fd = None
        out = "".join(self.parts)
        if self.dropped:
            out += "\n[consoleOutput cut: %d more bytes not shown (limit %d bytes)]\n" % (self.dropped, self.limit)
        self.reset()
        return out


class _BytesInto(io.RawIOBase):
    def __init__(self, text):
        self.text = text

    def writable(self):
        return True

    def write(self, b):
        self.text.write(bytes(b).decode("utf-8", "replace"))
        return len(b)


console = Console()
sys.stdout = console
sys.stderr = console


def message_of(err):
    text = str(err)
    name = type(err).__name__
    return text if name == "Exception" and text else "%s: %s" % (name, text) if text else name


def trace_of(err, skip):
    """The traceback without this module's own frames, as Python would print it."""
    frames = traceback.extract_tb(err.__traceback__)[skip:]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    return "".join(lines + traceback.format_exception_only(type(err), err))


# --- ML Server's type mapping: JSON values to the Python values a service expects ---
def optional(module):
    try:
        return __import__(module)
    except Exception:
        return None


def to_float(name, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError("input %s must be numeric, got %s" % (name, json.dumps(v)))
    return float(v)


def to_int(name, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
        raise TypeError("input %s must be an integer, got %s" % (name, json.dumps(v)))
    return int(v)


def to_bool(name, v):
    if isinstance(v, bool):
        return v
    if v in (0, 1):
        return bool(v)
    raise TypeError("input %s must be logical (true or false), got %s" % (name, json.dumps(v)))


def convert(param, v):
    name, kind = param["name"], param["type"]
    if v is None:
        return None
    if kind == "numeric":
        return to_float(name, v)
    if kind == "integer":
        return to_int(name, v)
    if kind == "logical":
        return to_bool(name, v)
    if kind == "character":
        return v if isinstance(v, str) else str(v)
    if kind == "vector":
        if not isinstance(v, list):
            raise TypeError("input %s must be a vector (a JSON array)" % name)
        np = optional("numpy")
        return np.array(v) if np else v
    if kind == "matrix":
        if not isinstance(v, list) or not all(isinstance(row, list) for row in v):
            raise TypeError("input %s must be a matrix (an array of arrays)" % name)
        np = optional("numpy")
        return np.array(v) if np else v
    if kind == "data.frame":
        if not isinstance(v, dict) or not all(isinstance(col, list) for col in v.values()):
            raise TypeError("input %s must be a data.frame (an object of column arrays)" % name)
        pd = optional("pandas")
        return pd.DataFrame(v) if pd else v
    return v


def jsonable(v, depth=0):
    """A JSON-ready copy of an output value; NaN and infinities become null."""
    if depth > 200:
        raise ValueError("it is nested too deeply (a circular reference?)")
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    pd = sys.modules.get("pandas")
    if pd is not None:
        if isinstance(v, pd.DataFrame):
            return {str(c): jsonable(v[c].tolist(), depth + 1) for c in v.columns}
        if isinstance(v, (pd.Series, pd.Index)):
            return jsonable(v.tolist(), depth + 1)
        if isinstance(v, pd.Timestamp):
            return None if pd.isna(v) else v.isoformat()
        if v is pd.NA or v is pd.NaT:
            return None
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.ndarray):
            return jsonable(v.tolist(), depth + 1)
        if isinstance(v, np.generic):
            return jsonable(v.item(), depth + 1)
    if isinstance(v, dict):
        return {str(k): jsonable(x, depth + 1) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset, range)):
        return [jsonable(x, depth + 1) for x in v]
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return jsonable(float(v), depth + 1)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "replace")
    raise TypeError("values of type %s have no JSON form" % type(v).__name__)


# --- the service ---
service = None
namespace = None
baseline = set()
compiled = None


def init(msg):
    global service, namespace, baseline, compiled
    service = msg
    console.limit = msg["maxConsoleBytes"]
    console.mirror_fd = msg.get("consoleFd")
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    stage = "code does not compile"
    try:
        compiled = compile(msg["code"], "%s/code.py" % msg["name"], "exec")
        stage = "initCode failed"
        if msg["initCode"].strip():
            exec(compile(msg["initCode"], "%s/init.py" % msg["name"], "exec"), namespace)
    except BaseException as err:
        console.write(trace_of(err, 1))
        message = "%s: %s" % (stage, message_of(err))
        send({"type": "init-error", "message": message, "consoleOutput": console.take()})
        return
    baseline = set(namespace)
    send({"type": "ready"})


def artifacts_in(work_dir):
    found = []
    for name in service["outputFileNames"]:
        if name and name == os.path.basename(name) and name not in (".", ".."):
            if os.path.isfile(os.path.join(work_dir, name)):
                found.append(name)
    return found


def run(msg):
    # Names the previous record's code created are dropped, so no output leaks into this one.
    for stale in set(namespace) - baseline:
        del namespace[stale]
    outputs, success, error = {}, True, ""
    try:
        os.chdir(msg["workDir"])
        for param in service["inputs"]:
            namespace[param["name"]] = convert(param, msg["inputs"].get(param["name"]))
        try:
            exec(compiled, namespace)
        except BaseException as err:
            console.write(trace_of(err, 1))
            raise
        for param in service["outputs"]:
            try:
                outputs[param["name"]] = jsonable(namespace.get(param["name"]))
            except Exception as err:
                raise ValueError("output '%s' cannot be encoded as JSON: %s" % (param["name"], err))
    except BaseException as err:
        success, error, outputs = False, message_of(err), {}
    send({
        "type": "result", "id": msg["id"], "success": success, "errorMessage": error,
        "consoleOutput": console.take(), "outputParameters": outputs,
        "artifacts": artifacts_in(msg["workDir"]),
    })


# --- ending with the server ---
# If the server dies while service code spins, nobody reads the channel's end-of-file: the worker
# must end without its help, or it spins a core until someone notices.
PR_SET_PDEATHSIG = 1


def parent_death_signal():
    """Asks the kernel to SIGKILL this process when its parent ends; False where it cannot (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        arg = ctypes.c_ulong
        return libc.prctl(PR_SET_PDEATHSIG, arg(signal.SIGKILL), arg(0), arg(0), arg(0)) == 0
    except Exception:  # no ctypes (a minimal build) or no prctl (a libc without it)
        return False


def gone(pid):
    """True when no process `pid` exists any more (never on Windows, where os.kill would end it)."""
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass
    return False


def watch_parent(parent, server):
    while True:
        time.sleep(1)
        if os.getppid() != parent or gone(server):
            os._exit(0)


def end_with_server(server):
    """
    Ties this process's life to the server's (pid `server`, its parent, which names itself in
    argv): on Linux the kernel's parent-death signal ends it with the server, at no cost while it
    runs; elsewhere a thread polls for the server's death once a second. The signal is asked for
    only now, so a server that died while this interpreter started is caught by the check after it:
    this process has another parent already, and the server is gone.
    """
    kernel = parent_death_signal()
    parent = os.getppid()
    if parent == server and kernel:
        return
    if parent != server and gone(server):
        os._exit(0)
    # No kernel signal here, or a process between the server and this one (an interpreter given
    # as a wrapper that forks): the signal, if set, is tied to that process, not to the server.
    threading.Thread(target=watch_parent, args=(parent, server), daemon=True).start()


def server_pid():
    """The server's pid from `--server-pid=N` (taken out of sys.argv: service code sees none), else the parent's."""
    for arg in sys.argv[1:]:
        if arg.startswith("--server-pid="):
            sys.argv.remove(arg)
            try:
                return int(arg.split("=", 1)[1])
            except ValueError:
                break
    return os.getppid()


def main():
    end_with_server(server_pid())
    # Ctrl-C in the server's terminal (or a SIGTERM to its process group) reaches this process too:
    # a KeyboardInterrupt would fail the record in flight before the server, closing, knows to
    # drop it. The server stops its workers itself; a hang-up still ends them at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for line in _channel_in:
        if not line.strip():
            continue
        msg = json.loads(line)
        if msg["type"] == "init":
            init(msg)
        elif msg["type"] == "run":
            run(msg)


if __name__ == "__main__":
    main()
