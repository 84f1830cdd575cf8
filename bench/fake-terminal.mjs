// A terminal for benchmarks that render the app with ink: a stdout that counts (and keeps) what
// ink writes, and a raw-mode stdin that keys can be pressed on.
import { EventEmitter } from 'node:events';

/** A terminal-like stdout: counts bytes and writes, reports each write, and with `keep` keeps the chunks. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  bytes = 0;
  writes = 0;
  chunks = [];
  onWrite = null;
  constructor(columns, rows, keep = false) {
    super();
    this.columns = columns;
    this.rows = rows;
    this.keep = keep;
  }
  write(chunk) {
    const s = String(chunk);
    this.bytes += Buffer.byteLength(s);
    this.writes++;
    if (this.keep) this.chunks.push(s);
    this.onWrite?.();
    return true;
  }
  hasColors() {
    return true;
  }
}

/** A raw-mode stdin ink can read keys from. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  data = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(s) {
    this.data = s;
    this.emit('readable');
  }
}
