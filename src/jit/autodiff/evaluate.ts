// Runs a straight-line graph once on example inputs, keeping the value of every Value: the
// example values the gradient rules are traced on. Only what a straight-line region holds after
// inlining is understood (op rows, constants, attribute reads, lists); anything else is reported.
import { Tensor } from '../../sdk/tensor.js';
import { SCALAR_TYPE } from '../../sdk/dtype.js';
import type { SType } from '../../ops/schema.js';
import type { OpRow } from '../../ops/table.js';
import type { Graph, Node, Value } from '../ir.js';
import { jsValue, rowOf } from '../passes/op-rows.js';
import { NotDifferentiableError } from './errors.js';

const isScalarType = (t: SType): boolean => (t.kind === 'Optional' ? isScalarType(t.elem) : t.kind === 'prim' && t.name === 'ScalarType');

/** A node's arguments as its row's impl (and gradient rule) takes them: dtypes as strings. */
export function rowArgs(row: OpRow, n: Node, env: Map<Value, unknown>): unknown[] {
  return n.inputs.map((v, i) => {
    const x = env.get(v);
    return typeof x === 'number' && row.parsed.args[i] && isScalarType(row.parsed.args[i].type) ? SCALAR_TYPE[x] ?? x : x;
  });
}

/** The op row of `n`, or an error saying why the region cannot be differentiated there. */
export function opRow(n: Node): OpRow {
  const row = rowOf(n);
  if (!row) throw new NotDifferentiableError(`${n.kind} has no op-table row`);
  return row;
}

/** Every Value's example value for `args` (graph inputs in order). Tensors made here are the caller's to free. */
export function evaluate(g: Graph, args: readonly unknown[]): Map<Value, unknown> {
  const env = new Map<Value, unknown>();
  g.inputs.forEach((v, i) => env.set(v, args[i]));
  for (const n of g.nodes()) {
    if (n.blocks.length) throw new NotDifferentiableError(`${n.kind} has blocks (control flow)`);
    const ins = n.inputs.map((v) => env.get(v));
    switch (n.kind) {
      case 'prim::Constant': {
        const c = jsValue(n.output());
        env.set(n.output(), c === undefined ? null : c);
        break;
      }
      case 'prim::GetAttr':
        env.set(n.output(), (ins[0] as { getattr(name: string): unknown }).getattr(n.getAttr('name', 's')));
        break;
      case 'prim::ListConstruct': case 'prim::TupleConstruct':
        env.set(n.output(), ins);
        break;
      case 'prim::ListUnpack': case 'prim::TupleUnpack':
        n.outputs.forEach((o, i) => env.set(o, (ins[0] as unknown[])[i]));
        break;
      default: {
        if (n.kind.startsWith('prim::')) throw new NotDifferentiableError(`${n.kind} is not supported in a differentiable region`);
        const row = opRow(n);
        if (row.parsed.mutates) throw new NotDifferentiableError(`${n.kind} writes its input in place`);
        const out = row.impl(...rowArgs(row, n, env));
        const outs = n.outputs.length === 1 ? [out] : (out as unknown[]);
        n.outputs.forEach((o, i) => env.set(o, outs[i]));
      }
    }
  }
  return env;
}

/** The tensors of a value (itself, or the elements of a list). */
export const tensorsIn = (x: unknown): Tensor[] => (x instanceof Tensor ? [x] : Array.isArray(x) ? x.filter((y): y is Tensor => y instanceof Tensor) : []);
