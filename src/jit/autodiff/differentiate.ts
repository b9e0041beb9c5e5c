// Symbolic differentiation of a straight-line graph (PyTorch's autodiff.cpp as micrograd does it:
// a toposort plus a lookup). The graph runs once on example values; then, in reverse order, each
// node's op-table `grad` rule runs on those values under the tracer, which records the op calls
// of the rules as the backward graph `df`. Rules decide broadcasting (sumTo) from the example
// shapes, so the result is specialised to the inputs' shapes, as PyTorch's ArgumentSpec is.
import { Tensor, tidy } from '../../sdk/tensor.js';
import { isFloating } from '../../sdk/dtype.js';
import { callOp, currentTracer } from '../../ops/dispatch.js';
import { withGradMode } from '../../autograd/mode.js';
import type { Graph, Node, Value } from '../ir.js';
import { methodCallee, type CalleeResolver } from '../passes/inline-calls.js';
import { TracingState } from '../trace/tracer.js';
import { NotDifferentiableError } from './errors.js';
import { evaluate, opRow, rowArgs, tensorsIn } from './evaluate.js';
import { simplifyBackward } from './simplify.js';
import { isFusible } from '../fuser/fuse-graph.js';
import { RESOLVED_ROWS } from '../compile/resolved.js';

/**
 * Note [Differentiated graphs]
 * f:  the forward graph's inputs; outputs = the original outputs, then `nSaved` values df reads,
 *     then the `nDiff` tensors gradients flow to (inputs and parameters that require grad).
 * df: inputs = one gradient per output whose flag in `diffOutputs` is set, then the saved values;
 *     outputs = one gradient per differentiable tensor (None where none flows).
 */
export interface Differentiated {
  f: Graph;
  df: Graph;
  nOutputs: number;
  nSaved: number;
  nDiff: number;
  diffOutputs: boolean[];
  /** Per saved value: whether f creates it (else it is an input or module state, not f's to free). */
  savedFresh: boolean[];
}

const requiresGrad = (x: unknown): boolean => x instanceof Tensor && x.requiresGrad && isFloating(x.dtype);

/**
 * Differentiates `graph` (not modified) for example `args`, specialised to a straight line
 * (evaluate.ts); null when no output depends on a tensor that requires grad. Throws
 * NotDifferentiableError for control flow on tensor data, in-place ops and ops without a rule.
 */
export function differentiate(graph: Graph, args: readonly unknown[], resolve: CalleeResolver = methodCallee): Differentiated | null {
  return withGradMode(false, () => tidy(() => build(graph.copy(), args, resolve)));
}

function build(g: Graph, args: readonly unknown[], resolve: CalleeResolver): Differentiated | null {
  const env = evaluate(g, args, resolve);
  // Inputs and parameters (tensors read from module attributes) that require grad.
  const diffInputs: Value[] = [
    ...g.inputs.filter((v) => requiresGrad(env.get(v))),
    ...g.nodes().filter((n) => n.kind === 'prim::GetAttr' && n.output().hasUses() && requiresGrad(env.get(n.output()))).map((n) => n.output()),
  ];
  const needs = new Set<Value>(diffInputs);
  for (const n of g.nodes()) {
    if (!n.inputs.some((v) => needs.has(v))) continue;
    if (n.kind === 'prim::ListConstruct') {
      needs.add(n.output());
      continue;
    }
    if (n.kind.startsWith('prim::')) throw new NotDifferentiableError(`${n.kind} of a value that requires grad`);
    const floats = n.outputs.filter((o) => tensorsIn(env.get(o)).some((t) => isFloating(t.dtype)));
    const row = opRow(n);
    if (!floats.length || row.tags?.some((t) => t === 'creation' || t === 'nograd')) continue;
    if (!row.grad) throw new NotDifferentiableError(`the derivative for '${n.kind}' is not implemented`);
    floats.forEach((o) => needs.add(o));
  }
  const external = new Set([...g.inputs, ...g.nodes().filter((n) => n.kind === 'prim::GetAttr').map((n) => n.output())].map((v) => env.get(v)));
  const outs = g.outputs.map((o) => env.get(o));
  if (outs.some((o, i) => !(o instanceof Tensor) || external.has(o) || outs.indexOf(o) !== i)) throw new NotDifferentiableError('outputs must be distinct tensors the graph computes');
  const diffOutputs = g.outputs.map((o) => needs.has(o));
  if (!diffOutputs.some(Boolean)) return null;

  const { df, saved } = traceBackward(g, env, needs, diffInputs, diffOutputs);
  const nOutputs = g.outputs.length;
  for (const v of [...saved, ...diffInputs]) g.registerOutput(v);
  const savedFresh = saved.map((v) => !external.has(env.get(v)));
  return { f: g, df, nOutputs, nSaved: saved.length, nDiff: diffInputs.length, diffOutputs, savedFresh };
}

