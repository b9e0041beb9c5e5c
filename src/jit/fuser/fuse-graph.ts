// The fusion pass: groups maximal connected runs of fusible nodes (op-table rows tagged
// 'pointwise' that carry a `fuse` expression, with constant non-tensor arguments) into
// `prim::FusionGroup` nodes whose `Subgraph` attribute holds the grouped nodes, as PyTorch's
// graph fuser does. It asks rows for tags and expressions, never for op names (STYLE item 2).
import { constantValue, mutatesInputs, SUBGRAPH_ATTR, Graph, type Block, type Node, type Value } from '../ir.js';
import { rowOf } from '../passes/op-rows.js';
import { RESOLVED_ROWS } from '../compile/resolved.js';
import { FuserError } from './errors.js';

export const FUSION_GROUP = 'prim::FusionGroup';

const isConstant = (v: Value) => v.node().kind === 'prim::Constant' && constantValue(v) !== undefined;

/** Whether `n` can be computed lane by lane inside a fused kernel. */
export function isFusible(n: Node): boolean {
  if (n.outputs.length !== 1 || n.output().type.kind !== 'Tensor' || n.blocks.length || mutatesInputs(n)) return false;
  const row = rowOf(n);
  if (!row?.fuse || !row.tags?.includes('pointwise') || row.parsed.mutates) return false;
  return n.inputs.every((v) => v.type.kind === 'Tensor' || isConstant(v));
}

// Given: a group G of earlier nodes, the group H being built around `n` (its last member).
// Execute: nothing. Result: whether running G's nodes at n's place keeps every use of their
// outputs by other nodes after n (else a node between them would see a value not yet computed).
function canMerge(g: Set<Node>, h: Set<Node>, n: Node): boolean {
  for (const m of g) {
    for (const o of m.outputs) {
      for (const u of o.uses) if (!g.has(u.user) && !h.has(u.user) && !n.isBefore(u.user)) return false;
    }
  }
  return true;
}

/**
 * Mutates `g`: fuses pointwise nodes in every block into FusionGroups of two or more ops. `allow`
 * (the pipeline's opt limit) is asked once per group created.
 */
export function fusePointwise(g: Graph, allow: () => boolean = () => true): Graph {
  fuseBlock(g.block, allow);
  return g;
}

function fuseBlock(block: Block, allow: () => boolean): void {
  for (const n of block.nodes()) n.blocks.forEach((b) => fuseBlock(b, allow));
  const groupOf = new Map<Node, Set<Node>>();
  for (const n of block.nodes()) {
    if (!isFusible(n)) continue;
    let group = new Set([n]);
    const producers = new Set(n.inputs.map((v) => groupOf.get(v.node())).filter((x): x is Set<Node> => !!x));
    for (const p of producers) if (canMerge(p, group, n)) group = new Set([...p, ...group]);
    for (const m of group) groupOf.set(m, group);
  }
  const groups = new Set([...groupOf.values()].filter((s) => s.size >= 2));
  for (const group of groups) if (allow()) makeGroup(block, group);
}

// Given: a valid group of nodes in `block`. Execute: clones them (and the constants they read)
// into a subgraph, inserts a FusionGroup at the last member's place taking the group's outside
// inputs and giving the outputs used outside, then destroys the members.
// Result: the block computes the same values through the one FusionGroup node; constants that
// only the members read are gone from the block.
function makeGroup(block: Block, group: Set<Node>): Node {
  const members = block.nodes().filter((m) => group.has(m));
  const last = members[members.length - 1];
  const sub = new Graph();
  const map = new Map<Value, Value>();
  const outerInputs: Value[] = [];
  const constants: Value[] = [];
  const lookup = (v: Value): Value => {
    const hit = map.get(v);
    if (hit) return hit;
    let inner: Value;
    if (v.type.kind !== 'Tensor' && isConstant(v)) {
      inner = sub.appendNode(sub.createClone(v.node(), () => { throw new FuserError('fuser: a constant cloned into a fusion group has inputs'); })).output();
      constants.push(v);
    } else {
      inner = sub.addInput('', v.type).copyMetadata(v);
      outerInputs.push(v);
    }
    map.set(v, inner);
    return inner;
  };
  for (const m of members) {
    const c = sub.appendNode(sub.createClone(m, lookup));
    const row = rowOf(m);
    if (row) RESOLVED_ROWS.set(c, row);
    m.outputs.forEach((o, i) => map.set(o, c.outputs[i]));
  }
  const exported = members.flatMap((m) => m.outputs).filter((o) => o.uses.some((u) => !group.has(u.user)));
  for (const o of exported) sub.registerOutput(map.get(o)!);
  const fg = last.graph.createNode(FUSION_GROUP, outerInputs, exported.length);
  fg.setAttr(SUBGRAPH_ATTR, { kind: 'g', value: sub });
  fg.sourceRange = last.sourceRange;
  fg.scopeName = last.scopeName;
  fg.insertBefore(last);
  exported.forEach((o, i) => {
    const out = fg.outputs[i].setType(o.type);
    const name = o.hasDebugName() ? o.debugName() : '';
    o.replaceAllUsesWith(out);
    o.setDebugName('');
    if (name) out.setDebugName(name);
  });
  for (const m of members.reverse()) m.destroy();
  // Constants only the members read now live in the subgraph.
  for (const c of constants) if (!c.hasUses()) c.node().destroy();
  return fg;
}
