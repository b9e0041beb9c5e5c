// Constant propagation (PyTorch passes/constant_propagation.cpp), mutating the graph in place: a
// node whose inputs are all constants is run through its op-table row at compile time and its
// outputs become constants; a prim::If on a constant condition is replaced by the taken branch.
// Random, mutating and effectful ops stay, as do ops that throw (the error belongs to run time)
// and tensor-making ops without a tensor input (a folded `zeros(1000, 1000)` only costs memory).
import { allNodes, hasSideEffects, type Block, type Graph, type Node } from '../ir.js';
import { Tensor } from '../../sdk/tensor.js';
import { insertResult, jsValue, rowOf, runRow } from './op-rows.js';

const isConstant = (n: Node) => n.kind === 'prim::Constant';

/** Mutates `g`; `allow()` false stops further folds (JIT_OPT_LIMIT). */
export function propagateConstants(g: Graph, allow: () => boolean = () => true): void {
  const visit = (b: Block): void => {
    for (const n of b.nodes()) {
      if (n.kind === 'prim::If' && isConstant(n.input().node()) && allow()) {
        inlineBranch(n, jsValue(n.input()) ? 0 : 1);
        continue;
      }
      n.blocks.forEach(visit);
      if (foldable(n) && allow()) fold(g, n);
    }
  };
  // Folding a branch in may leave new foldable nodes in the outer block: repeat until stable.
  let before: number;
  do {
    before = allNodes(g.block).length;
    visit(g.block);
  } while (allNodes(g.block).length !== before);
}

function foldable(n: Node): boolean {
  if (n.blocks.length || !n.outputs.length || hasSideEffects(n) || !n.inputs.every((v) => isConstant(v.node()))) return false;
  const row = rowOf(n);
  if (!row || row.parsed.mutates || row.tags?.includes('random')) return false;
  const makesTensor = n.outputs.some((o) => o.type.kind === 'Tensor');
  return !makesTensor || n.inputs.some((v) => v.type.kind === 'Tensor');
}

function fold(g: Graph, n: Node): void {
  const values = n.inputs.map(jsValue);
  if (values.some((v) => v === undefined)) return;
  const out = runRow(rowOf(n)!, values);
  if (out === undefined) return;
  const results = n.outputs.length === 1 ? [out] : out as unknown[];
  const consts = g.withInsertPoint(n, () => n.outputs.map((o, i) => insertResult(g, results[i], o.type)));
  if (consts.some((c) => c === null)) {
    consts.forEach((c) => c?.node().destroy());
    results.forEach((r) => r instanceof Tensor && r.dispose());
    return;
  }
  n.outputs.forEach((o, i) => {
    consts[i]!.setType(o.type.kind === 'Tensor' ? consts[i]!.type : o.type);
    o.replaceAllUsesWith(consts[i]!);
  });
  n.destroy();
}

// Given: a prim::If and the index of the branch that runs. Execute: moves that block's nodes
// before the If and points the If's outputs at the block's outputs. Result: the If is gone.
function inlineBranch(n: Node, taken: number): void {
  const b = n.blocks[taken];
  for (const m of b.nodes()) m.moveBefore(n);
  n.outputs.forEach((o, i) => o.replaceAllUsesWith(b.outputs[i]));
  n.destroy();
}
