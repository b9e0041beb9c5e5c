// Derivatives of the indexing rows (derivatives.yaml: gather/scatter/index_* pairs, index_put
// with accumulate for advanced indexing, embedding_dense_backward), and that backward row.
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import type { OpDef } from './table.js';
import { div, eq, gather, indexAdd, indexSelect, mul, reshape, scatterAdd, sum, sumTo, unsqueeze, where, zeros, zerosLike } from '../autograd/calc.js';
import { byIndex } from './shape-grads.js';

type T = Tensor;

export const gradGather: GradRule = ([g], [x, dim, idx]) => [scatterAdd(zerosLike(x), dim, idx, g!), null, null, null];
/** scatter(self, dim, index, src|value): self loses the overwritten positions, src gets what landed. */
export const gradScatter: GradRule = ([g], [_x, dim, idx, src]) => [
  callOp('aten::scatter', [g, dim, idx, 0]),
  null,
  null,
  src && typeof src === 'object' ? gather(g!, dim, idx) : null,
];
export const gradScatterAdd: GradRule = ([g], [_x, dim, idx]) => [g, null, null, gather(g!, dim, idx)];
export const gradIndexSelect: GradRule = ([g], [x, dim, idx]) => [indexAdd(zerosLike(x), dim, idx, g!), null, null];

/** The rows of `g` that index_add/index_copy wrote from `src` (a 0-dim source reads one element). */
const picked = (g: T, dim: number, idx: T, src: T): T => reshape(indexSelect(g, dim, reshape(idx, [idx.numel])), src.shape);

export const gradIndexAdd: GradRule = ([g], [_x, dim, idx, src, alpha]) => {
  const gs = picked(g!, dim, idx, src);
  return [g, null, null, Number(alpha) === 1 ? gs : mul(gs, Number(alpha)), null];
};
export const gradIndexCopy: GradRule = ([g], [_x, dim, idx, src]) => [callOp('aten::index_fill', [g, dim, idx, 0]), null, null, picked(g!, dim, idx, src)];
export const gradIndexFill: GradRule = ([g], [_x, dim, idx, v]) => [
  callOp('aten::index_fill', [g, dim, idx, 0]),
  null,
  null,
  v && typeof v === 'object' ? sum(indexSelect(g!, dim, reshape(idx, [idx.numel]))) : null,
];

/** Advanced indexing: the gradient is put back with accumulate (repeated indices add up). */
export const gradIndex: GradRule = ([g], [x, indices]) => [callOp('aten::index_put', [zerosLike(x), indices, g, true]), null];
/** index_put(self, indices, values, accumulate): self keeps g except where overwritten; values get what they became. */
export const gradIndexPut: GradRule = ([g], [_x, indices, values, accumulate]) => [
  accumulate ? g : callOp('aten::index_put', [g, indices, zeros([], g!.dtype), false]),
  null,
  sumTo(callOp('aten::index', [g, indices]), values.shape),
  null,
];

export const gradEmbedding: GradRule = ([g], [w, idx, paddingIdx, scaleByFreq]) => [callOp('aten::embedding_dense_backward', [g, idx, w.shape[0], paddingIdx, scaleByFreq]), null, null, null, null];

/** embedding_dense_backward: rows of g summed into their weight rows; padding_idx gets none. */
function embeddingDenseBackward(g: T, idx: T, numWeights: number, paddingIdx: number, scaleByFreq: boolean): T {
  const D = g.shape[g.dim - 1];
  const flat = reshape(idx, [idx.numel]);
  let rows = reshape(g, [idx.numel, D]);
  if (paddingIdx >= 0) rows = where(unsqueeze(eq(flat, paddingIdx), 1), 0, rows);
  if (scaleByFreq) {
    const counts = indexAdd(zeros([numWeights], g.dtype), 0, flat, callOp('aten::ones', [[idx.numel]], { dtype: g.dtype }));
    rows = div(rows, unsqueeze(indexSelect(counts, 0, flat), 1));
  }
  return indexAdd(zeros([numWeights, D], g.dtype), 0, flat, rows);
}

export const INDEXING_BACKWARD_OPS: OpDef[] = [
  { schema: 'aten::embedding_dense_backward(Tensor grad_output, Tensor indices, SymInt num_weights, SymInt padding_idx, bool scale_grad_by_freq) -> Tensor', tags: ['opaque'], impl: embeddingDenseBackward },
];

export const gradMaskedSelect = byIndex('aten::masked_select');
export const gradTake = byIndex('aten::take');
