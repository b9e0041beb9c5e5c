// The optimization pipeline (STYLE item 6): one straight list of named passes. JIT_LOG=name[,name]
// prints the graph after those passes (JIT_LOG=all: after each); JIT_OPT_LIMIT=name=N[,name=N]
// lets a pass make only N rewrites (0 skips it), to bisect a miscompilation.
import type { Graph } from './ir.js';
import { printGraph } from './printer.js';
import { inlineCalls, methodCallee, type CalleeResolver } from './passes/inline-calls.js';
import { propagateConstants } from './passes/propagate-constants.js';
import { peephole } from './passes/peephole.js';
import { eliminateCommonSubexpressions } from './passes/eliminate-common-subexpressions.js';
import { eliminateDeadCode } from './passes/eliminate-dead-code.js';
import { fusePointwise } from './passes/fuse-pointwise.js';
import { differentiate, type Differentiated } from './autodiff/differentiate.js';
import { foldConvBatchNorm } from './passes/fold-conv-batch-norm.js';
import { foldConstantLists, freezeModule, fuseConvEpilogue, fuseNormActivation, readsHold, type FrozenRead } from './passes/fuse-conv-epilogue.js';
import { getFuserMode } from './fuser/launch.js';
import type { ScriptObject } from './module.js';
import type { ScriptFunction } from './compile/unit.js';

const env = (k: string): string => (typeof process !== 'undefined' ? process.env?.[k] ?? '' : '');

function settings(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    m.set(k.trim(), v === undefined ? Infinity : Number(v));
  }
  return m;
}

/** A rewrite budget for pass `name`: each call spends one and says whether it may happen. */
export function optLimit(name: string): () => boolean {
  let left = settings(env('JIT_OPT_LIMIT')).get(name) ?? Infinity;
  return () => left-- > 0;
}

/** Runs `pass` (which mutates or returns a new graph) under its name's log and limit settings. */
function run(g: Graph, name: string, pass: (g: Graph, allow: () => boolean) => Graph | void): Graph {
  const limit = settings(env('JIT_OPT_LIMIT')).get(name);
  if (limit === 0) return g;
  const out = pass(g, optLimit(name)) ?? g;
  const log = settings(env('JIT_LOG'));
  if (log.has(name) || log.has('all')) console.error(`[JIT_LOG] after ${name}:\n${printGraph(out)}`);
  return out;
}

/** Mutates and returns `g`: the passes every traced or scripted function gets. */
export function optimize(g: Graph): Graph {
  g = run(g, 'inline', (x, allow) => inlineCalls(x, methodCallee, allow));
  g = run(g, 'constprop', propagateConstants);
  g = run(g, 'peephole', (x, allow) => peephole(x, undefined, allow));
  g = run(g, 'cse', (x) => eliminateCommonSubexpressions(x));
  g = run(g, 'dce', (x) => eliminateDeadCode(x));
  g = run(g, 'fuse', fusePointwise);
  return g;
}

/**
 * Autodiff (src/jit/autodiff): splits a graph that gradients flow through, for inputs shaped like
 * `args`, into forward `f` and backward `df`; each then goes through `optimize` (so both fuse).
 * Null when no output requires grad; throws NotDifferentiableError where it cannot.
 */
export function optimizeDifferentiable(g: Graph, args: readonly unknown[], resolve?: CalleeResolver): Differentiated | null {
  const d = differentiate(g, args, resolve);
  if (!d) return null;
  d.f = run(d.f, 'autodiff', optimize);
  d.df = run(d.df, 'autodiff', optimize);
  return d;
}

/** The inference form of a method: its graph frozen, and the reads that must hold for it to be valid. */
interface Frozen { fn: ScriptFunction; reads: FrozenRead[] }
const frozen = new WeakMap<ScriptObject, Map<string, Frozen | null>>();

/**
 * The named steps for a module method run without gradients (PyTorch's
 * torch.jit.optimize_for_inference(torch.jit.freeze(m))): submodule calls inlined and parameters
 * made constants, batch norms folded into the convolutions before them, conv + residual +
 * activation and instance norm + activation chains fused. The result is cached per object and
 * method, and rebuilt when an attribute it read was reassigned or written in place (train()
 * included); null while the fuser is off, for a module in training mode, and (remembered) for
 * methods that write attributes or reach a submodule in training mode.
 */
export function inferenceFunction(self: ScriptObject, fn: ScriptFunction): ScriptFunction | null {
  if (getFuserMode() === 'off' || self.attrs.get('training') === true) return null;
  let byName = frozen.get(self);
  if (!byName) frozen.set(self, (byName = new Map()));
  const have = byName.get(fn.name);
  if (have === null || (have && readsHold(have.reads))) return have?.fn ?? null;
  let reads: FrozenRead[] | null = null;
  let g = run(fn.graph.copy(), 'freeze', (x) => void (reads = freezeModule(x, self)));
  if (!reads) {
    byName.set(fn.name, null);
    return null;
  }
  g = run(g, 'fold_conv_bn', (x) => void foldConvBatchNorm(x));
  g = run(g, 'fuse_conv_epilogue', (x, allow) => void fuseConvEpilogue(x, allow));
  g = run(g, 'fuse_norm_act', (x, allow) => void fuseNormActivation(x, allow));
  g = run(g, 'constant_lists', (x) => void foldConstantLists(x));
  g = run(g, 'dce', (x) => eliminateDeadCode(x));
  const entry = { fn: Object.create(fn, { graph: { value: g } }) as ScriptFunction, reads };
  byName.set(fn.name, entry);
  return entry.fn;
}
