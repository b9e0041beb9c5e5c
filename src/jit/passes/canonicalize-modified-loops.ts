// Canonicalize modified loops (PyTorch frontend/canonicalize_modified_loop.cpp): a prim::Loop with
// both a trip count and a loop-carried condition (what `break` or `return` inside a counted `for`
// lowers to) has no Python spelling, so python-print first rewrites it as a `while` loop that
// counts its iterations in one more carried value:
//   cond0 = n > 0 and cond;  i = 0;  while cond0: ...; i1 = i + 1; cond0 = i1 < n and cond1
import { allNodes, constantValue, MAX_TRIP_COUNT, type Graph, type Node, type Value } from '../ir.js';
import { BoolT, IntT, type JitType } from '../types.js';

/** How python-print spells a prim::Loop, as PyTorch's LoopView::loopType decides. */
export type LoopType = 'For' | 'While' | 'ModifiedLoop';

export function loopType(loop: Node): LoopType {
  const [trip, cond] = loop.inputs;
  const body = loop.blocks[0];
  const alwaysTrue = constantValue(cond) === true && constantValue(body.outputs[0]) === true;
  const tripCount = constantValue(trip);
  const counted = (tripCount !== MAX_TRIP_COUNT && tripCount !== Number(MAX_TRIP_COUNT)) || body.inputs[0].hasUses();
  if (alwaysTrue) return counted ? 'For' : 'While';
  return counted ? 'ModifiedLoop' : 'While';
}

/** `g`, or a copy of it in which every modified loop is a `while` loop with an explicit counter. */
export function canonicalizeModifiedLoops(g: Graph): Graph {
  const modified = (b: Graph) => allNodes(b.block).filter((n) => n.kind === 'prim::Loop' && loopType(n) === 'ModifiedLoop');
  if (modified(g).length === 0) return g;
  const r = g.copy();
  modified(r).forEach(rewriteLoop);
  return r;
}

function rewriteLoop(loop: Node): void {
  const g = loop.graph;
  const body = loop.blocks[0];
  const [trip, cond] = loop.inputs;
  const op = (kind: string, inputs: Value[], type: JitType) => {
    const n = g.insertNode(g.createNode(kind, inputs));
    return n.output().setType(type);
  };
  const one = g.withInsertPoint(loop, () => {
    const zero = g.insertConstant(0);
    let start = op('aten::gt', [trip, zero], BoolT);
    if (constantValue(cond) !== true) start = op('aten::__and__', [start, cond], BoolT);
    loop.replaceInput(0, g.insertConstant(MAX_TRIP_COUNT));
    loop.replaceInput(1, start);
    loop.addInput(zero);
    loop.addOutput(IntT);
    return g.insertConstant(1);
  });
  const counter = body.addInput('', IntT);
  const oldCounter = body.inputs[0];
  oldCounter.setDebugName('');
  oldCounter.replaceAllUsesWith(counter);
  g.withInsertPoint(body, () => {
    const next = op('aten::add', [counter, one], IntT);
    body.registerOutput(next);
    const more = op('aten::__and__', [op('aten::lt', [next, trip], BoolT), body.outputs[0]], BoolT);
    body.eraseOutput(0);
    body.insertOutput(0, more);
  });
}
