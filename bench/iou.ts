// The talk's ratio_iou (8 box planes in, 1 out): eager op by op through the op table, scripted +
// fused with a generated kernel, scripted + fused through the template VM, the hand-written
// custom kernel (super_iou::iou_native), and the SIMD triad moving the same bytes (9 planes) as
// the bandwidth bound. Each figure is min/median/max microseconds per call over batches after
// warm-up, all in one run; the last line is one JSON object. Every batch is timed twice: wall
// clock, and this process's CPU time (user + system), which a shared machine's other load does
// not inflate (it does count V8's helper threads, e.g. concurrent GC, so it can only flatter the
// variants that make no garbage less); the ratios are printed for both.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { torch, jit, tidy, Tensor } from '../src/index.js';
import { engine } from '../src/engine/engine.js';
import { optimize } from '../src/jit/pipeline.js';
import { summarize, fmtStats, maxAbsDiff, batchSize, type Stats } from './stats.js';

type Fn = (...xs: Tensor[]) => Tensor;
/** The talk's function op by op in eager mode (examples/talk.js), its temporaries freed per call. */
const talk = await import(pathToFileURL(resolve('examples/talk.js')).href);
const ratioIou: Fn = (...xs) => tidy(() => talk.ratioIou(...xs));

type Timings = { wall: Stats; cpu: Stats };

/** CPU microseconds this process has used (all its threads). */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * Microseconds per call for each variant: batches sized to take >= `minMs`, then `runs` rounds
 * that time one batch of every variant in turn, so that a noisy machine slows all of them alike.
 * Each round takes the variants in a new (seeded) order: at 1000x1000 the planes outgrow the
 * last-level cache, and a variant that always follows eager or the triad (which evict them)
 * would always start cold.
 */
function measureAll(fns: Record<string, () => void>, runs: number, minMs: number): Record<string, Timings> {
  const batches: Record<string, number> = {};
  for (const [name, fn] of Object.entries(fns)) batches[name] = batchSize(fn, minMs);
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  let seed = 12345;
  const order = Object.keys(fns);
  for (let r = 0; r < runs; r++) {
    for (let i = order.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const name of order) {
      const fn = fns[name], batch = batches[name];
      const c0 = cpuNow(), t0 = performance.now();
      for (let i = 0; i < batch; i++) fn();
      wall[name].push(((performance.now() - t0) * 1e3) / batch);
      cpu[name].push((cpuNow() - c0) / batch);
    }
  }
  return Object.fromEntries(Object.keys(fns).map((k) => [k, { wall: summarize(wall[k]), cpu: summarize(cpu[k]) }]));
}

const fmt = (s: Stats) => `${fmtStats(s)} us`;

function loadAverage(): string {
  const fs = (globalThis as any).process?.getBuiltinModule?.('node:fs');
  try {
    return fs ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a';
  } catch {
    return 'n/a';
  }
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const runs = quick ? 7 : 25;
  const minMs = quick ? 2 : 10;
  const fused = jit.compile(talk.RATIO_IOU_SOURCE).ratio_iou;
  optimize(fused.ir);
  const groups = fused.ir.nodes().filter((n) => n.kind === 'prim::FusionGroup').length;
  console.log(`scripted ratio_iou: ${groups} FusionGroup (JS-scripting not used: built with jit.compile from TorchScript source); load average ${loadAverage()}`);
  const k = engine().k;
  const cases: Record<string, Record<string, number>> = {};
  const shapes: [string, number[]][] = [['100x1000', [100, 1000]], ['1000x1000', [1000, 1000]], ['100', [100]]];
  for (const [label, shape] of quick ? shapes.filter(([l]) => l !== '1000x1000') : shapes) {
    const xs = Array.from({ length: 8 }, () => torch.randn(shape).exp()) as Tensor[];
    const n = xs[0].numel;
    const call = (f: (...t: Tensor[]) => Tensor) => () => f(...xs).dispose();
    const eager = ratioIou(...(xs as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]));
    const check: Record<string, number> = {};
    const custom = torch.ops.super_iou.iou_native;
    for (const [name, mode] of [['fused', 'codegen'], ['template', 'template']] as const) {
      jit.setFuserMode(mode);
      const out = fused(...xs) as Tensor;
      check[name] = maxAbsDiff([out], [eager]);
      out.dispose();
    }
    const cout = custom(...xs) as Tensor;
    check.custom = maxAbsDiff([cout], [eager]);
    cout.dispose();
    // The triad moves 3 planes per element: 3n elements move the same 9n floats as ratio_iou.
    const tn = 3 * n;
    const [ta, tb, tc] = [0, 1, 2].map(() => torch.ones([tn]) as Tensor);
    const inMode = (mode: 'codegen' | 'template') => () => {
      jit.setFuserMode(mode);
      (fused(...xs) as Tensor).dispose();
    };
    const r: Record<string, Timings> = measureAll({
      eager: call(ratioIou as any),
      fused: inMode('codegen'),
      template: inMode('template'),
      custom: call(custom),
      triad: () => k.f32_triad(ta.ptr, tb.ptr, tc.ptr, tn, 1.5),
    }, runs, minMs);
    jit.setFuserMode('codegen');
    [ta, tb, tc, eager, ...xs].forEach((t) => t.dispose());
    for (const clock of ['wall', 'cpu'] as const) {
      const med = (s: string) => r[s][clock].median;
      const f = (s: string) => fmt(r[s][clock]);
      console.log(`${label} (${clock}): eager ${f('eager')}, fused ${f('fused')}, template ${f('template')}, custom ${f('custom')}, triad ${f('triad')}`);
      console.log(`  fused/custom ${(med('fused') / med('custom')).toFixed(2)}x, eager/fused ${(med('eager') / med('fused')).toFixed(1)}x, eager/template ${(med('eager') / med('template')).toFixed(1)}x, custom/triad ${(med('custom') / med('triad')).toFixed(2)}x, fused/triad ${(med('fused') / med('triad')).toFixed(2)}x`);
    }
    console.log(`  max |diff| vs eager: ${JSON.stringify(check)}`);
    const med = (s: string, clock: 'wall' | 'cpu') => r[s][clock].median;
    cases[label] = {
      eager_us: med('eager', 'wall'), fused_us: med('fused', 'wall'), template_us: med('template', 'wall'), custom_us: med('custom', 'wall'), triad_us: med('triad', 'wall'),
      eager_cpu_us: med('eager', 'cpu'), fused_cpu_us: med('fused', 'cpu'), template_cpu_us: med('template', 'cpu'), custom_cpu_us: med('custom', 'cpu'), triad_cpu_us: med('triad', 'cpu'),
    };
  }
  console.log(JSON.stringify({ suite: 'iou', cases }));
}
