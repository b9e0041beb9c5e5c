// Memory planning (DESIGN rule 5; PyTorch's static runtime MemoryPlanner): assigns the fresh
// intermediate tensors of a graph's top block to a few reusable buffers, by liveness, so that an
// executor that allocates the buffers once runs a steady-state call without allocating. Pure: it
// reads the graph and returns a plan. A value is planned when its type is complete (dtype and
// sizes), an op-table row makes it fresh (not a view, not in place) and it does not escape: not
// a graph output, not put in a container, not carried by a loop or an If. A view of a planned
// value keeps the base's buffer alive for as long as the view is used.
import type { Graph, Node, Value } from '../ir.js';
import { DTYPES, type DType } from '../../sdk/dtype.js';
import type { TensorType } from '../types.js';
import { rowOf } from './op-rows.js';

export interface MemoryPlan {
  /** Size in bytes of each buffer, allocated once by the executor. */
  buffers: number[];
  /** The buffer that each planned value is written into (an op's `out=`). */
  slot: Map<Value, number>;
}

const ESCAPES = new Set(['prim::ListConstruct', 'prim::TupleConstruct', 'prim::DictConstruct', 'prim::Return']);

function bytesOf(v: Value): number | null {
  const t = v.type as TensorType;
  if (t.kind !== 'Tensor' || !t.dtype || !t.sizes || t.sizes.some((d) => d === null) || !(t.dtype in DTYPES)) return null;
  return (t.sizes as number[]).reduce((a, b) => a * b, 1) * DTYPES[t.dtype as DType].size;
}

const isView = (n: Node) => !!rowOf(n)?.tags?.some((t) => t === 'view' || t === 'inplace');

export function planMemory(g: Graph): MemoryPlan {
  const nodes = g.nodes();
  const index = new Map(nodes.map((n, i) => [n, i]));
  // The top-block node a use happens in (uses inside blocks count at their owner).
  const topUser = (n: Node): Node | null => {
    let u: Node | null = n;
    while (u && u.owningBlock !== g.block) u = u.owningNode();
    return u;
  };
  /** Last top-block position where `v` (or a view of it) is read; null when it escapes. */
  const lastUse = (v: Value): number | null => {
    let last = index.get(v.node()) ?? -1;
    for (const u of v.uses) {
      if (ESCAPES.has(u.user.kind) || u.user.kind === 'prim::Loop' || u.user === g.block.returnNode) return null;
      const top = topUser(u.user);
      if (!top) return null;
      if (top !== u.user && u.user.owningBlock?.returnNode === u.user) return null; // a block output
      if (isView(u.user)) {
        for (const o of u.user.outputs) {
          const l = lastUse(o);
          if (l === null) return null;
          last = Math.max(last, l);
        }
      }
      last = Math.max(last, index.get(top)!);
    }
    return last;
  };
  const plan: MemoryPlan = { buffers: [], slot: new Map() };
  const busyUntil: number[] = [];
  nodes.forEach((n, i) => {
    const row = rowOf(n);
    if (!row || isView(n) || row.parsed.mutates) return;
    for (const o of n.outputs) {
      const bytes = bytesOf(o);
      const end = bytes === null ? null : lastUse(o);
      if (bytes === null || end === null) continue;
      // Best fit among buffers free before this node; else grow the largest free one; else a new one.
      const free = plan.buffers.map((b, k) => k).filter((k) => busyUntil[k] < i);
      const fits = free.filter((k) => plan.buffers[k] >= bytes).sort((a, b) => plan.buffers[a] - plan.buffers[b]);
      let k = fits[0] ?? free.sort((a, b) => plan.buffers[b] - plan.buffers[a])[0];
      if (k === undefined) {
        k = plan.buffers.length;
        plan.buffers.push(bytes);
      }
      plan.buffers[k] = Math.max(plan.buffers[k], bytes);
      busyUntil[k] = end;
      plan.slot.set(o, k);
    }
  });
  return plan;
}
