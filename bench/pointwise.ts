// Pointwise throughput: add, mul, exp, sigmoid on 1M and 16M float32 through the wasm kernels,
// beside a plain JavaScript loop and the SIMD triad (memory-bandwidth reference) moving the same
// bytes, all in one run; plus f32_gemm 512^3 and the f32x4 mul+add peak. Each figure is
// min/median/max over the runs after warm-up; the last line is one JSON object.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UNARY_EXP, UNARY_SIGMOID, BINARY_ADD, BINARY_MUL } from '../assembly/kernels/opcodes.js';
import { summarize, fmtStats, PEAK_FLOPS_PER_ROUND, type Stats } from './stats.js';


function measure(fn: () => void, runs: number, warmup = 3): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push((performance.now() - t0) / 1e3);
  }
  return t;
}

/** Rates (work / seconds) summarised; the fastest time gives the max rate. */
function rates(work: number, seconds: number[]): Stats {
  return summarize(seconds.map((s) => work / s));
}

const fmt = (s: Stats) => fmtStats(s, 2);

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const runs = quick ? 10 : 20;
  const { instance } = await WebAssembly.instantiate(fs.readFileSync('build/torchwick.wasm'), {
    env: { abort() { throw new Error('abort'); } },
  });
  const w = instance.exports as any;
  const cases: Record<string, Record<string, number | Stats>> = {};

  for (const [label, n] of [['1M', 1 << 20], ['16M', 16 << 20]] as const) {
    const pa = w.alloc(n * 4), pb = w.alloc(n * 4), pc = w.alloc(n * 4);
    const view = (p: number) => new Float32Array(w.memory.buffer, p, n);
    view(pa).forEach((_, i, a) => { a[i] = (i % 1000) / 500 - 1; });
    view(pb).fill(0.5);
    // JS arrays of their own, so that the JS loop pays no wasm-memory view costs.
    const ja = Float32Array.from(view(pa)), jb = Float32Array.from(view(pb)), jc = new Float32Array(n);
    const ops: [string, number, () => void, () => void][] = [
      ['add', 3, () => w.f32_binary(BINARY_ADD, pa, pb, pc, n, 0), () => { for (let i = 0; i < n; i++) jc[i] = ja[i] + jb[i]; }],
      ['mul', 3, () => w.f32_binary(BINARY_MUL, pa, pb, pc, n, 0), () => { for (let i = 0; i < n; i++) jc[i] = ja[i] * jb[i]; }],
      ['exp', 2, () => w.f32_unary(UNARY_EXP, pa, pc, n, 0, 0), () => { for (let i = 0; i < n; i++) jc[i] = Math.exp(ja[i]); }],
      ['sigmoid', 2, () => w.f32_unary(UNARY_SIGMOID, pa, pc, n, 0, 0), () => { for (let i = 0; i < n; i++) jc[i] = 1 / (1 + Math.exp(-ja[i])); }],
    ];
    for (const [op, arrays, wasm, js] of ops) {
      const bytes = arrays * n * 4;
      const gb = bytes / 1e9;
      const wasmR = rates(gb, measure(wasm, runs));
      const jsR = rates(gb, measure(js, quick ? 5 : 10, 1));
      // The triad moves 3 arrays: arrays * n / 3 elements each moves the same bytes as the op.
      const tn = Math.floor((n * arrays) / 3);
      const triadR = rates(gb, measure(() => w.f32_triad(pc, pa, pb, tn, 1.5), runs));
      const name = `${op}_${label}`;
      cases[name] = { wasm_gbs: wasmR.median, js_gbs: jsR.median, triad_gbs: triadR.median, wasm: wasmR, js: jsR, triad: triadR };
      console.log(`${name.padEnd(12)} wasm ${fmt(wasmR)} GB/s   js ${fmt(jsR)} GB/s   triad ${fmt(triadR)} GB/s`);
    }
    w.free(pa); w.free(pb); w.free(pc);
  }

  {
    const n = 512;
    const pa = w.alloc(n * n * 4), pb = w.alloc(n * n * 4), pc = w.alloc(n * n * 4), ws = w.alloc(w.f32_gemm_workspace(n, n, n));
    new Float32Array(w.memory.buffer, pa, n * n).fill(0.25);
    new Float32Array(w.memory.buffer, pb, n * n).fill(0.5);
    const r = rates((2 * n ** 3) / 1e9, measure(() => w.f32_gemm(0, 0, n, n, n, 1, pa, n, pb, n, 0, pc, n, ws), runs));
    cases.gemm_512 = { gflops: r.median, stats: r };
    console.log(`gemm_512     ${fmt(r)} GFLOP/s`);
    for (const p of [pa, pb, pc, ws]) w.free(p);
  }
  {
    const iters = 2_000_000;
    const r = rates((PEAK_FLOPS_PER_ROUND * iters) / 1e9, measure(() => w.f32_peak(iters), runs));
    cases.simd_peak = { gflops: r.median, stats: r };
    console.log(`simd_peak    ${fmt(r)} GFLOP/s`);
  }
  console.log(JSON.stringify({ suite: 'pointwise', cases }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  await run(process.argv.slice(2));
}
