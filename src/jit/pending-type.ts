// A placeholder type for values whose type is known only once a whole function has been emitted:
// the return value that loops carry out (PyTorch's exit transform) before every `return` has been
// seen. The emitter gives such values PENDING and settles them when the return type is known.
import type { Block } from './ir.js';
import type { JitType } from './types.js';

/** Compared by identity: an `Any` that no annotation produces. */
export const PENDING: JitType = { kind: 'Any' };

/** Gives the values of `b` (nested blocks included) still typed PENDING the type `type`. */
export function settlePending(b: Block, type: JitType): void {
  for (const v of b.inputs) if (v.type === PENDING) v.setType(type);
  for (const n of b.nodes()) {
    for (const o of n.outputs) if (o.type === PENDING) o.setType(type);
    n.blocks.forEach((x) => settlePending(x, type));
  }
}
