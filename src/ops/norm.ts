// Normalization rows: batch, instance, layer and group norm. Every one is "statistics over some
// elements, then (x - mean) * rstd * weight + bias per channel": the data is viewed as [N, C, S]
// (batch, affine channel, the rest) and each (n, c) picks its statistics slot. float32 runs on the
// kernels f32_moments and f32_norm_affine_minmax; other dtypes take the reference loops here
// (two-pass statistics in float64, read straight from wasm memory).
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { isFloating } from '../sdk/dtype.js';
import { DTypeError, OpError, ShapeError } from '../sdk/errors.js';
import { contiguous, copyInto, empty, fromValues, numelOf, values, withBlocks, withValues, writeValues } from './exec.js';
import type { OpDef } from './table.js';
import { gradBatchNorm, gradGroupNorm, gradInstanceNorm, gradLayerNorm } from './norm-grads.js';

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

interface Moments {
  mean: Float64Array;
  /** Biased variance. */
  var: Float64Array;
}

/** Per-channel mean and variance of `v` seen as [N, C, S], over N and S. */
function channelMoments(v: ArrayLike<number>, N: number, C: number, S: number): Moments {
  const mean = new Float64Array(C), vr = new Float64Array(C);
  const count = N * S;
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) s += v[i];
    const m = s / count;
    let q = 0;
    for (let n = 0; n < N; n++)
      for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
        const d = v[i] - m;
        q += d * d;
      }
    mean[c] = m;
    vr[c] = q / count;
  }
  return { mean, var: vr };
}

interface Stats {
  mean: ArrayLike<number>;
  rstd: ArrayLike<number>;
}

/**
 * The one normalization loop: out = (x - mean) * rstd * weight[c] + bias[c] over x seen as
 * [N, C, S], with statistics from `stats` (given the data) in the slot `slot(n, c)`.
 */
function normalize<T extends Stats>(x: Tensor, N: number, C: number, S: number, stats: (x: Tensor) => T, slot: (n: number, c: number) => number, weight: Tensor | null, bias: Tensor | null): { out: Tensor; stats: T } {
  const w = weight && values(weight), b = bias && values(bias);
  const st = stats(x);
  if (x.dtype === 'float32') return { out: affineF32(x, N, C, S, st, slot, w, b), stats: st };
  const res = withValues(x, (v) => {
    const res = new Float64Array(v.length);
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++) {
        const k = slot(n, c);
        const scale = st.rstd[k] * (w ? w[c] : 1);
        const shift = (b ? b[c] : 0) - st.mean[k] * scale;
        for (let i = (n * C + c) * S, e = i + S; i < e; i++) res[i] = v[i] * scale + shift;
      }
    return res;
  });
  return { out: fromValues(x.shape, x.dtype, res), stats: st };
}

/**
 * normalize's float32 path: one kernel call over rows of S elements with per-row mean, scale and
 * bias; when S is 1 and each batch row shares one statistics slot (layer norm), the C channels
 * are the elements of one row and weight/bias go per element.
 */
function affineF32(x: Tensor, N: number, C: number, S: number, st: Stats, slot: (n: number, c: number) => number, w: number[] | null, b: number[] | null): Tensor {
  const xc = contiguous(x), out = empty(x.shape, 'float32');
  let perElement = S === 1;
  for (let n = 0; n < N && perElement; n++) for (let c = 1; c < C && perElement; c++) perElement = slot(n, c) === slot(n, 0);
  const rows = perElement ? N : N * C, m = new Float64Array(rows), a = new Float64Array(rows), sh = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const n = perElement ? r : Math.floor(r / C), c = perElement ? 0 : r % C, k = slot(n, c);
    m[r] = st.mean[k];
    a[r] = st.rstd[k] * (w && !perElement ? w[c] : 1);
    sh[r] = b && !perElement ? b[c] : 0;
  }
  withBlocks([m, a, sh, perElement ? w : null, perElement ? b : null], (pm, pa, pb, pw, pc) =>
    engine().k.f32_norm_affine_minmax(xc.ptr, out.ptr, rows, perElement ? C : S, pm, pa, pb, pw, pc, -Infinity, Infinity));
  if (xc !== x) xc.dispose();
  return out;
}

