// When each value of a graph dies, for the interpreter's early frees: a value's last use is
// lifted to the block that defines it (a use inside a loop body keeps an outer value alive until
// the loop ends), so a value dies after that node, at its block's return, or at once if unused.
import type { Block, Graph, Node, Value } from '../ir.js';

export interface Liveness {
  /** Values to release after each node runs. */
  afterNode: Map<Node, Value[]>;
  /** Values to release when a block has produced its outputs. */
  atReturn: Map<Block, Value[]>;
  /** Block inputs nobody uses. */
  unusedParams: Map<Block, Value[]>;
}

const cache = new WeakMap<Graph, Liveness>();

export function liveness(g: Graph): Liveness {
  let l = cache.get(g);
  if (!l) {
    l = compute(g);
    cache.set(g, l);
  }
  return l;
}

function compute(g: Graph): Liveness {
  const l: Liveness = { afterNode: new Map(), atReturn: new Map(), unusedParams: new Map() };
  const push = <K>(m: Map<K, Value[]>, k: K, v: Value) => {
    const xs = m.get(k);
    if (xs) xs.push(v);
    else m.set(k, [v]);
  };
  const place = (v: Value, block: Block, def: Node | null) => {
    let last: Node | null = null;
    for (const u of v.uses) {
      let user: Node = u.user;
      while (user.owningBlock !== block) {
        const owner = user.owningBlock?.owningNode;
        if (!owner) break;
        user = owner;
      }
      if (user === block.returnNode) { last = block.returnNode; break; }
      if (!last || last.isBefore(user)) last = user;
    }
    if (last === block.returnNode) push(l.atReturn, block, v);
    else if (last) push(l.afterNode, last, v);
    else if (def) push(l.afterNode, def, v);
    else push(l.unusedParams, block, v);
  };
  const walk = (b: Block) => {
    for (const p of b.inputs) place(p, b, null);
    for (const n of b.nodes()) {
      for (const o of n.outputs) place(o, b, n);
      n.blocks.forEach(walk);
    }
  };
  walk(g.block);
  return l;
}
