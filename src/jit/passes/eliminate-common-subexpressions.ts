// Common subexpression elimination (PyTorch passes/common_subexpression_elimination.cpp),
// mutating the graph in place. A node is replaced by an earlier equal node (same kind, inputs,
// attributes and output types) that dominates it: one in the same block or an enclosing one.
// Constants merge the same way.

import {
  allNodes, hasSideEffects as defaultHasSideEffects, type AttrValue, type Block, type ConstTensor,
  type Graph, type Node, type Value,
} from '../ir.js';
import { attrValueToString } from '../printer.js';
import { typeEquals, typeToString, type JitType } from '../types.js';

// Ops whose result differs from call to call; never merged.
const NONDETERMINISTIC = new Set([
  'aten::dropout', 'aten::feature_dropout', 'aten::alpha_dropout', 'aten::feature_alpha_dropout',
  'aten::native_dropout', 'aten::rand', 'aten::rand_like', 'aten::randn', 'aten::randn_like',
  'aten::randint', 'aten::randint_like', 'aten::randperm', 'aten::bernoulli', 'aten::multinomial',
  'aten::normal', 'aten::poisson', 'aten::rrelu', 'aten::rrelu_with_noise', 'prim::Uninitialized',
]);
// Effects that only read their inputs.
const READ_ONLY_EFFECTS = new Set(['prim::Print', 'prim::RaiseException', 'aten::warn']);

/**
 * Mutates `g`: merges equal pure nodes. Without alias analysis, a graph in which some effectful
 * node may write to a tensor, list, dict or object only merges nodes on immutable values
 * (numbers, strings, bools, None, devices and tuples of them).
 */
export function eliminateCommonSubexpressions(g: Graph,
  hasSideEffects: (n: Node) => boolean = defaultHasSideEffects): void {
  const mayMutate = allNodes(g.block).some((n) =>
    hasSideEffects(n) && !READ_ONLY_EFFECTS.has(n.kind) && n.inputs.some((v) => isMutable(v.type)));
  const ids = new Map<Value, number>();
  const id = (v: Value) => {
    let i = ids.get(v);
    if (i === undefined) ids.set(v, (i = ids.size));
    return i;
  };
  const eligible = (n: Node) => n.outputs.length > 0 && n.blocks.length === 0 && !hasSideEffects(n)
    && !NONDETERMINISTIC.has(n.kind) && n.attrNames().every((a) => n.attr(a)!.kind !== 'g')
    && (!mayMutate || ![...n.inputs, ...n.outputs].some((v) => isMutable(v.type)));
  const key = (n: Node) => [n.kind, n.inputs.map(id).join(','), n.outputs.map((o) => typeToString(o.type)).join(','),
    ...n.attrNames().map((a) => `${a}=${attrValueToString(n.attr(a)!)}`)].join('|');

  const visit = (b: Block, scopes: Map<string, Node[]>[]): void => {
    const table = new Map<string, Node[]>();
    const inner = [...scopes, table];
    for (const n of b.nodes()) {
      for (const sub of n.blocks) visit(sub, inner);
      if (!eligible(n)) continue;
      const k = key(n);
      const same = inner.flatMap((t) => t.get(k) ?? []).find((m) => nodesEqual(m, n));
      if (!same) {
        table.set(k, [...(table.get(k) ?? []), n]);
        continue;
      }
      n.outputs.forEach((o, i) => o.replaceAllUsesWith(same.outputs[i]));
      n.destroy();
    }
  };
  visit(g.block, []);
}

function isMutable(t: JitType): boolean {
  switch (t.kind) {
    case 'Tensor': case 'List': case 'Dict': case 'Class': case 'Any': return true;
    case 'Optional': return isMutable(t.elem);
    case 'Tuple': return t.elems.some(isMutable);
    default: return false;
  }
}

function nodesEqual(a: Node, b: Node): boolean {
  if (a.kind !== b.kind || a.inputs.length !== b.inputs.length || a.outputs.length !== b.outputs.length) return false;
  if (a.inputs.some((v, i) => v !== b.inputs[i])) return false;
  if (a.outputs.some((v, i) => !typeEquals(v.type, b.outputs[i].type))) return false;
  const names = a.attrNames();
  return names.length === b.numAttrs() && names.every((n) => b.hasAttr(n) && attrsEqual(a.attr(n)!, b.attr(n)!));
}

function attrsEqual(a: AttrValue, b: AttrValue): boolean {
  if (a.kind !== b.kind) return false;
  const same = (x: unknown, y: unknown) => Object.is(x, y) || (typeof x === 'bigint' && x === y);
  switch (a.kind) {
    case 'is': case 'fs': case 'ss': {
      const y = b.value as unknown[];
      return a.value.length === y.length && a.value.every((x, i) => same(x, y[i]));
    }
    case 'ty': return typeEquals(a.value, b.value as JitType);
    case 'tys': {
      const y = b.value as JitType[];
      return a.value.length === y.length && a.value.every((x, i) => typeEquals(x, y[i]));
    }
    case 't': return tensorsEqual(a.value, b.value as ConstTensor);
    default: return same(a.value, b.value);
  }
}

function tensorsEqual(a: ConstTensor, b: ConstTensor): boolean {
  if (a === b) return true;
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  if (!a.data || !b.data || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}
