// Peephole simplifications (PyTorch passes/peephole.cpp) as data (STYLE item 7): each rule is a
// node kind (the pattern's root), a guard on its inputs and a rewrite giving the values that
// replace the node's outputs, or null when it does not apply. Rule lists compose by
// concatenation; `peephole` mutates the graph in place, trying the rules on every node until none fires.
import { allNodes, constantValue, type Graph, type Node, type Value } from '../ir.js';
import { isFloatingDType, type TensorType } from '../types.js';

export interface PeepholeRule {
  name: string;
  /** The root node's kind. */
  kind: string;
  /** Values replacing the node's outputs, or null when the pattern does not match. */
  rewrite: (n: Node, g: Graph) => Value[] | null;
}

const num = (v: Value) => {
  const c = constantValue(v);
  return typeof c === 'number' || typeof c === 'bigint' ? Number(c) : undefined;
};
const isInt = (v: Value, k: number) => v.type.kind === 'int' && num(v) === k;
const tensorT = (v: Value) => (v.type.kind === 'Tensor' ? v.type as TensorType : null);
/** `x op c` keeps x's dtype: c is an int, or x is known to be floating. */
const keepsType = (x: Value, c: Value, k: number) => tensorT(x) !== null
  && (isInt(c, k) || (c.type.kind === 'float' && num(c) === k && !!tensorT(x)!.dtype && isFloatingDType(tensorT(x)!.dtype!)));
const sameDims = (n: Node, m: Node) => {
  const d = (x: Node) => [num(x.inputs[1]), num(x.inputs[2])];
  const [a, b] = d(n), [c, e] = d(m);
  return a !== undefined && b !== undefined && ((a === c && b === e) || (a === e && b === c));
};
const knownSizes = (v: Value) => {
  const s = tensorT(v)?.sizes;
  return s && s.every((d) => d !== null) ? s as number[] : null;
};

/** Algebraic identities on tensors (kept only when they cannot change the result's dtype). */
export const ARITHMETIC_RULES: PeepholeRule[] = [
  { name: 'x*1', kind: 'aten::mul', rewrite: (n) => (n.inputs.length === 2 && keepsType(n.inputs[0], n.inputs[1], 1) ? [n.inputs[0]] : null) },
  { name: 'x/1', kind: 'aten::div', rewrite: (n) => (n.inputs.length === 2 && keepsType(n.inputs[0], n.inputs[1], 1) ? [n.inputs[0]] : null) },
  { name: 'x+0', kind: 'aten::add', rewrite: (n) => (n.inputs.length === 3 && keepsType(n.inputs[0], n.inputs[1], 0) && isInt(n.inputs[2], 1) ? [n.inputs[0]] : null) },
  { name: 'x-0', kind: 'aten::sub', rewrite: (n) => (n.inputs.length === 3 && keepsType(n.inputs[0], n.inputs[1], 0) && isInt(n.inputs[2], 1) ? [n.inputs[0]] : null) },
];

/** Movement ops that undo each other. */
export const MOVEMENT_RULES: PeepholeRule[] = [
  {
    name: 'transpose(transpose(x))', kind: 'aten::transpose',
    rewrite: (n) => { const m = n.input().node(); return m.kind === 'aten::transpose' && sameDims(n, m) ? [m.input()] : null; },
  },
  { name: 't(t(x))', kind: 'aten::t', rewrite: (n) => (n.input().node().kind === 'aten::t' ? [n.input().node().input()] : null) },
];

/** Queries answered by known types, and containers built then taken apart. */
export const STRUCTURE_RULES: PeepholeRule[] = [
  {
    name: 'size(x, d) of known shape', kind: 'aten::size',
    rewrite: (n, g) => {
      const s = knownSizes(n.input());
      if (!s) return null;
      if (n.inputs.length === 1) return [g.withInsertPoint(n, () => g.insertConstant(s, { type: n.output().type }))];
      const d = num(n.inputs[1]);
      if (d === undefined || d < -s.length || d >= s.length) return null;
      return [g.withInsertPoint(n, () => g.insertConstant(s[d < 0 ? d + s.length : d]))];
    },
  },
  { name: 'dim(x) of known rank', kind: 'aten::dim', rewrite: (n, g) => { const s = tensorT(n.input())?.sizes; return s ? [g.withInsertPoint(n, () => g.insertConstant(s.length))] : null; } },
  {
    name: 'TupleIndex(TupleConstruct)', kind: 'prim::TupleIndex',
    rewrite: (n) => { const t = n.input().node(); const i = num(n.inputs[1]); return t.kind === 'prim::TupleConstruct' && i !== undefined ? [t.inputs[i]] : null; },
  },
  { name: 'TupleUnpack(TupleConstruct)', kind: 'prim::TupleUnpack', rewrite: (n) => (n.input().node().kind === 'prim::TupleConstruct' ? [...n.input().node().inputs] : null) },
];

export const PEEPHOLE_RULES: PeepholeRule[] = [...ARITHMETIC_RULES, ...MOVEMENT_RULES, ...STRUCTURE_RULES];

/** Mutates `g`: applies `rules` until none fires; `allow()` false stops (JIT_OPT_LIMIT). */
export function peephole(g: Graph, rules: PeepholeRule[] = PEEPHOLE_RULES, allow: () => boolean = () => true): void {
  const byKind = new Map<string, PeepholeRule[]>();
  for (const r of rules) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of allNodes(g.block)) {
      if (!n.inBlockList()) continue;
      for (const r of byKind.get(n.kind) ?? []) {
        const out = r.rewrite(n, g);
        if (!out || !allow()) continue;
        n.outputs.forEach((o, i) => o.replaceAllUsesWith(out[i]));
        if (!n.hasUses()) n.destroy();
        changed = true;
        break;
      }
    }
  }
}
