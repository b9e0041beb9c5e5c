// Peepholes for backward graphs (STYLE item 7: rules as data). Gradient rules mask with
// `where(a & b, g, 0)` (clamp, hardtanh); logical_and has no fuser expression, so the mask is
// split into nested wheres, which fuse with the rest of the backward chain.
import type { Graph, Node } from '../ir.js';
import { RESOLVED_ROWS } from '../compile/resolved.js';
import { rowOf } from '../passes/op-rows.js';
import { peephole, type PeepholeRule } from '../passes/peephole.js';

// Given: n = where(logical_and(a, b), x, y). Execute: inserts where(b, x, y) and
// where(a, that, y) before n, resolved to n's row. Result: the outer where, equal to n elementwise.
function splitAndMask(n: Node, g: Graph): Node['outputs'][number][] | null {
  const mask = n.inputs[0]?.node();
  const row = rowOf(n);
  if (n.inputs.length !== 3 || mask?.kind !== 'aten::logical_and' || !row) return null;
  const [, x, y] = n.inputs;
  const where = (c: Node['inputs'][number], t: Node['inputs'][number]) => {
    const w = g.createNode('aten::where', [c, t, y], 1);
    w.output().setType(n.output().type);
    RESOLVED_ROWS.set(w, row);
    return w.insertBefore(n).output();
  };
  return [where(mask.inputs[0], where(mask.inputs[1], x))];
}

export const BACKWARD_RULES: PeepholeRule[] = [{ name: 'where(a & b, x, y)', kind: 'aten::where', rewrite: splitAndMask }];

/** Mutates `df`: applies the backward peepholes. */
export function simplifyBackward(df: Graph): Graph {
  peephole(df, BACKWARD_RULES);
  return df;
}