/** The tracer of gradient rules: a rule that reads tensor values would bake them into df. */
class RuleTracer extends TracingState {
  warnValueRead(): void {
    if (currentTracer() === this) throw new NotDifferentiableError('a gradient rule reads tensor values');
  }
}

/** Records the backward graph: gradient rules in reverse node order, run under a tracer. */
function traceBackward(g: Graph, env: Map<Value, unknown>, needs: Set<Value>, diffInputs: Value[], diffOutputs: boolean[]): { df: Graph; saved: Value[] } {
  const tracer = new RuleTracer();
  const df = tracer.graph;
  const grads = new Map<Value, Tensor>();
  g.outputs.forEach((o, i) => {
    if (!diffOutputs[i]) return;
    const seed = callOp('aten::ones_like', [env.get(o)]) as Tensor;
    tracer.bind(seed, df.addInput(`grad_${i}`, { kind: 'Tensor' }));
    grads.set(o, seed);
  });
  // A forward tensor a rule reads becomes a df input (a saved value); other untracked tensors
  // would be baked in as constants, which is only right for wrapped scalars.
  const forwardValue = new Map<Tensor, Value>();
  for (const [v, x] of env) if (x instanceof Tensor && !forwardValue.has(x)) forwardValue.set(x, v);
  const saved: Value[] = [];
  const constant = (x: Value): Value => df.insertNode(df.createClone(x.node(), () => x)).output();
  // Note [Recompute pointwise values]: a forward value that a fusible pointwise op made is
  // recomputed in df from that op's inputs rather than saved: inside a fused backward kernel the
  // recomputation is nearly free, while saving costs a store in f and a load in df.
  const recompute = (n: Node): Value => {
    const c = df.insertNode(df.createClone(n, (x) => (x.type.kind === 'Tensor' ? tracer.valueOf(env.get(x) as Tensor) : constant(x))));
    RESOLVED_ROWS.set(c, opRow(n));
    return c.output();
  };
  tracer.resolveState = (t) => {
    const v = forwardValue.get(t);
    if (!v) {
      if (t.dim > 0) throw new NotDifferentiableError('a gradient rule made a tensor outside the op table');
      return null;
    }
    if (isFusible(v.node())) return recompute(v.node());
    saved.push(v);
    return df.addInput(v.hasDebugName() ? `${v.debugName().replace(/\.\d+$/, '')}_saved` : '', { kind: 'Tensor' });
  };
  const accumulate = (v: Value, gv: unknown): void => {
    if (!gv || !needs.has(v)) return;
    if (v.node().kind === 'prim::ListConstruct' && Array.isArray(gv)) {
      v.node().inputs.forEach((x, i) => accumulate(x, gv[i]));
      return;
    }
    if (!(gv instanceof Tensor)) return;
    const prev = grads.get(v);
    grads.set(v, prev ? callOp('aten::add', [prev, gv]) : gv);
  };
  tracer.run(() => {
    for (const n of g.nodes().reverse()) {
      if (n.kind.startsWith('prim::') || !n.outputs.some((o) => grads.has(o))) continue;
      backwardOf(n, env, grads, accumulate);
    }
  });
  for (const v of diffInputs) {
    const gv = grads.get(v);
    df.registerOutput(gv ? tracer.valueOf(gv) : df.insertConstant(null));
  }
  return { df: simplifyBackward(df), saved };
}

/** One node's gradient rule: output gradients in, a gradient per argument accumulated. */
function backwardOf(n: Node, env: Map<Value, unknown>, grads: Map<Value, Tensor>, accumulate: (v: Value, g: unknown) => void): void {
  const row = opRow(n);
  const args = rowArgs(row, n, env);
  const vals = n.outputs.map((o) => env.get(o));
  // An op that returns its input unchanged (contiguous, `to` the same dtype) is the identity.
  const passes = vals.map((x) => args.indexOf(x));
  if (passes.every((i) => i >= 0)) {
    n.outputs.forEach((o, k) => accumulate(n.inputs[passes[k]], grads.get(o)));
    return;
  }
  // Rules take a gradient for every output: zeros where none flows.
  const gs = n.outputs.map((o, k) => grads.get(o) ?? (vals[k] instanceof Tensor ? (callOp('aten::zeros_like', [vals[k]]) as Tensor) : null));
  const res = row.grad!(gs, args, vals.filter((x): x is Tensor => x instanceof Tensor));
  res.forEach((gv, i) => accumulate(n.inputs[i], gv));
}
