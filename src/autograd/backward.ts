// The backward engine: topological order over GradNodes, gradients summed per output slot,
// leaves accumulate into .grad (torch/csrc/autograd/engine.cpp in miniature).
import { Tensor, keep, tidy } from '../sdk/tensor.js';
import { callOp } from '../ops/dispatch.js';
import { AccumulateGrad, AutogradError, GradNode, type Edge } from './node.js';
import { withGradMode } from './mode.js';
import { sumTo } from './calc.js';

const accumulators = new WeakMap<Tensor, AccumulateGrad>();

/** The edge a gradient for tensor `t` flows into (null if it does not require grad). */
export function edgeOf(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  if (t.gradFn) return { node: t.gradFn, slot: t.outputNr };
  let acc = accumulators.get(t);
  if (!acc) accumulators.set(t, (acc = new AccumulateGrad(t)));
  return { node: acc, slot: 0 };
}

const add = (a: Tensor | null, b: Tensor): Tensor => {
  if (!a) return b;
  const s = callOp('aten::add', [a, b]);
  a.dispose();
  b.dispose();
  return s;
};

interface Options {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** autograd.grad: capture gradients of these instead of accumulating into .grad. */
  inputs?: Tensor[];
}

/** Runs backward from `roots` with `grads`; returns captured input gradients (autograd.grad). */
export function runBackward(roots: Tensor[], grads: Tensor[], opts: Options = {}): (Tensor | null)[] {
  const rootEdges = roots.map((r) => {
    const e = edgeOf(r);
    if (!e) throw new AutogradError('element 0 of tensors does not require grad and does not have a grad_fn');
    return e;
  });
  const captureNodes = new Map<GradNode, number>();
  opts.inputs?.forEach((t, i) => {
    const e = edgeOf(t);
    if (!e) throw new AutogradError('One of the differentiated Tensors does not require grad');
    captureNodes.set(e.node, i);
  });
  // Dependencies: how many edges point into each node from nodes reachable from the roots.
  const deps = new Map<GradNode, number>();
  const seen = new Set<GradNode>();
  const stack = rootEdges.map((e) => e.node);
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const e of n.next.flat()) {
      if (!e) continue;
      deps.set(e.node, (deps.get(e.node) ?? 0) + 1);
      stack.push(e.node);
    }
  }
  const pending = new Map<GradNode, (Tensor | null)[]>();
  const put = (e: Edge, g: Tensor) => {
    const slots = pending.get(e.node) ?? [];
    slots[e.slot] = add(slots[e.slot] ?? null, g);
    pending.set(e.node, slots);
  };
  rootEdges.forEach((e, i) => put(e, callOp('aten::clone', [grads[i]])));
  const captured: (Tensor | null)[] = (opts.inputs ?? []).map(() => null);
  const ready = rootEdges.map((e) => e.node).filter((n, i, a) => !deps.get(n) && a.indexOf(n) === i);
  withGradMode(!!opts.createGraph, () => {
    while (ready.length) {
      const node = ready.pop()!;
      const inGrads = pending.get(node) ?? [];
      pending.delete(node);
      if (captureNodes.has(node)) captured[captureNodes.get(node)!] = inGrads[0] ?? null;
      else if (node instanceof AccumulateGrad) {
        const g = inGrads[0];
        if (g) {
          const leaf = node.tensor;
          // .grad is the leaf's own dense tensor (AccumulateGrad clones gradients that are views).
          const summed = g.shape.join() === leaf.shape.join() ? g : sumTo(g, leaf.shape);
          const dense = summed.isContiguous() && summed.dtype === leaf.dtype ? summed : callOp('aten::to', [summed, leaf.dtype, false, true]);
          if (summed !== g && summed !== dense) summed.dispose();
          if (dense !== g) g.dispose();
          leaf.grad = keep(leaf.grad ? add(leaf.grad, dense) : dense);
        }
      } else {
        // tidy: the rule's intermediates go; the gradients it returns stay.
        const out = tidy(() => node.apply(inGrads));
        // A rule may pass a gradient through unchanged; only the others are done with.
        const passed = new Set(out.flat());
        inGrads.forEach((g) => g && !passed.has(g) && g.dispose());
        // Each edge owns the gradient it is given: a tensor a rule returns for several edges is
        // copied for all but its last use.
        const pairs: [Edge, Tensor][] = [];
        node.next.forEach((e, i) => {
          const g = out[i];
          if (Array.isArray(e)) e.forEach((ee, k) => ee && (g as (Tensor | null)[])?.[k] && pairs.push([ee, (g as Tensor[])[k]]));
          else if (e && g && !Array.isArray(g)) pairs.push([e, g]);
        });
        const uses = new Map<Tensor, number>();
        for (const [, g] of pairs) uses.set(g, (uses.get(g) ?? 0) + 1);
        for (const [e, g] of pairs) {
          const left = uses.get(g)! - 1;
          uses.set(g, left);
          put(e, left > 0 ? callOp('aten::clone', [g]) : g);
        }
        for (const g of out.flat()) if (g && !uses.has(g)) g.dispose();
        if (!opts.retainGraph) node.release();
      }
      for (const e of node.next.flat()) {
        if (!e) continue;
        const left = deps.get(e.node)! - 1;
        deps.set(e.node, left);
        if (left === 0) ready.push(e.node);
      }
    }
  });
  return captured;
}
