// Dead code elimination (PyTorch passes/dead_code_elimination.cpp), mutating the graph in place:
// removes nodes whose outputs are unused and that have no side effects, unused prim::If outputs
// and dead prim::Loop carried values, working backwards so that removals cascade.

import { hasSideEffects as defaultHasSideEffects, type Block, type Graph, type Node, type Value } from '../ir.js';

/**
 * Mutates `g`: deletes dead nodes and dead If/Loop outputs. `hasSideEffects(n)` says which nodes
 * must stay even when unused (default: effectful kinds and in-place/list mutation by name).
 */
export function eliminateDeadCode(g: Graph, hasSideEffects: (n: Node) => boolean = defaultHasSideEffects): void {
  const effects = new Map<Node, boolean>();
  // A node with blocks is effectful when anything inside is.
  const effectful = (n: Node): boolean => {
    let e = effects.get(n);
    if (e === undefined) {
      e = hasSideEffects(n) || n.blocks.some((b) => b.nodes().some(effectful));
      effects.set(n, e);
    }
    return e;
  };

  const sweep = (b: Block): void => {
    for (const n of b.nodes().reverse()) {
      if (n.kind === 'prim::If') removeDeadIfOutputs(n);
      const deadParams = n.kind === 'prim::Loop' ? removeDeadCarried(n, effectful) : [];
      n.blocks.forEach(sweep);
      for (const p of deadParams) n.blocks[0].eraseInput(p.offset);
      if (!n.hasUses() && !effectful(n)) n.destroy();
    }
  };
  sweep(g.block);
}

function removeDeadIfOutputs(n: Node): void {
  for (let i = n.outputs.length - 1; i >= 0; i--) {
    if (n.outputs[i].hasUses()) continue;
    for (const b of n.blocks) b.eraseOutput(i);
    n.eraseOutput(i);
  }
}

// Note [Dead loop-carried values]: carried value i is loop input i+2, body input and output i+1
// and loop output i. It is live when the loop output is used, or when the body reads its input
// to compute something live (the condition, another live carried value, an effect): a fixpoint,
// since `y = f(y)` alone keeps nothing alive. Dead ones leave the node and the body's outputs
// here; their body inputs go once the sweep has removed the nodes that read them.
function removeDeadCarried(n: Node, effectful: (n: Node) => boolean): Value[] {
  const body = n.blocks[0];
  const live = new Set<number>();
  n.outputs.forEach((o, i) => { if (o.hasUses()) live.add(i); });
  for (;;) {
    const read = valuesRead(body, [0, ...[...live].map((i) => i + 1)], effectful);
    const before = live.size;
    body.inputs.slice(1).forEach((p, i) => { if (read.has(p)) live.add(i); });
    if (live.size === before) break;
  }
  const dead: Value[] = [];
  for (let i = n.outputs.length - 1; i >= 0; i--) {
    if (live.has(i)) continue;
    body.eraseOutput(i + 1);
    n.removeInput(i + 2);
    n.eraseOutput(i);
    dead.push(body.inputs[i + 1]);
  }
  return dead;
}

/** Values that the block's outputs at `outputIdx` and its effects depend on (nested blocks wholesale). */
function valuesRead(b: Block, outputIdx: number[], effectful: (n: Node) => boolean): Set<Value> {
  const live = new Set<Value>(outputIdx.map((i) => b.outputs[i]));
  const markAll = (m: Node): void => {
    m.inputs.forEach((v) => live.add(v));
    for (const inner of m.blocks) {
      inner.outputs.forEach((v) => live.add(v));
      inner.nodes().forEach(markAll);
    }
  };
  for (const m of b.nodes().reverse()) if (effectful(m) || m.outputs.some((o) => live.has(o))) markAll(m);
  return live;
}
