// torch.nn.functional "sparse functions": embedding, with PyTorch's Python signature and checks,
// ending in one op-table call. Note `input` (the indices) comes first, `weight` second.
import { callOp } from '../../../ops/dispatch.js';
import { OpError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { pyfn } from '../../args.js';

const embedding = pyfn(
  'embedding',
  ['input', 'weight', ['padding_idx', null], ['max_norm', null], ['norm_type', 2.0], ['scale_grad_by_freq', false], ['sparse', false]],
  (a) => {
    const F = 'torch.nn.functional.embedding';
    if (a.max_norm !== null) throw new OpError(F, 'max_norm is not supported (it renormalises weight in place)');
    const n = (a.weight as Tensor).shape[0], p: number | null = a.padding_idx;
    if (p !== null && (p >= n || p < -n)) throw new OpError(F, 'Padding_idx must be within num_embeddings');
    const pad = p === null ? -1 : p < 0 ? p + n : p;
    return callOp('aten::embedding', [a.weight, a.input, pad, a.scale_grad_by_freq, a.sparse]);
  },
);

/** torch.nn.functional entries of this group. */
export const FUNCTIONAL: Record<string, (...args: any[]) => any> = { embedding };
