// Calling a scripted or traced graph when gradients are wanted (PyTorch's GraphExecutor with
// requires_grad in the ArgumentSpec): the graph is differentiated once per input signature
// (dtypes, shapes, requires_grad, non-tensor values), the fused forward `f` runs, and its outputs
// get one DifferentiableGraphNode whose backward runs the fused `df`. Graphs that cannot be
// differentiated symbolically (control flow on tensor data, in-place ops on tensors, ops without
// a gradient rule) are left to the caller's plain run: the interpreter records eager autograd.
import { Tensor } from '../../sdk/tensor.js';
import { isGradEnabled, withGradMode } from '../../autograd/mode.js';
import type { Block, Graph, Value } from '../ir.js';
import { ScriptObject } from '../module.js';
import { methodCallee, type CalleeResolver } from '../passes/inline-calls.js';
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

/** An object whose attributes a graph reads by name (a ScriptObject, or a scripted JS module's view). */
interface HasAttributes { getattr(name: string): unknown }
const hasAttributes = (x: unknown): x is HasAttributes => typeof (x as HasAttributes | null)?.getattr === 'function';

/**
 * The cache key of a call: what the specialised plan depends on. Module objects contribute their
 * attributes (the branches taken on `self.training`-like flags, the parameters' shapes): all of a
 * ScriptObject's, and for other objects the ones `reads` says the graph reads.
 */
function signature(args: readonly unknown[], reads: readonly string[][][]): string {
  const key = (x: unknown, top = false): string => {
    if (x instanceof ScriptObject) return `{${[...x.attrs].map(([k, v]) => `${k}:${key(v)}`)}}`;
    if (x instanceof Tensor) return `${x.dtype}[${x.shape}]${x.requiresGrad ? 'g' : ''}${x.isContiguous() ? '' : 's'}`;
    if (Array.isArray(x)) return `(${x.map((y) => key(y))})`;
    // A module reached through an attribute: its own reads are paths of their own.
    if (!top && hasAttributes(x)) return 'object';
    if (typeof x === 'object' && x !== null) {
      if (!objectIds.has(x)) objectIds.set(x, ++nextObjectId);
      return `#${objectIds.get(x)}`;
    }
    return typeof x === 'string' ? JSON.stringify(x) : String(x);
  };
  const attributes = (x: HasAttributes, paths: readonly string[][]) => `{${paths.map((p) => `${p.join('.')}:${key(attributeAt(x, p))}`)}}`;
  return args.map((x, i) => (hasAttributes(x) && !(x instanceof ScriptObject) ? attributes(x, reads[i] ?? []) : key(x, true))).join(',');
}

function attributeAt(x: HasAttributes, path: readonly string[]): unknown {
  try {
    return path.reduce<unknown>((o, name) => (o as HasAttributes).getattr(name), x);
  } catch {
    return undefined; // a field that is gone: the run reports it
  }
}

const readsOf = new WeakMap<Graph, string[][][]>();

/** For each input of `graph`, the attribute paths read from it (`training`, `sub.weight`), in the methods it calls too. */
function attributeReads(graph: Graph, resolve: CalleeResolver = methodCallee): string[][][] {
  let reads = readsOf.get(graph);
  if (reads) return reads;
  const found = graph.inputs.map(() => new Map<string, string[]>());
  const visit = (b: Block, origin: Map<Value, { input: number; path: string[] }>): void => {
    for (const n of b.nodes()) {
      const from = origin.get(n.inputs[0]);
      if (n.kind === 'prim::GetAttr' && from) {
        const read = { input: from.input, path: [...from.path, n.getAttr('name', 's')] };
        found[read.input].set(read.path.join('.'), read.path);
        origin.set(n.output(), read);
      }
      const callee = n.kind === 'prim::CallMethod' || n.kind === 'prim::CallFunction' ? resolve(n) ?? methodCallee(n) : null;
      if (callee) {
        const args = n.inputs.slice(n.inputs.length - callee.inputs.length);
        const inner = new Map<Value, { input: number; path: string[] }>();
        callee.inputs.forEach((v, i) => origin.has(args[i]) && inner.set(v, origin.get(args[i])!));
        visit(callee.block, inner);
      }
      n.blocks.forEach((x) => visit(x, origin));
    }
  };
  visit(graph.block, new Map(graph.inputs.map((v, i) => [v, { input: i, path: [] }])));
  reads = found.map((m) => [...m.values()]);
  readsOf.set(graph, reads);
  return reads;
}

/** The plan for `graph` called with `args` (built on first use), or why there is none. */
export function planFor(graph: Graph, args: readonly unknown[], resolve?: CalleeResolver): Entry {
  let byKey = plans.get(graph);
  if (!byKey) plans.set(graph, (byKey = new Map()));
  const key = signature(args, attributeReads(graph, resolve));
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
