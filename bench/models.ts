// `npm run bench -- models [--quick]`: whole networks, in one process: torchwick running the
// TorchScript fixtures (fuser on, and off) beside onnxruntime-web (wasm backend, SIMD, 1 thread)
// and onnxruntime-node (CPU, 1 thread) running the ONNX exports of the same architectures on the
// same input, under no_grad (inference). The columns run interleaved (one forward each per round)
// so that they see the same machine load; min/median/max ms after warm-up; ratio = torchwick /
// onnxruntime-web (medians); peak_bytes = the engine's peak live bytes during one forward (weights
// included). A child process with --experimental-wasm-relaxed-simd adds the relaxed-SIMD build's
// time; --profile prints ms per op row; --case=KEY runs one case;
// --no-relaxed skips the relaxed-SIMD child.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { engine } from '../src/engine/engine.js';
import { jit, loadFile } from '../src/jit/index.js';
import type { FuserMode } from '../src/jit/fuser/launch.js';
import { OP_TABLE } from '../src/ops/index.js';
import { tensorFromNpy } from '../src/sdk/npy.js';
import { Tensor } from '../src/sdk/tensor.js';
import { no_grad } from '../src/autograd/mode.js';

const FIXTURES = '../shared/fixtures';

interface ModelCase {
  key: string;
  /** TorchScript fixture (torchscript/NAME.pt, its input0.npy). */
  pt: string;
  onnx: string;
  shape: number[];
}

const CASES: ModelCase[] = [
  { key: 'transformer_net_227', pt: 'transformer_net_traced', onnx: 'transformer_net.onnx', shape: [1, 3, 227, 227] },
  { key: 'mobilenet_v2_224', pt: 'mobilenet_v2_traced', onnx: 'mobilenet_v2.onnx', shape: [1, 3, 224, 224] },
];

interface Timing { min: number; med: number; max: number }

const summary = (ts: number[]): Timing => {
  const s = [...ts].sort((a, b) => a - b);
  return { min: s[0], med: s[s.length >> 1], max: s[s.length - 1] };
};

/**
 * Times every runner, interleaved (one run of each per round): on a shared machine the load
 * changes from second to second, and interleaving lets each column see the same load. Each round
 * starts one runner later than the one before, so that every runner follows each of the others
 * equally often (what ran just before leaves the caches, and the clock, in its own state).
 */
async function measure<K extends string>(warmup: number, runs: number, fns: Record<K, () => unknown>): Promise<Record<K, Timing>> {
  const keys = Object.keys(fns) as K[];
  const ts = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup + runs; i++) {
    for (const key of [...keys.slice(i % keys.length), ...keys.slice(0, i % keys.length)]) {
      const t0 = performance.now();
      await fns[key]();
      if (i >= warmup) ts[key].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, summary(ts[key])])) as Record<K, Timing>;
}

const fmt = (t: Timing) => `min ${t.min.toFixed(1)}  med ${t.med.toFixed(1)}  max ${t.max.toFixed(1)} ms`;
const round = (v: number) => +v.toFixed(2);

/** The two onnxruntime sessions of a model: the web build loads its .wasm from node_modules. */
async function ortSessions(file: string) {
  const require = createRequire(import.meta.url);
  const web = await import('onnxruntime-web');
  const native = await import('onnxruntime-node');
  web.env.wasm.numThreads = 1;
  web.env.wasm.wasmPaths = require.resolve('onnxruntime-web').replace(/[^/]*$/, '');
  const bytes = new Uint8Array(readFileSync(`${FIXTURES}/onnx/${file}`));
  return {
    web: { ort: web, session: await web.InferenceSession.create(bytes, { executionProviders: ['wasm'] }) },
    native: { ort: native, session: await native.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 }) },
  };
}

/** Runs one onnxruntime session on `data` (one input, outputs dropped). */
function ortRunner(rt: { ort: any; session: any }, data: Float32Array, shape: number[]): () => Promise<unknown> {
  const feeds = { [rt.session.inputNames[0]]: new rt.ort.Tensor('float32', data, shape) };
  return () => rt.session.run(feeds);
}

/** Milliseconds per op row over `runs` forwards (wrapping every row's impl with a timer). */
function profile(forward: () => void, runs: number): [string, number, number][] {
  const byOp = new Map<string, { ms: number; calls: number }>();
  const saved = new Map<object, (...a: any[]) => any>();
  for (const rows of OP_TABLE.values()) {
    for (const row of rows) {
      const impl = row.impl;
      saved.set(row, impl);
      row.impl = (...a: any[]) => {
        const t0 = performance.now();
        try {
          return impl(...a);
        } finally {
          const e = byOp.get(row.parsed.name) ?? { ms: 0, calls: 0 };
          e.ms += performance.now() - t0;
          e.calls++;
          byOp.set(row.parsed.name, e);
        }
      };
    }
  }
  try {
    for (let i = 0; i < runs; i++) forward();
  } finally {
    for (const rows of OP_TABLE.values()) for (const row of rows) row.impl = saved.get(row)!;
  }
  return [...byOp].sort((a, b) => b[1].ms - a[1].ms).map(([op, e]) => [op, e.ms / runs, e.calls / runs]);
}