/** channelMoments of x seen as [N, C, S]: per-(n, c) rows by f32_moments for float32, then combined over N. */
function momentsOf(x: Tensor, N: number, C: number, S: number): Moments {
  if (x.dtype !== 'float32') return withValues(x, (v) => channelMoments(v, N, C, S));
  const e = engine(), rows = N * C, xc = contiguous(x), buf = e.alloc(rows * 16);
  try {
    e.k.f32_moments(xc.ptr, rows, S, buf, buf + rows * 8);
    const rm = e.array('float64', buf, rows).slice() as Float64Array, rv = e.array('float64', buf + rows * 8, rows).slice() as Float64Array;
    if (N === 1) return { mean: rm, var: rv };
    const mean = new Float64Array(C), vr = new Float64Array(C);
    for (let k = 0; k < rows; k++) mean[k % C] += rm[k] / N;
    for (let k = 0; k < rows; k++) vr[k % C] += (rv[k] + (rm[k] - mean[k % C]) ** 2) / N;
    return { mean, var: vr };
  } finally {
    e.free(buf);
    if (xc !== x) xc.dispose();
  }
}

/** Statistics of the data for normalization: mean, biased variance and 1 / sqrt(var + eps). */
function dataStats(N: number, C: number, S: number, eps: number, clampVar = false) {
  return (x: Tensor) => {
    const m = momentsOf(x, N, C, S);
    return { ...m, rstd: m.var.map((q) => 1 / Math.sqrt((clampVar ? Math.max(q, 0) : q) + eps)) };
  };
}

/** Statistics given by running_mean / running_var. */
function runningStats(rm: Tensor, rv: Tensor, eps: number): () => Stats {
  const mean = values(rm), rstd = values(rv).map((q) => 1 / Math.sqrt(q + eps));
  return () => ({ mean, rstd });
}

function checkFloat(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new DTypeError(op, `expected a floating point input, but got ${x.dtype}`);
}

function checkFeatures(op: string, name: string, t: Tensor | null, C: number): void {
  if (t && t.numel !== C) throw new ShapeError(op, `${name} should contain ${C} elements not ${t.numel}`);
}

/** Writes `vals` into the running-statistics tensor `t` in place. */
function overwrite(t: Tensor, vals: ArrayLike<number>): void {
  if (t.isContiguous()) return writeValues(t, vals);
  const tmp = fromValues(t.shape, t.dtype, vals);
  copyInto(t, tmp);
  tmp.dispose();
}

/** running = (1 - momentum) * running + momentum * batch (PyTorch's running-statistics update). */
function updateRunning(t: Tensor | null, batch: ArrayLike<number>, momentum: number): void {
  if (!t) return;
  const old = values(t);
  overwrite(t, old.map((r, i) => (1 - momentum) * r + momentum * batch[i]));
}

/** Batch norm over `x` seen as [N, C, S]: statistics per channel over N and S. */
function batchNormCore(op: string, x: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null, training: boolean, momentum: number, eps: number): { out: Tensor; stats: Stats } {
  checkFloat(op, x);
  const C = x.shape[1];
  checkFeatures(op, 'running_mean', rm, C);
  checkFeatures(op, 'running_var', rv, C);
  checkFeatures(op, 'weight', weight, C);
  checkFeatures(op, 'bias', bias, C);
  const N = x.shape[0], S = numelOf(x.shape.slice(2)), slot = (_n: number, c: number) => c;
  if (!training) {
    if (!rm || !rv) throw new OpError(op, `running_${rm ? 'var' : 'mean'} must be defined in evaluation mode`);
    return normalize(x, N, C, S, runningStats(rm, rv, eps), slot, weight, bias);
  }
  const r = normalize(x, N, C, S, dataStats(N, C, S, eps), slot, weight, bias);
  const n = N * S;
  updateRunning(rm, r.stats.mean, momentum);
  updateRunning(rv, r.stats.var.map((q) => (q * n) / (n - 1)), momentum);
  return r;
}

function batchNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null, training: boolean, momentum: number, eps: number): Tensor {
  if (x.numel === 0) return empty(x.shape, x.dtype);
  if (x.dim < 2) throw new ShapeError('aten::batch_norm', `expected an input with at least 2 dims (N, C, ...), but got input of size ${shapeText(x.shape)}`);
  return batchNormCore('aten::batch_norm', x, weight, bias, rm, rv, training, momentum, eps).out;
}

/** (output, save_mean, save_invstd): the batch statistics in training, empty tensors in evaluation. */
function nativeBatchNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null, training: boolean, momentum: number, eps: number): Tensor[] {
  const r = batchNormCore('aten::native_batch_norm', x, weight, bias, rm, rv, training, momentum, eps);
  if (!training) return [r.out, empty([0], x.dtype), empty([0], x.dtype)];
  return [r.out, fromValues([r.stats.mean.length], x.dtype, r.stats.mean), fromValues([r.stats.rstd.length], x.dtype, r.stats.rstd)];
}

