import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool, probePython } from '../../src/server/runtime/pool.js';
import { cleanup, EXAMPLES, exampleService, mtcars, params, runOne, service, waitForFile, workDir } from './helpers.js';

const hasPython = await probePython('python3');
const imports = (mod: string) => hasPython && spawnSync('python3', ['-c', `import ${mod}`]).status === 0;
const py = (fields: Parameters<typeof service>[0]) => service({ runtimeType: 'Python', ...fields });

const pool = createWorkerPool({ maxWorkers: 2, maxConsoleBytes: 2000 });
afterAll(async () => {
  await pool.close();
  cleanup();
});

describe.skipIf(!hasPython)('Python services in the worker pool', () => {
  it('reports Python as available', async () => {
    expect(await pool.available()).toEqual({ JavaScript: true, Python: true, R: false });
  });

  it('binds inputs with ML Server types and encodes outputs as JSON', async () => {
    const svc = py({
      inputs: params('n:numeric', 'i:integer', 'flag:logical', 's:character', 'vec:vector', 'mat:matrix', 'df:data.frame'),
      outputs: params('kinds:vector', 'total:numeric', 'odd:vector', 'when:character', 'n', 'df'),
      code: [
        'import datetime, math',
        'kinds = [type(v).__name__ for v in (n, i, flag, s, vec, mat, df)]',
        'total = float(sum(vec)) + i',
        'odd = (float("nan"), math.inf, 1.5, None)',
        'when = datetime.date(2024, 2, 29)',
      ].join('\n'),
    });
    const df = { hp: [110, 95], wt: [2.62, 3.1] };
    const out = await runOne(pool, svc, { n: 3, i: 4, flag: true, s: 'x', vec: [1, 2, 3], mat: [[1, 2], [3, 4]], df });
    expect(out.errorMessage).toBe('');
    const array = imports('numpy') ? 'ndarray' : 'list';
    const frame = imports('pandas') ? 'DataFrame' : 'dict';
    expect(out.outputParameters).toEqual({
      kinds: ['float', 'int', 'bool', 'str', array, array, frame],
      total: 10,
      odd: [null, null, 1.5, null],
      when: '2024-02-29',
      n: 3,
      df,
    });
  });

  it.skipIf(!imports('numpy'))('converts numpy values in outputs', async () => {
    const svc = py({
      outputs: params('arr:matrix', 'scalar', 'flag:logical'),
      code: 'import numpy as np\narr = np.array([[1.0, np.nan], [np.inf, 2.5]])\nscalar = np.float32(0.5)\nflag = np.bool_(True)',
    });
    const out = await runOne(pool, svc);
    expect(out.outputParameters).toEqual({ arr: [[1, null], [null, 2.5]], scalar: 0.5, flag: true });
  });

  it('captures print and stderr, and output written to fd 1 cannot break the channel', async () => {
    const svc = py({
      outputs: params('ok:logical'),
      code: 'import os, sys\nprint("hello", 42)\nprint("warn", file=sys.stderr)\nos.write(1, b"raw bytes on fd 1\\n")\nsys.stdout.buffer.write(b"bytes\\n")\nok = True',
    });
    const out = await runOne(pool, svc);
    expect(out.outputParameters).toEqual({ ok: true });
    expect(out.consoleOutput).toBe('hello 42\nwarn\nbytes\n');
    expect((await runOne(pool, svc)).success).toBe(true);
  });

  it('runs initCode once per worker; outputs a record did not set are null, not stale', async () => {
    const svc = py({
      initCode: 'calls = []',
      inputs: params('x'),
      outputs: params('count:integer', 'maybe'),
      code: 'calls.append(x)\ncount = len(calls)\nif x > 1:\n    maybe = x',
    });
    const counts = [];
    for (const x of [1, 2, 1]) counts.push((await runOne(pool, svc, { x })).outputParameters);
    expect(counts).toEqual([
      { count: 1, maybe: null },
      { count: 2, maybe: 2 },
      { count: 3, maybe: null },
    ]);
  });

  it('runs in the record work dir and lists the declared files that exist as artifacts', async () => {
    const svc = py({
      outputs: params('cwd:character'),
      outputFileNames: ['out.bin', 'absent.txt'],
      code: 'import os\nopen("out.bin", "wb").write(bytes(range(256)))\ncwd = os.getcwd()',
    });
    const out = await runOne(pool, svc);
    expect(out.outputParameters.cwd).toBe(realpathSync(out.workDir));
    expect(out.artifacts).toEqual(['out.bin']);
    expect(readFileSync(path.join(out.workDir, 'out.bin')).length).toBe(256);
  });

  it('fails an item with the exception, shows the traceback, and keeps working', async () => {
    const svc = py({ inputs: params('wt'), outputs: params('y'), code: 'if wt < 0:\n    raise ValueError(f"wt must be positive, got {wt}")\ny = wt * 2' });
    const bad = await runOne(pool, svc, { wt: -1 });
    expect(bad.success).toBe(false);
    expect(bad.errorMessage).toBe('ValueError: wt must be positive, got -1.0');
    expect(bad.consoleOutput).toMatch(/Traceback[\s\S]*code\.py", line 2/);
    expect((await runOne(pool, svc, { wt: 2 })).outputParameters).toEqual({ y: 4 });
    const wrongType = await runOne(pool, svc, { wt: 'heavy' });
    expect(wrongType.errorMessage).toBe('TypeError: input wt must be numeric, got "heavy"');
    const broken = await runOne(pool, py({ initCode: 'model = load_model()', code: '' }));
    expect(broken.errorMessage).toBe("initCode failed: NameError: name 'load_model' is not defined");
    const syntax = await runOne(pool, py({ code: 'y = (' }));
    expect(syntax.errorMessage).toMatch(/^code does not compile: SyntaxError: /);
  });

  it('cuts a long consoleOutput at the limit and says so', async () => {
    const svc = py({ code: 'for i in range(10000):\n    print("line", i, "é" * 10)' });
    const out = await runOne(pool, svc);
    expect(out.success).toBe(true);
    const [kept, note] = out.consoleOutput.split('\n[consoleOutput cut: ');
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(2000);
    expect(kept.startsWith('line 0 éééé')).toBe(true);
    expect(note).toMatch(/^\d+ more bytes not shown \(limit 2000 bytes\)\]\n$/);
  });

  it('fails a record over its timeout and a record whose worker is killed, keeping what they printed; the next works', async () => {
    const svc = py({
      inputs: params('mode:character'),
      outputs: params('pid:integer'),
      code: [
        'import os, time',
        'print("started", mode)',
        'open("pid.txt", "w").write(str(os.getpid()))',
        'if mode == "spin":\n    while True:\n        pass',
        'if mode == "sleep":\n    time.sleep(60)',
        'pid = os.getpid()',
      ].join('\n'),
    });
    const spun = await runOne(pool, svc, { mode: 'spin' }, 1500);
    expect(spun.errorMessage).toBe('timed out after 1.5 s');
    // What it printed before it was stopped is kept, and nothing of an earlier record.
    expect(spun.consoleOutput).toBe('started spin\n');
    const dir = workDir();
    const victim = runOne(pool, svc, { mode: 'sleep' }, 60_000, dir);
    const neighbour = await runOne(pool, svc, { mode: 'quick' });
    const victimPid = Number(await waitForFile(path.join(dir, 'pid.txt')));
    process.kill(victimPid, 'SIGKILL');
    const killed = await victim;
    expect(killed.success).toBe(false);
    expect(killed.errorMessage).toBe('worker process died while running this record (killed by SIGKILL)');
    expect(killed.consoleOutput).toBe('started sleep\n');
    expect(neighbour.success).toBe(true);
    const next = await runOne(pool, svc, { mode: 'quick' });
    expect(next.success).toBe(true);
    expect(next.outputParameters.pid).not.toBe(victimPid);
  });

  it('scores every mtcars row like the JavaScript transmission scorer, within 1e-6', async () => {
    const pySvc = exampleService('transmission-python');
    const jsSvc = exampleService('transmission');
    expect(pySvc.initCode).toContain(`MTCARS_CSV = """${readFileSync(path.join(EXAMPLES, 'records/mtcars.csv'), 'utf8')}"""`);
    for (const car of mtcars()) {
      const [p, j] = await Promise.all([runOne(pool, pySvc, { hp: car.hp, wt: car.wt }), runOne(pool, jsSvc, { hp: car.hp, wt: car.wt })]);
      expect(p.errorMessage).toBe('');
      expect(p.artifacts).toEqual(['answer.csv']);
      expect(Math.abs((p.outputParameters.probability as number) - (j.outputParameters.probability as number))).toBeLessThan(1e-6);
    }
    const coef = py({ initCode: pySvc.initCode, code: 'b0, b_hp, b_wt = coefficients', outputs: params('b0', 'b_hp', 'b_wt') });
    const { outputParameters: c } = await runOne(pool, coef);
    expect(Math.abs((c.b0 as number) - 18.8663)).toBeLessThan(1e-3);
    expect(Math.abs((c.b_hp as number) - 0.03626)).toBeLessThan(1e-3);
    expect(Math.abs((c.b_wt as number) - -8.08348)).toBeLessThan(1e-3);
  });
});

