// Calling a scripted or traced graph when gradients are wanted (PyTorch's GraphExecutor with
// requires_grad in the ArgumentSpec): the graph is differentiated once per input signature
// (dtypes, shapes, requires_grad, non-tensor values), the fused forward `f` runs, and its outputs
// get one DifferentiableGraphNode whose backward runs the fused `df`. Graphs that cannot be
// differentiated symbolically (control flow on tensor data, in-place ops on tensors, ops without
// a gradient rule) are left to the caller's plain run: the interpreter records eager autograd.
import { Tensor } from '../../sdk/tensor.js';
import { isGradEnabled, withGradMode } from '../../autograd/mode.js';
import type { Graph } from '../ir.js';
import { ScriptObject } from '../module.js';
import type { CalleeResolver } from '../passes/inline-calls.js';
import { optimizeDifferentiable } from '../pipeline.js';
import type { Differentiated } from './differentiate.js';
import { NotDifferentiableError } from './errors.js';
import { DifferentiableGraphNode, type GraphRunner } from './graph-node.js';

/** What happened to a signature: a plan, no output needing grad, or why it fell back. */
type Entry = Differentiated | null | NotDifferentiableError;
const plans = new WeakMap<Graph, Map<string, Entry>>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** Whether a call with `args` needs the differentiated path: grad mode on and some tensor (or parameter of `self`) requires grad. */
export function wantsGrad(args: readonly unknown[]): boolean {
  if (!isGradEnabled()) return false;
  const seen = new Set<object>();
  const needs = (x: unknown): boolean => {
    if (x instanceof Tensor) return x.requiresGrad;
    if (typeof x !== 'object' || x === null || seen.has(x)) return false;
    seen.add(x);
    if (Array.isArray(x)) return x.some(needs);
    const params = (x as { parameters?: () => unknown }).parameters;
    return typeof params === 'function' && (params.call(x) as Tensor[]).some?.((p) => p instanceof Tensor && p.requiresGrad);
  };
  return args.some(needs);
}

/**
 * The cache key of a call: what the specialised plan depends on. Module objects contribute their
 * attributes (the branches taken on `self.training`-like flags, the parameters' shapes).
 */
function signature(args: readonly unknown[]): string {
  const key = (x: unknown): string => {
    if (x instanceof ScriptObject) return `{${[...x.attrs].map(([k, v]) => `${k}:${key(v)}`)}}`;
    if (x instanceof Tensor) return `${x.dtype}[${x.shape}]${x.requiresGrad ? 'g' : ''}${x.isContiguous() ? '' : 's'}`;
    if (Array.isArray(x)) return `(${x.map(key)})`;
    if (typeof x === 'object' && x !== null) {
      if (!objectIds.has(x)) objectIds.set(x, ++nextObjectId);
      return `#${objectIds.get(x)}`;
    }
    return typeof x === 'string' ? JSON.stringify(x) : String(x);
  };
  return args.map(key).join(',');
}

/** The plan for `graph` called with `args` (built on first use), or why there is none. */
export function planFor(graph: Graph, args: readonly unknown[], resolve?: CalleeResolver): Entry {
  let byKey = plans.get(graph);
  if (!byKey) plans.set(graph, (byKey = new Map()));
  const key = signature(args);
  if (!byKey.has(key)) {
    let entry: Entry;
    try {
      entry = optimizeDifferentiable(graph, args, resolve);
    } catch (err) {
      if (!(err instanceof NotDifferentiableError)) throw err;
      entry = err;
    }
    byKey.set(key, entry);
  }
  return byKey.get(key)!;
}

/**
 * Runs `graph` on `args` through its differentiated plan; `{value}` is the call's result, whose
 * tensors take part in autograd. Null when there is no plan: the caller runs the graph as usual.
 */
export function callDifferentiable(graph: Graph, args: readonly unknown[], run: GraphRunner, resolve?: CalleeResolver): { value: unknown } | null {
  if (args.length !== graph.inputs.length) return null; // defaults are filled by the plain run
  const plan = planFor(graph, args, resolve);
  if (!plan || plan instanceof NotDifferentiableError) return null;
  const res = withGradMode(false, () => run(plan.f, args)) as unknown[];
  const outs = res.slice(0, plan.nOutputs) as Tensor[];
  const saved = res.slice(plan.nOutputs, plan.nOutputs + plan.nSaved) as Tensor[];
  const inputs = res.slice(plan.nOutputs + plan.nSaved) as Tensor[];
  const node = new DifferentiableGraphNode(plan, run, outs, saved, inputs);
  // Saved values that are not outputs are the node's now (it keeps views of them).
  saved.forEach((t, i) => plan.savedFresh[i] && !outs.includes(t) && t.dispose());
  outs.forEach((t, i) => {
    if (!plan.diffOutputs[i]) return;
    t.requiresGrad = true;
    t.gradFn = node;
    t.outputNr = i;
  });
  return { value: outs.length === 1 ? outs[0] : outs };
}
