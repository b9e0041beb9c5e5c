// Derivatives of the normalization rows (batch/instance/layer/group norm), as ATen's
// batchnorm_backward and layer_norm_backward compute them: with batch statistics
// dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)); with running statistics the
// normalization is an affine map.
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { add, mean, mul, reshape, rsqrt, sub, sum, sumTo, zerosLike } from '../autograd/calc.js';

type T = Tensor;

/** x standardized over `dims` with the biased variance (what the forward used). */
function standardize(x: T, dims: number[], eps: number): { xhat: T; rstd: T } {
  const m = mean(x, dims, true);
  const v = callOp('aten::var', [x, dims], { correction: 0, keepdim: true });
  const rstd = rsqrt(add(v, eps));
  return { xhat: mul(sub(x, m), rstd), rstd };
}

/** The input gradient through standardization over `dims`, given the gradient of xhat. */
const throughStats = (gxhat: T, xhat: T, rstd: T, dims: number[]): T =>
  mul(rstd, sub(sub(gxhat, mean(gxhat, dims, true)), mul(xhat, mean(mul(gxhat, xhat), dims, true))));

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
/** A per-channel [C] tensor shaped to broadcast against x's dim 1. */
const perChannel = (t: T, x: T): T => reshape(t, x.shape.map((s, d) => (d === 1 ? s : 1)));
const notChannel = (x: T): number[] => range(0, x.dim).filter((d) => d !== 1);

/** Per-channel affine normalization: statistics over `statDims` (null: running statistics `rm`, `rv`). */
function channelNormBack(g: T, x: T, w: T | null, b: T | null, statDims: number[] | null, rm: T | null, rv: T | null, eps: number): (T | null)[] {
  if (x.numel === 0) return [zerosLike(x), w && zerosLike(w), b && zerosLike(b)];
  const sumDims = notChannel(x);
  let gx: T, xhat: T;
  if (statDims) {
    const s = standardize(x, statDims, eps);
    xhat = s.xhat;
    gx = throughStats(w ? mul(g, perChannel(w, x)) : g, xhat, s.rstd, statDims);
  } else {
    const rstd = rsqrt(add(rv!, eps));
    xhat = mul(sub(x, perChannel(rm!, x)), perChannel(rstd, x));
    gx = mul(g, perChannel(w ? mul(w, rstd) : rstd, x));
  }
  return [gx, w ? sum(mul(g, xhat), sumDims) : null, b ? sum(g, sumDims) : null];
}

export const gradBatchNorm: GradRule = ([g], [x, w, b, rm, rv, training, _momentum, eps, ...rest]) => {
  const stats = training || !rm || !rv ? notChannel(x) : null;
  return [...channelNormBack(g!, x, w, b, stats, rm, rv, eps), null, null, null, null, null, ...rest.map(() => null)];
};

export const gradInstanceNorm: GradRule = ([g], [x, w, b, rm, rv, useInputStats, _momentum, eps]) => {
  const stats = useInputStats || !rm || !rv ? range(2, x.dim) : null;
  return [...channelNormBack(g!, x, w, b, stats, rm, rv, eps), null, null, null, null, null, null];
};

export const gradLayerNorm: GradRule = ([g], [x, shape, w, b, eps]) => {
  const dims = range(x.dim - shape.length, x.dim);
  const { xhat, rstd } = standardize(x, dims, eps);
  const gx = throughStats(w ? mul(g!, w) : g!, xhat, rstd, dims);
  return [gx, null, w ? sumTo(mul(g!, xhat), w.shape) : null, b ? sumTo(g!, b.shape) : null, null, null];
};

export const gradGroupNorm: GradRule = ([g], [x, groups, w, b, eps]) => {
  const N = x.shape[0];
  const grouped = [N, groups, x.numel / Math.max(1, N * groups)];
  const { xhat, rstd } = standardize(reshape(x, grouped), [2], eps);
  const gxhat = reshape(w ? mul(g!, perChannel(w, x)) : g!, grouped);
  const gx = reshape(throughStats(gxhat, xhat, rstd, [2]), x.shape);
  const xh = reshape(xhat, x.shape);
  return [gx, null, w ? sum(mul(g!, xh), notChannel(x)) : null, b ? sum(g!, notChannel(x)) : null, null, null];
};
