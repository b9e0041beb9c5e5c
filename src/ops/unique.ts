// Unique rows: torch.unique (aten::_unique2 flat, aten::unique_dim along a dim) and
// torch.unique_consecutive. Each sees the input as a list of items (elements, or slices along
// `dim`), finds the distinct ones and copies their bytes, so every dtype keeps its exact values.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { OpError } from '../sdk/errors.js';
import { contiguous, empty, fromValues, values, wrapDim } from './exec.js';
import type { OpDef, Tag } from './table.js';

/** The input as `n` items of `size` elements each (a contiguous copy with `dim` moved first). */
interface Items { src: Tensor; n: number; size: number; vals: number[]; restShape: number[]; dim: number | null }

function itemsOf(op: string, x: Tensor, dim: number | null): Items {
  if (dim === null) {
    const src = contiguous(x);
    return { src, n: x.numel, size: 1, vals: values(src), restShape: [], dim: null };
  }
  const d = wrapDim(op, dim, x.dim);
  if (x.dim === 0) throw new OpError(op, 'dim is out of range for a 0-dim tensor');
  const order = [d, ...x.shape.keys()].filter((k, i) => i === 0 || k !== d);
  const view = x.asStrided(order.map((k) => x.shape[k]), order.map((k) => x.strides[k]), x.offset);
  const src = contiguous(view, true);
  view.dispose();
  const restShape = order.slice(1).map((k) => x.shape[k]);
  const n = x.shape[d], size = restShape.reduce((a, b) => a * b, 1);
  if (n > 0 && size === 0) throw new OpError(op, "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
  return { src, n, size, vals: values(src), restShape, dim: d };
}

/** Lexicographic order of two items (NaN compares as equal to nothing, after every number). */
function compareItems(it: Items, a: number, b: number): number {
  for (let k = 0; k < it.size; k++) {
    const x = it.vals[a * it.size + k], y = it.vals[b * it.size + k];
    if (x < y) return -1;
    if (x > y) return 1;
    if (x !== y) return x !== x ? (y !== y ? 0 : 1) : -1;
  }
  return 0;
}

/** A tensor of the chosen items (`picks`), laid out like the input with `dim` restored. */
function gatherItems(it: Items, x: Tensor, picks: number[]): Tensor {
  const front = empty([picks.length, ...it.restShape], x.dtype);
  const e = engine();
  const from = e.array(x.dtype, it.src.ptr, it.src.numel) as any, to = e.array(x.dtype, front.ptr, front.numel) as any;
  picks.forEach((p, i) => to.set(from.subarray(p * it.size, (p + 1) * it.size), i * it.size));
  if (it.dim === null || it.dim === 0) return front;
  // Move the item dim back to its place: a strided view of `front`, then a contiguous copy.
  const d = it.dim, nd = x.dim;
  const perm = Array.from({ length: nd }, (_, k) => (k < d ? k + 1 : k === d ? 0 : k));
  const view = front.asStrided(perm.map((k) => front.shape[k]), perm.map((k) => front.strides[k]));
  const out = contiguous(view, true);
  view.dispose();
  front.dispose();
  return out;
}

/** Distinct items: sorted (`consecutive` false) or runs of equal neighbours (`consecutive` true). */
function unique(op: string, x: Tensor, dim: number | null, consecutive: boolean, inverseShape: number[] | null, countsWanted: boolean): Tensor[] {
  const it = itemsOf(op, x, dim);
  const order = Array.from({ length: it.n }, (_, i) => i);
  if (!consecutive) order.sort((a, b) => compareItems(it, a, b) || a - b);
  const picks: number[] = [], counts: number[] = [], inverse = new Array<number>(it.n);
  for (let k = 0; k < it.n; k++) {
    const i = order[k];
    if (k === 0 || compareItems(it, order[k - 1], i) !== 0) {
      picks.push(i);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse[i] = picks.length - 1;
  }
  const out = gatherItems(it, x, picks);
  if (it.src !== x) it.src.dispose();
  const inv = inverseShape ? fromValues(inverseShape, 'int64', inverse) : empty([0], 'int64');
  const cnt = countsWanted ? fromValues([counts.length], 'int64', counts) : empty([0], 'int64');
  return [out, inv, cnt];
}

const U: readonly Tag[] = ['opaque', 'nograd'];

export const UNIQUE_OPS: OpDef[] = [
  // `sorted=False` allows any order; the sorted one is a valid answer.
  {
    schema: 'aten::_unique2(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)',
    tags: U,
    // An empty input gets an inverse of its own shape even when not asked for, as in PyTorch.
    impl: (x: Tensor, _sorted: boolean, inv: boolean, cnt: boolean) => unique('aten::_unique2', x, null, false, inv || x.numel === 0 ? [...x.shape] : null, cnt),
  },
  {
    schema: 'aten::unique_dim(Tensor self, int dim, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)',
    tags: U,
    impl: (x: Tensor, dim: number) => unique('aten::unique_dim', x, dim, false, [x.dim ? x.shape[wrapDim('aten::unique_dim', dim, x.dim)] : 1], true),
  },
  {
    schema: 'aten::unique_consecutive(Tensor self, bool return_inverse=False, bool return_counts=False, int? dim=None) -> (Tensor, Tensor, Tensor)',
    tags: U,
    impl: (x: Tensor, inv: boolean, cnt: boolean, dim: number | null) =>
      unique('aten::unique_consecutive', x, dim, true, inv ? (dim === null ? [...x.shape] : [x.shape[wrapDim('aten::unique_consecutive', dim, x.dim)]]) : null, cnt),
  },
];
