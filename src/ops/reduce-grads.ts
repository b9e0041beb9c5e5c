// Derivatives of the reduction, scan and softmax rows (derivatives.yaml: sum_backward,
// mean_backward, prod_backward, evenly_distribute_backward, var_backward, logsumexp_backward,
// norm_backward, softmax_backward_data ...), written with op calls.
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { abs, add, cat, cumprod, cumsum, div, eq, exp, expand, flip, logicalAnd, logicalOr, ne, mul, narrow, onesLike, pow, reducedCount, reducedMask, reshape, scatter, sign, sub, sum, to, unsqueeze, unreduce, where, zerosLike } from '../autograd/calc.js';

type T = Tensor;
type Dims = number | readonly number[] | null;

/** Gradient of a sum over `dim` (None: all), cast back to the input's dtype. */
const sumBack = (g: T, x: T, dim: Dims, keepdim: boolean): T => to(unreduce(g, x.shape, dim, keepdim), x.dtype);

export const gradSumAll: GradRule = ([g], [x]) => [sumBack(g!, x, null, false), null];
export const gradSumDim: GradRule = ([g], [x, dim, keepdim]) => [sumBack(g!, x, dim, keepdim), null, null, null];
export const gradMeanAll: GradRule = ([g], [x]) => [div(sumBack(g!, x, null, false), Math.max(x.numel, 1)), null];
export const gradMeanDim: GradRule = ([g], [x, dim, keepdim]) => [div(sumBack(g!, x, dim, keepdim), reducedCount(x.shape, reducedMask(x.dim, dim))), null, null, null];

/** Product of the other elements along `dim`, zero-safe: exclusive cumprods from both ends. */
function prodOthers(x: T, dim: number): T {
  const n = x.shape[dim];
  const exclusive = (v: T): T => (n === 1 ? onesLike(v) : cat([onesLike(narrow(v, dim, 0, 1)), narrow(cumprod(v, dim), dim, 0, n - 1)], dim));
  return mul(exclusive(x), flip(exclusive(flip(x, [dim])), [dim]));
}

export const gradProdAll: GradRule = ([g], [x]) => {
  if (x.numel === 0) return [zerosLike(x), null];
  const flat = reshape(x, [x.numel]);
  return [mul(reshape(prodOthers(flat, 0), x.shape), g!), null];
};
export const gradProdDim: GradRule = ([g], [x, dim, keepdim]) => {
  if (x.dim === 0) return [mul(onesLike(x), g!), null, null, null];
  const d = ((dim % x.dim) + x.dim) % x.dim;
  return [mul(prodOthers(x, d), unreduce(g!, x.shape, d, keepdim)), null, null, null];
};

/** Ties share the gradient evenly (amax/amin/max()/min(): scale_grad_by_count). */
function evenly(g: T, x: T, y: T, dim: Dims, keepdim: boolean): T {
  const yb = unreduce(y, x.shape, dim, keepdim);
  const hit = to(logicalOr(eq(x, yb), logicalAnd(ne(x, x), ne(yb, yb))), x.dtype);
  const mask = reducedMask(x.dim, dim);
  const dims = mask.flatMap((m, d) => (m ? [d] : []));
  const count = dims.length ? sum(hit, dims, true) : hit;
  return div(mul(hit, unreduce(g, x.shape, dim, keepdim)), expand(count, x.shape));
}
export const gradAmaxAmin: GradRule = ([g], [x, dim, keepdim], [y]) => [evenly(g!, x, y, dim, keepdim), null, null];
export const gradExtremumAll: GradRule = ([g], [x], [y]) => [evenly(g!, x, y, null, false)];

/** Values picked by indices along `dim` (max.dim, sort, topk): the gradient goes back to where they came from. */
function toIndices(g: T, x: T, dim: number, indices: T, keepdim: boolean): T {
  if (x.dim === 0) return g;
  const d = ((dim % x.dim) + x.dim) % x.dim;
  const gk = keepdim ? g : unsqueeze(g, d), ik = keepdim ? indices : unsqueeze(indices, d);
  return scatter(zerosLike(x), d, ik, gk);
}
export const gradExtremumDim: GradRule = ([g], [x, dim, keepdim], [, idx]) => [g ? toIndices(g, x, dim, idx, keepdim) : null, null, null];