describe.skipIf(!hasPython)('an interpreter reached through a shim (a version manager\'s)', () => {
  it('starts its workers from the interpreter the probe names, so the shim runs once, not per worker', async () => {
    const calls = path.join(workDir(), 'shim-calls');
    const shim = path.join(workDir(), 'python3-shim');
    writeFileSync(shim, `#!/bin/sh\necho x >> '${calls}'\nexec python3 "$@"\n`);
    chmodSync(shim, 0o755);
    const shimmed = createWorkerPool({ maxWorkers: 2, pythonPath: shim });
    try {
      const svc = py({ inputs: params('n:numeric'), outputs: params('twice:numeric'), code: 'import time\ntime.sleep(0.3)\ntwice = n * 2' });
      const outs = await Promise.all([1, 2, 3].map((n) => runOne(shimmed, svc, { n })));
      expect(outs.map((o) => o.outputParameters)).toEqual([{ twice: 2 }, { twice: 4 }, { twice: 6 }]);
      expect(readFileSync(calls, 'utf8')).toBe('x\n');
    } finally {
      await shimmed.close();
    }
  });
});

describe('Python services without an interpreter', () => {
  it('fails each item with the documented message and keeps running JavaScript', async () => {
    const missing = createWorkerPool({ maxWorkers: 1, pythonPath: path.join(EXAMPLES, 'no-such-python3') });
    try {
      expect(await missing.available()).toEqual({ JavaScript: true, Python: false, R: false });
      for (let i = 0; i < 2; i++) {
        const out = await runOne(missing, py({ code: 'x = 1' }));
        expect(out.success).toBe(false);
        expect(out.errorMessage).toBe('Python runtime not available: install python3 or pass --python');
      }
      const js = await runOne(missing, service({ outputs: params('y'), code: 'const y = 1;' }));
      expect(js.outputParameters).toEqual({ y: 1 });
    } finally {
      await missing.close();
    }
  });
});

describe('an interpreter that takes its time to answer the probe', () => {
  it('keeps the server responsive: JavaScript records run and timers fire while Python records wait for it', async () => {
    // A stand-in interpreter that answers the version probe after 2 s, as a wrapper on a slow disk might.
    const slow = path.join(workDir(), 'slow-python3');
    writeFileSync(slow, '#!/bin/sh\nif [ "$1" = -c ]; then sleep 2; exit 0; fi\nexit 1\n');
    chmodSync(slow, 0o755);
    const started = performance.now();
    const pool = createWorkerPool({ maxWorkers: 2, pythonPath: slow });
    try {
      const python = runOne(pool, py({ code: 'x = 1' }));
      const timer = await new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - started), 50));
      expect(timer).toBeLessThan(1000);
      const js = await runOne(pool, service({ outputs: params('y'), code: 'const y = 1;' }));
      expect(js.outputParameters).toEqual({ y: 1 });
      expect(performance.now() - started).toBeLessThan(1500);
      // The probe said yes, so the record went to the stand-in, which is no Python worker: it fails, after the probe.
      expect((await python).success).toBe(false);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
    } finally {
      await pool.close();
    }
  });
});
