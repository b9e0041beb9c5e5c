// What the emitter learned about nodes that the IR itself does not hold, shared with the
// interpreter: the op-table row an op node resolved to, why an op node could not be resolved,
// and the engine tensor behind a tensor constant (the IR keeps only its description).
import type { ConstTensor, Node } from '../ir.js';
import type { OpRow } from '../../ops/table.js';
import type { Tensor } from '../../sdk/tensor.js';

export const RESOLVED_ROWS = new WeakMap<Node, OpRow>();
export const UNRESOLVED = new WeakMap<Node, string>();

const CONST_OF_TENSOR = new WeakMap<Tensor, ConstTensor>();
const TENSOR_OF_CONST = new WeakMap<ConstTensor, Tensor>();

/** The IR description of a constant tensor (one per tensor, so graph copies keep the link). */
export function constTensorOf(t: Tensor): ConstTensor {
  let c = CONST_OF_TENSOR.get(t);
  if (!c) {
    c = { dtype: t.dtype, shape: [...t.shape] };
    CONST_OF_TENSOR.set(t, c);
    TENSOR_OF_CONST.set(c, t);
  }
  return c;
}

export function tensorOfConst(c: ConstTensor): Tensor | undefined {
  return TENSOR_OF_CONST.get(c);
}
