// What the passes ask the op table about a node: its row (the one the frontend resolved, else the
// first whose schema takes the node's input types) and how to run that row on JS values.
import { OP_TABLE } from '../../ops/index.js';
import { bind, NO_MATCH } from '../../ops/dispatch.js';
import type { OpRow } from '../../ops/table.js';
import { fromValues } from '../../ops/exec.js';
import { keep, Tensor, tidy } from '../../sdk/tensor.js';
import { isDType, type DType } from '../../sdk/dtype.js';
import { RESOLVED_ROWS, constTensorOf, tensorOfConst } from '../compile/resolved.js';
import { matchSchema } from '../compile/schema-match.js';
import { constantValue, type ConstTensor, type Graph, type Node, type Value } from '../ir.js';
import { FloatT, IntT, type JitType } from '../types.js';

/** The node's op-table row, or null for prim nodes and unknown ops. */
export function rowOf(n: Node): OpRow | null {
  const known = RESOLVED_ROWS.get(n);
  if (known) return known;
  for (const row of OP_TABLE.get(n.kind) ?? []) {
    const params = row.parsed.args;
    if (params.length !== n.inputs.length || row.parsed.varArgs) continue;
    const positional = n.inputs.filter((_, i) => !params[i].kwargOnly);
    const kwargs = new Map(params.flatMap((p, i) => (p.kwargOnly ? [[p.name, n.inputs[i]] as const] : [])));
    if (matchSchema(row, positional, kwargs, true)) {
      RESOLVED_ROWS.set(n, row);
      return row;
    }
  }
  return null;
}

/** The engine tensor behind a tensor constant (made from its data if the IR only has that). */
export function constTensorValue(c: ConstTensor): Tensor | null {
  const t = tensorOfConst(c);
  if (t && !t.isDisposed) return t;
  if (!c.data) return null;
  return fromValues(c.shape, c.dtype as DType, Array.from(c.data as ArrayLike<number>, Number));
}

/** A constant's JS value as an op impl takes it (tensors as engine tensors); undefined if unknown. */
export function jsValue(v: Value): unknown {
  if (v.node().kind === 'prim::ListConstruct') {
    const xs = v.node().inputs.map(jsValue);
    return xs.some((x) => x === undefined) ? undefined : xs;
  }
  const c = constantValue(v);
  if (c === undefined) return undefined;
  if (typeof c === 'bigint') return Number(c);
  if (Array.isArray(c)) return (c as unknown[]).map((x) => (typeof x === 'bigint' ? Number(x) : x));
  if (c !== null && typeof c === 'object') return constTensorValue(c as ConstTensor) ?? undefined;
  return c;
}

/** Runs `row` on JS values in schema order; kept tensors in the result, or undefined if it throws. */
export function runRow(row: OpRow, values: unknown[]): unknown {
  const params = row.parsed.args;
  const positional = values.filter((_, i) => !params[i].kwargOnly);
  const kwargs = Object.fromEntries(params.flatMap((p, i) => (p.kwargOnly ? [[p.name, values[i]]] : [])));
  try {
    return tidy(() => {
      const bound = bind(row, positional, kwargs, true, (s) => fromValues([], typeof s === 'boolean' ? 'bool' : Number.isInteger(s) ? 'int64' : 'float32', [Number(s)]));
      if (bound === NO_MATCH) return undefined;
      const out = row.impl(...bound);
      (function hold(x: unknown) {
        if (x instanceof Tensor) keep(x);
        else if (Array.isArray(x)) x.forEach(hold);
      })(out);
      return out;
    });
  } catch {
    return undefined;
  }
}

/** A prim::Constant for a JS result of type `type`; null if it cannot be one. */
export function insertResult(g: Graph, value: unknown, type: JitType): Value | null {
  if (value instanceof Tensor) {
    const c = constTensorOf(value);
    return g.insertConstant(c, { type: { kind: 'Tensor', dtype: value.dtype, sizes: [...value.shape] } });
  }
  if (typeof value === 'number') return g.insertConstant(value, { type: type.kind === 'float' ? FloatT : type.kind === 'int' ? IntT : Number.isInteger(value) ? IntT : FloatT });
  if (typeof value === 'boolean' || typeof value === 'string' || value === null) {
    if (typeof value === 'string' && isDType(value)) return null;
    return g.insertConstant(value);
  }
  if (Array.isArray(value) && value.every((x) => typeof x === 'number')) return g.insertConstant(value, { type });
  return null;
}