/** Per-channel average over the batch of [N, C] statistics. */
function batchAverage(a: Float64Array, N: number, C: number): Float64Array {
  const out = new Float64Array(C);
  for (let k = 0; k < a.length; k++) out[k % C] += a[k] / N;
  return out;
}

/**
 * Instance norm is batch norm over (1, N*C, ...) (as PyTorch computes it); running statistics,
 * when given, move towards the batch average of the per-instance statistics.
 */
function instanceNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, rm: Tensor | null, rv: Tensor | null, useInputStats: boolean, momentum: number, eps: number): Tensor {
  const op = 'aten::instance_norm';
  if (!useInputStats && (!rm || !rv)) throw new OpError(op, 'Expected running_mean and running_var to be defined when use_input_stats is false');
  if (x.dim < 2) throw new ShapeError(op, `expected an input with at least 2 dims (N, C, ...), but got input of size ${shapeText(x.shape)}`);
  checkFloat(op, x);
  const N = x.shape[0], C = x.shape[1], S = numelOf(x.shape.slice(2));
  for (const [name, t] of [['running_mean', rm], ['running_var', rv], ['weight', weight], ['bias', bias]] as const) checkFeatures(op, name, t, C);
  if (x.numel === 0) return empty(x.shape, x.dtype);
  if (!useInputStats) return normalize(x, N, C, S, runningStats(rm!, rv!, eps), (_n, c) => c, weight, bias).out;
  const r = normalize(x, N, C, S, dataStats(1, N * C, S, eps), (n, c) => n * C + c, weight, bias);
  updateRunning(rm, batchAverage(r.stats.mean, N, C), momentum);
  updateRunning(rv, batchAverage(r.stats.var.map((q) => (q * S) / (S - 1)), N, C), momentum);
  return r.out;
}

function layerNorm(x: Tensor, normalizedShape: number[], weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const op = 'aten::layer_norm';
  const ns = shapeText(normalizedShape);
  if (normalizedShape.length < 1) throw new ShapeError(op, `Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = ${ns}`);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const)
    if (t && shapeText(t.shape) !== ns) throw new ShapeError(op, `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${shapeText(t.shape)} and normalized_shape = ${ns}`);
  const k = normalizedShape.length;
  if (x.dim < k || shapeText(x.shape.slice(x.dim - k)) !== ns)
    throw new ShapeError(op, `Given normalized_shape=${ns}, expected input with shape [*, ${normalizedShape.join(', ')}], but got input of size${shapeText(x.shape)}`);
  checkFloat(op, x);
  const L = numelOf(normalizedShape), rows = L === 0 ? 0 : x.numel / L;
  if (x.numel === 0) return empty(x.shape, x.dtype);
  // Each row is a "batch" whose L elements are the affine channels.
  return normalize(x, rows, L, 1, dataStats(1, rows, L, eps, true), (n) => n, weight, bias).out;
}

function groupNorm(x: Tensor, groups: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const op = 'aten::group_norm';
  if (x.dim < 2) throw new ShapeError(op, `Expected at least 2 dimensions for input tensor but received ${x.dim}`);
  const N = x.shape[0], C = x.shape[1], S = numelOf(x.shape.slice(2));
  if (groups <= 0 || C % groups !== 0) throw new ShapeError(op, `Expected number of channels in input to be divisible by num_groups, but got input of shape ${shapeText(x.shape)} and num_groups=${groups}`);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const)
    if (t && (t.dim !== 1 || t.numel !== C)) throw new ShapeError(op, `Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${shapeText(t.shape)} and input of shape ${shapeText(x.shape)}`);
  checkFloat(op, x);
  if (x.numel === 0) return empty(x.shape, x.dtype);
  const perGroup = C / groups;
  return normalize(x, N, C, S, dataStats(1, N * groups, perGroup * S, eps, true), (n, c) => n * groups + Math.floor(c / perGroup), weight, bias).out;
}

export const NORM_OPS: OpDef[] = [
  { schema: 'aten::batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor', tags: ['opaque'], grad: gradBatchNorm, impl: batchNorm },
  { schema: 'aten::native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)', tags: ['opaque'], grad: gradBatchNorm, impl: nativeBatchNorm },
  { schema: 'aten::instance_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool use_input_stats, float momentum, float eps, bool cudnn_enabled) -> Tensor', tags: ['opaque'], grad: gradInstanceNorm, impl: instanceNorm },
  { schema: 'aten::layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1.0000000000000001e-05, bool cudnn_enable=True) -> Tensor', tags: ['opaque'], grad: gradLayerNorm, impl: layerNorm },
  { schema: 'aten::group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1.0000000000000001e-05, bool cudnn_enabled=True) -> Tensor', tags: ['opaque'], grad: gradGroupNorm, impl: groupNorm },
];
