// Python-level torch.* functions of this group that are not a single op-table call. (torch.max,
// sort, topk ... need none: their rows already return [values, indices] with .values/.indices.)
import { callOp } from '../../ops/dispatch.js';
import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { pyfn } from '../args.js';

/**
 * torch.norm(input, p='fro', dim=None, keepdim=False, out=None, dtype=None): 'fro' (the default)
 * and numeric p are vector norms over `dim` (all elements when None); 'nuc' needs an SVD.
 */
const norm = pyfn('torch.norm', ['input', ['p', 'fro'], ['dim', null], ['keepdim', false], ['out', null], ['dtype', null]], (a) => {
  const { p, dim } = a;
  if (p === 'nuc') throw new OpError('torch.norm', "p='nuc' (nuclear norm) is not supported");
  if (typeof p === 'string' && p !== 'fro') throw new OpError('torch.norm', `invalid norm type '${p}'`);
  const ord = p === 'fro' || p === null ? 2 : p;
  return callOp('aten::linalg_vector_norm', [a.input as Tensor, ord, dim === null ? null : [dim].flat(), a.keepdim], a.dtype ? { dtype: a.dtype } : undefined);
});

export const FUNCTIONS: Record<string, (...args: any[]) => any> = { norm };
