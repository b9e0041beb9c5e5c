// The talk's "automatic backwards" claim: forward + backward of ratio_iou on 8 box planes, eager
// autograd op by op against the same function scripted (fused forward `f` + fused backward `df`,
// src/jit/autodiff), in one run. Each figure is min/median/max microseconds per forward+backward
// over batches after warm-up; the last line is one JSON object.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { torch, tidy, Tensor } from '../src/index.js';
import { script } from '../src/jit/script-js/script.js';
import { planFor } from '../src/jit/autodiff/run.js';
import { summarize, fmtStats, maxAbsDiff, batchSize, type Stats } from './stats.js';

type Fn = (...xs: Tensor[]) => Tensor;

/** Microseconds per call: batches of calls sized to take >= `minMs`, `runs` batches after warm-up. */
function measure(fn: () => void, runs: number, minMs: number): Stats {
  const batch = batchSize(fn, minMs);
  const us: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    us.push(((performance.now() - t0) * 1e3) / batch);
  }
  return summarize(us);
}

const fmt = (s: Stats) => `${fmtStats(s)} us`;

/** One forward + backward; the leaves' .grad are returned and cleared. */
function step(f: Fn, xs: Tensor[], g: Tensor): Tensor[] {
  tidy(() => f(...xs).backward(g));
  return xs.map((x) => {
    const gx = x.grad!;
    x.grad = null;
    return gx;
  });
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const runs = quick ? 7 : 25;
  const minMs = quick ? 2 : 20;
  const talk = await import(pathToFileURL(resolve('examples/talk.js')).href);
  const eager: Fn = talk.ratioIou;
  const scripted = script(talk.ratioIouScripted);
  const cases: Record<string, Record<string, number>> = {};
  for (const [label, shape] of [['100x1000', [100, 1000]]] as const) {
    const xs = Array.from({ length: 8 }, () => (torch.randn([...shape]).exp() as Tensor).requires_grad_()) as Tensor[];
    const g = torch.randn([...shape]) as Tensor;
    const want = step(eager, xs, g);
    const got = step(scripted as Fn, xs, g);
    const plan = planFor(scripted.graphBeforePasses, xs);
    const groups = (gr: { nodes(): { kind: string }[] }) => gr.nodes().filter((n) => n.kind === 'prim::FusionGroup').length;
    const fusion = plan && !(plan instanceof Error) ? `f ${groups(plan.f)} FusionGroup(s), df ${groups(plan.df)} FusionGroup(s) + ${plan.df.nodes().filter((n) => n.kind.startsWith('aten::')).length} unfused ops` : `no plan (${plan})`;
    const timed = (f: Fn) => () => step(f, xs, g).forEach((t) => t.dispose());
    const e = measure(timed(eager), runs, minMs);
    const j = measure(timed(scripted as Fn), runs, minMs);
    console.log(`${label}: eager autograd ${fmt(e)}, scripted (fused f + df) ${fmt(j)}; eager/jit ${(e.median / j.median).toFixed(2)}x (target 4.5x)`);
    console.log(`  ${fusion}; max |grad diff| jit vs eager ${maxAbsDiff(got, want).toExponential(2)}`);
    cases[label] = { eager_us: e.median, jit_us: j.median, eager_min_us: e.min, eager_max_us: e.max, jit_min_us: j.min, jit_max_us: j.max };
    [...want, ...got, ...xs, g].forEach((t) => t.dispose());
  }
  console.log(JSON.stringify({ suite: 'iou-backward', cases }));
}
