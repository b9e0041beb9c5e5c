// Sorting rows: sort, argsort, topk. Each row's order is computed on its values as numbers, then
// the values themselves are gathered from the source, so every dtype keeps its exact values.
import { Tensor } from '../sdk/tensor.js';
import { OpError } from '../sdk/errors.js';
import { fromValues } from './exec.js';
import { eachRow, gatherRows, namedPair, outIndex, reduceMask, releaseRows, rowsOf, type Rows } from './reduce.js';
import type { OpDef, Tag } from './table.js';
import { gradMsort, gradSortValues } from './reduce-grads.js';

/** Ascending order with NaN greater than everything, as PyTorch sorts. */
const ascending = (a: number, b: number) => (a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a - b);

/**
 * The first `k` positions of each row along `dim` in sorted order. Ties keep their original order
 * (Array.prototype.sort is stable), which is PyTorch's stable order in both directions.
 */
function order(op: string, x: Tensor, dim: number, k: number | null, descending: boolean): { r: Rows; idx: Float64Array; m: number; shape: number[] } {
  const mask = reduceMask(op, x, dim);
  const d = mask.indexOf(true);
  const n = x.dim === 0 ? 1 : x.shape[d];
  const m = k ?? n;
  if (m < 0 || m > n) throw new OpError(op, 'selected index k out of range');
  const r = rowsOf(x, mask);
  const idx = new Float64Array(r.outer * r.inner * m);
  const perm = Array.from({ length: n }, (_, j) => j);
  eachRow(r, (row, t) => {
    perm.forEach((_, j) => (perm[j] = j));
    perm.sort(descending ? (a, b) => ascending(row[b], row[a]) : (a, b) => ascending(row[a], row[b]));
    idx.set(perm.slice(0, m), t * m);
  });
  const shape = x.shape.map((s, i) => (i === d ? m : s));
  return { r, idx, m, shape };
}

/** Values and indices of `order`, both laid out like the input with m entries along dim. */
function sorted(op: string, x: Tensor, dim: number, k: number | null, descending: boolean) {
  const { r, idx, m, shape } = order(op, x, dim, k, descending);
  const values = gatherRows(r, shape, idx, m);
  const pos = new Float64Array(idx.length);
  idx.forEach((v, t) => (pos[outIndex(r, Math.floor(t / m), t % m, m)] = v));
  releaseRows(r, x);
  return namedPair(values, fromValues(shape, 'int64', pos));
}

const sort = (x: Tensor, dim: number, descending: boolean) => sorted('aten::sort', x, dim, null, descending);
const argsort = (x: Tensor, dim: number, descending: boolean) => {
  const [values, indices] = sorted('aten::argsort', x, dim, null, descending);
  values.dispose();
  return indices;
};
const msort = (x: Tensor) => {
  const [values, indices] = sorted('aten::msort', x, 0, null, false);
  indices.dispose();
  return values;
};
const topk = (x: Tensor, k: number, dim: number, largest: boolean) => sorted('aten::topk', x, dim, k, largest);

const S: Tag[] = ['reduce'];

export const SORT_OPS: OpDef[] = [
  { schema: 'aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)', tags: S, grad: gradSortValues(1), impl: sort },
  { schema: 'aten::sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)', tags: S, grad: gradSortValues(2), impl: (x: Tensor, _stable: boolean | null, dim: number, desc: boolean) => sort(x, dim, desc) },
  { schema: 'aten::argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor', tags: S, impl: argsort },
  { schema: 'aten::argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor', tags: S, impl: (x: Tensor, _stable: boolean, dim: number, desc: boolean) => argsort(x, dim, desc) },
  // `sorted=False` allows any order; the sorted one is a valid answer.
  { schema: 'aten::topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)', tags: S, grad: gradSortValues(2), impl: topk },
  { schema: 'aten::msort(Tensor self) -> Tensor', tags: S, grad: gradMsort, impl: msort },
];
