import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The tests reach only servers on 127.0.0.1 (TLS ones with their own certificates). Node 20 reads
// the CA bundle NODE_EXTRA_CA_CERTS names at every process start, about 75 ms of CPU on a slow
// core: the hundreds of processes the suite starts (workers, the CLI, servers) are spared it.
delete process.env.NODE_EXTRA_CA_CERTS;

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
    maxWorkers: 6,
    isolate: false,
    // ink draws no frame until it exits when it believes it runs in CI (it reads CI as it loads):
    // the tests that draw through ink's own render path need its frames, wherever they run.
    // The CLI and the app keep a journal of executions in the user's data dir: never the real one in tests.
    env: { CI: 'false', XDG_DATA_HOME: join(tmpdir(), `mlbatch-test-data-${process.pid}`) },
  },
});