/** var/std (and their _mean twins) for each overload: (unbiased), .dim, .correction. */
export function gradVarStd(what: 'var' | 'std' | 'var_mean' | 'std_mean', overload: 'plain' | 'dim' | 'correction'): GradRule {
  return (grads, args, outs) => {
    const x: T = args[0];
    const [dim, correction, keepdim] =
      overload === 'plain' ? [null, +args[1], false] : overload === 'dim' ? [args[1], +args[2], args[3]] : [args[1], args[2] ?? 1, args[3]];
    const n = reducedCount(x.shape, reducedMask(x.dim, dim));
    const mask = reducedMask(x.dim, dim);
    const dims = mask.flatMap((m, d) => (m ? [d] : []));
    const centered = sub(x, div(expand(sum(x, dims, true), x.shape), n));
    let gx: T | null = null;
    const [gStat, gMean] = grads;
    if (gStat) {
      // var_backward: 2/(N - correction) * grad * (x - mean); std divides by 2*std first.
      const gv = what.startsWith('std') ? div(gStat, mul(outs[0], 2)) : gStat;
      gx = mul(unreduce(gv, x.shape, dim, keepdim), mul(centered, 2 / Math.max(n - correction, 0)));
    }
    if (gMean) {
      const gm = div(unreduce(gMean, x.shape, dim, keepdim), n);
      gx = gx ? add(gx, gm) : gm;
    }
    return [gx, ...args.slice(1).map(() => null)];
  };
}

export const gradLogsumexp: GradRule = ([g], [x, dim, keepdim], [y]) => [mul(unreduce(g!, x.shape, dim, keepdim), exp(sub(x, unreduce(y, x.shape, dim, keepdim)))), null, null];

/** norm_backward for a p-norm over `dim` (p: 0, 1, 2, inf, or any other). */
function normBack(g: T, x: T, p: number, y: T, dim: Dims, keepdim: boolean): T {
  const gb = unreduce(g, x.shape, dim, keepdim), yb = unreduce(y, x.shape, dim, keepdim);
  if (p === 0) return zerosLike(x);
  if (p === 1) return mul(sign(x), gb);
  if (p === Infinity || p === -Infinity) return mul(evenly(g, abs(x), y, dim, keepdim), sign(x));
  if (p === 2) return where(eq(yb, 0), 0, div(mul(x, gb), yb));
  const scale = mul(x, pow(abs(x), p - 2));
  return where(eq(yb, 0), 0, div(mul(scale, gb), pow(yb, p - 1)));
}
export const gradNormScalar: GradRule = ([g], [x, p], [y]) => [normBack(g!, x, Number(p ?? 2), y, null, false), null];
export const gradNormDim: GradRule = ([g], [x, p, dim, keepdim], [y]) => [normBack(g!, x, Number(p ?? 2), y, dim, keepdim), null, null, null];
export const gradVectorNorm: GradRule = ([g], [x, ord, dim, keepdim], [y]) => [to(normBack(g!, x, Number(ord), y, dim, keepdim), x.dtype), null, null, null, null];

/** Reversed cumulative sum along `dim` (the adjoint of cumsum). */
const revCumsum = (g: T, dim: number): T => flip(cumsum(flip(g, [dim]), dim), [dim]);

export const gradCumsum: GradRule = ([g], [x, dim]) => [x.dim === 0 ? to(g!, x.dtype) : to(revCumsum(g!, ((dim % x.dim) + x.dim) % x.dim), x.dtype), null, null];
/** cumprod_backward for inputs without zeros: sum_{j>=i} g_j y_j / x_i. */
export const gradCumprod: GradRule = ([g], [x, dim], [y]) => {
  if (x.dim === 0) return [to(g!, x.dtype), null, null];
  const d = ((dim % x.dim) + x.dim) % x.dim;
  return [to(div(revCumsum(mul(g!, y), d), x), x.dtype), null, null];
};

/** softmax_backward_data: y * (g - sum(g * y)). */
export const gradSoftmax: GradRule = ([g], [x, dim], [y]) => {
  const d = x.dim ? ((dim % x.dim) + x.dim) % x.dim : 0;
  const gy = mul(g!, y);
  const s = x.dim ? sum(gy, [d], true) : gy;
  return [to(sub(gy, mul(y, s)), x.dtype), null, null];
};
/** log_softmax_backward_data: g - exp(y) * sum(g). */
export const gradLogSoftmax: GradRule = ([g], [x, dim], [y]) => {
  const d = x.dim ? ((dim % x.dim) + x.dim) % x.dim : 0;
  const s = x.dim ? sum(g!, [d], true) : g!;
  return [to(sub(g!, mul(exp(y), s)), x.dtype), null, null];
};

/** sort/topk values: scattered back to where they were taken from (`dimArg`: the dim argument's position). */
export const gradSortValues = (dimArg: number): GradRule => (grads, args, [, idx]) => [grads[0] ? toIndices(grads[0], args[0], args[dimArg], idx, true) : null, ...args.slice(1).map(() => null)];
/** msort: sorted along dim 0, indices recomputed by the same sort. */
export const gradMsort: GradRule = ([g], [x]) => [toIndices(g!, x, 0, callOp('aten::sort', [x, 0])[1], true)];