/** torchwick's fused forward of each case in a child Node with relaxed SIMD on: its median ms by key. */
function relaxedColumn(quick: boolean, only: string | undefined): Record<string, number> | null {
  const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', process.argv[1], 'models', '--torchwick-only', ...(quick ? ['--quick'] : []), ...(only ? [`--case=${only}`] : [])],
    { encoding: 'utf8', env: { ...process.env, TORCHWICK_WASM: 'relaxed-simd' } });
  const line = child.stdout?.split('\n').find((l) => l.startsWith('{"relaxed"'));
  return line ? JSON.parse(line).relaxed : null;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick'), torchwickOnly = args.includes('--torchwick-only'), wantProfile = args.includes('--profile');
  const only = args.find((a) => a.startsWith('--case='))?.slice('--case='.length);
  const warmup = quick ? 1 : 2, runs = quick ? 3 : 20;
  const k = engine().k;
  const results: Record<string, object> = {};
  const relaxed: Record<string, number> = {};
  for (const c of CASES.filter((x) => !only || x.key === only)) {
    const module = loadFile(`${FIXTURES}/torchscript/${c.pt}.pt`);
    const x = tensorFromNpy(new Uint8Array(readFileSync(`${FIXTURES}/torchscript/${c.pt}.input0.npy`)));
    if (x.shape.join(',') !== c.shape.join(',')) throw new Error(`${c.pt}.input0.npy has shape [${x.shape}], expected [${c.shape}]`);
    // Inference, as onnxruntime runs it: the loaded parameters require grad, so no_grad keeps
    // autograd from recording (torch.no_grad() in PyTorch).
    const mode = jit.getFuserMode();
    const forwardIn = (m: FuserMode) => () => {
      jit.setFuserMode(m);
      try {
        no_grad(() => (module.forward(x) as Tensor).dispose());
      } finally {
        jit.setFuserMode(mode);
      }
    };
    if (torchwickOnly) {
      relaxed[c.key] = round((await measure(warmup, runs, { fused: forwardIn(mode) })).fused.med);
      continue;
    }
    const data = Float32Array.from(x.dataSync() as Float32Array);
    const ort = await ortSessions(c.onnx);
    const t = await measure(warmup, runs, {
      fused: forwardIn(mode), unfused: forwardIn('off'),
      web: ortRunner(ort.web, data, c.shape), native: ortRunner(ort.native, data, c.shape),
    });
    await ort.web.session.release();
    await ort.native.session.release();
    k.stat_reset_peak();
    forwardIn(mode)();
    const peak = k.stat_peak_bytes() >>> 0;
    const e = engine().stats().allocations;
    forwardIn(mode)();
    const allocations = engine().stats().allocations - e;

    console.log(`${c.key}:`);
    console.log(`  torchwick (fuser ${mode}, ${engine().variant})   ${fmt(t.fused)}   peak ${(peak / 2 ** 20).toFixed(1)} MiB, ${allocations} allocations per forward`);
    console.log(`  torchwick (fuser off)     ${fmt(t.unfused)}`);
    console.log(`  onnxruntime-web (wasm)    ${fmt(t.web)}`);
    console.log(`  onnxruntime-node (cpu)    ${fmt(t.native)}`);
    console.log(`  ratio torchwick / onnxruntime-web: ${(t.fused.med / t.web.med).toFixed(2)} (fuser off: ${(t.unfused.med / t.web.med).toFixed(2)})`);
    if (wantProfile) {
      for (const [m, label] of [[mode, `fuser ${mode}`], ['off', 'fuser off']] as const) {
        const ops = profile(forwardIn(m), quick ? 2 : 5);
        const opMs = ops.reduce((a, [, ms]) => a + ms, 0);
        console.log(`  profile (${label}): ops ${opMs.toFixed(1)} ms of ${(m === mode ? t.fused : t.unfused).med.toFixed(1)}`);
        for (const [op, ms, calls] of ops.slice(0, 8)) console.log(`    ${op.padEnd(28)} ${ms.toFixed(2).padStart(8)} ms  ${calls} calls`);
      }
    }
    results[c.key] = {
      torchwick_ms: round(t.fused.med), ort_wasm_ms: round(t.web.med), ort_native_ms: round(t.native.med),
      ratio: +(t.fused.med / t.web.med).toFixed(3), peak_bytes: peak, torchwick_nofuse_ms: round(t.unfused.med),
      allocations_per_forward: allocations,
    };
    x.dispose();
    // The next model's peak should not count this one's buffers kept for reuse.
    module.releaseCachedMemory();
  }
  if (torchwickOnly) {
    console.log(JSON.stringify({ relaxed }));
    return;
  }
  // A second column: the relaxed-SIMD build, which Node 20 runs only with a flag (browsers do by default).
  const rx = args.includes('--no-relaxed') ? null : relaxedColumn(quick, only);
  for (const [key, r] of Object.entries(results) as [string, any][]) {
    if (!rx?.[key]) continue;
    console.log(`${key}: torchwick relaxed-simd (child node --experimental-wasm-relaxed-simd) med ${rx[key].toFixed(1)} ms, ratio ${(rx[key] / r.ort_wasm_ms).toFixed(2)} against this run's onnxruntime-web`);
    r.torchwick_relaxed_ms = rx[key];
  }
  console.log(JSON.stringify({ suite: 'models', load: loadavg()[0], cases: results }));
}
