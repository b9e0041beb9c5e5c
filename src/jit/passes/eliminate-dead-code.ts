// Dead code elimination (PyTorch passes/dead_code_elimination.cpp), mutating the graph in place:
// removes nodes whose outputs are unused and that have no side effects, unused prim::If outputs
// and unused prim::Loop carried values, working backwards so that removals cascade.

import { hasSideEffects as defaultHasSideEffects, type Block, type Graph, type Node } from '../ir.js';

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
      if (n.blocks.length) {
        removeDeadOutputs(n);
        // Sweeping the blocks may free carried values, whose removal frees more of the blocks.
        do n.blocks.forEach(sweep); while (removeDeadOutputs(n));
      }
      if (!n.hasUses() && !effectful(n)) n.destroy();
    }
  };
  sweep(g.block);
}

/** Drops unused If outputs and unused Loop carried values; says whether it removed any. */
function removeDeadOutputs(n: Node): boolean {
  let changed = false;
  if (n.kind === 'prim::If') {
    for (let i = n.outputs.length - 1; i >= 0; i--) {
      if (n.outputs[i].hasUses()) continue;
      for (const b of n.blocks) b.eraseOutput(i);
      n.eraseOutput(i);
      changed = true;
    }
  } else if (n.kind === 'prim::Loop') {
    // Carried value i is input i+2, body input and output i+1, and node output i. It is dead when
    // nothing reads the node output and the body reads its input only to pass it on unchanged.
    const body = n.blocks[0];
    for (let i = n.outputs.length - 1; i >= 0; i--) {
      const param = body.inputs[i + 1];
      const passedOn = param.uses.every((u) => u.user === body.returnNode && u.offset === i + 1);
      if (n.outputs[i].hasUses() || !passedOn) continue;
      body.eraseOutput(i + 1);
      body.eraseInput(i + 1);
      n.removeInput(i + 2);
      n.eraseOutput(i);
      changed = true;
    }
  }
  return changed;
}
