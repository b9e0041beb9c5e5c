// Inlining (PyTorch passes/inliner.cpp), mutating the graph in place: every prim::CallMethod and
// prim::CallFunction whose callee graph is known is replaced by a copy of that graph's nodes, in
// blocks too, callee calls first. A CallMethod's callee comes from its object's class type
// (`cls.method(name).graph` or `cls.methods.get(name)`); CallFunction's from `resolve`.
import { Graph, type Block, type Node } from '../ir.js';
import type { ClassType as JitClassType } from '../types.js';

export type CalleeResolver = (n: Node) => Graph | null;

/** The callee of a prim::CallMethod from its receiver's class description. */
export function methodCallee(n: Node): Graph | null {
  if (n.kind !== 'prim::CallMethod') return null;
  const t = n.inputs[0]?.type as JitClassType;
  const cls = t?.kind === 'Class' ? (t.cls as any) : null;
  const name = n.getAttr('name', 's');
  const m = cls?.methods?.get?.(name) ?? cls?.method?.(name);
  if (m instanceof Graph) return m;
  return m?.graph instanceof Graph ? m.graph : null;
}

/** Mutates `g`: inlines calls `resolve` knows; `allow()` false stops (JIT_OPT_LIMIT). */
export function inlineCalls(g: Graph, resolve: CalleeResolver = methodCallee, allow: () => boolean = () => true): void {
  const visit = (b: Block): void => {
    for (const n of b.nodes()) {
      n.blocks.forEach(visit);
      if (n.kind !== 'prim::CallMethod' && n.kind !== 'prim::CallFunction') continue;
      const callee = resolve(n);
      if (!callee || !allow()) continue;
      const body = callee.copy();
      inlineCalls(body, resolve, allow);
      // PyTorch's CallFunction takes the function value as its first input; the TorchScript
      // compiler's names the callee in a `name` attribute instead.
      const args = n.kind === 'prim::CallFunction' && !n.hasAttr('name') ? n.inputs.slice(1) : n.inputs;
      const outs = g.inlineGraph(body, args, n);
      n.outputs.forEach((o, i) => o.replaceAllUsesWith(outs[i]));
      n.destroy();
    }
  };
  visit(g.block);
}
