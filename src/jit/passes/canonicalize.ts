// Canonicalize (PyTorch passes/canonicalize.cpp): a copy of the graph whose unnamed values are
// numbered 0, 1, 2... in program order (graph inputs, then each node's outputs before its
// blocks), so that graphs built in different ways print the same.

import { allNodes, Graph, IRError, SUBGRAPH_ATTR, type Value } from '../ir.js';

/** Returns a renumbered copy of `g`; debug names are kept unless `keepNames` is false. */
export function canonicalize(g: Graph, keepNames = true): Graph {
  const r = new Graph();
  r.currentScope = g.currentScope;
  const env = new Map<Value, Value>();
  r.block.cloneFrom(g.block, (v) => {
    throw new IRError(`canonicalize: %${v.debugName()} is used but not defined in the graph`);
  }, env);
  for (const n of allNodes(r.block)) {
    const sub = n.attr(SUBGRAPH_ATTR);
    if (sub?.kind === 'g') n.setAttr(SUBGRAPH_ATTR, { kind: 'g', value: canonicalize(sub.value, keepNames) });
  }
  if (!keepNames) {
    for (const v of r.inputs) v.setDebugName('');
    for (const n of allNodes(r.block)) {
      n.outputs.forEach((v) => v.setDebugName(''));
      n.blocks.forEach((b) => b.inputs.forEach((v) => v.setDebugName('')));
    }
  }
  return r;
}
