import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The tests reach only servers on 127.0.0.1 (TLS ones with their own certificates). Node 20 reads
// the CA bundle NODE_EXTRA_CA_CERTS names at every process start, about 75 ms of CPU on a slow
// core: the hundreds of processes the suite starts (workers, the CLI, servers) are spared it.
delete process.env.NODE_EXTRA_CA_CERTS;

// The files that take longest, mostly waiting (CLI runs, kills and restarts, timeouts, records
// that sleep), longest first. Vitest starts the files that took longest last time first, when it
// has a last time; a fresh clone (CI) has none and would start the largest files first, leaving
// several of these to run nearly alone at the end (67-70 s of vitest, against 64 s with this order).
const LONGEST = [
  'commands/headless', 'commands/shared-login', 'commands/watchers-token-ttl', 'commands/contexts', 'commands/hostile-text', 'commands/rerun', 'server/restart', 'tui/pty-terminal',
  'server/concurrency', 'runtime/orphans', 'server/crash-window', 'server/auth', 'watch/poll-budget',
  'client/time-limits', 'runtime/pool-python', 'tui/pty-anchor', 'server/python-batch', 'client/delta-polls',
  'tui/pty-errors', 'runtime/pool-javascript', 'commands/diff', 'controller/reconnect', 'runtime/examples',
  'commands/records-errors', 'commands/stalled-server', 'tui/pty-demo', 'commands/ids', 'commands/wait-budget',
  'tui/pty-contexts', 'tui/pty-copy',
].map((name) => `${join('test', name)}.test.ts`);

/** Vitest's order, with the files in LONGEST first. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST.findIndex((name) => file.moduleId.endsWith(name));
      return at < 0 ? LONGEST.length : at;
    };
    return (await super.sort(files)).map((file, i) => ({ file, i })).sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i).map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most files wait on child processes (servers, workers, the CLI, records that sleep) more than
    // they compute: on two cores, six at once took 55-58 s where four took 69-71 s and three 82 s
    // (eight: 54 s). Files share one module registry per worker (isolate: false),
    // which saves re-importing ink, React and fastify for every file; none relies on fresh modules.
    fileParallelism: true,
    // A build older than the sources is rebuilt before any test runs (test/build-first.ts).
    globalSetup: ['test/build-first.ts'],
    sequence: { sequencer: LongestFirst },
    maxWorkers: 6,
    isolate: false,
    // ink draws no frame until it exits when it believes it runs in CI (it reads CI as it loads):
    // the tests that draw through ink's own render path need its frames, wherever they run.
    // The CLI and the app keep a journal of executions in the user's data dir, and the current context and
    // saved logins in its state dir: never the real ones in tests.
    env: {
      CI: 'false',
      XDG_DATA_HOME: join(tmpdir(), `mlbatch-test-data-${process.pid}`),
      XDG_STATE_HOME: join(tmpdir(), `mlbatch-test-state-${process.pid}`),
    },
  },
});
