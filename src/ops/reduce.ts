// Reduction rows (sum/mean/prod, amax/amin/max/min/argmax/argmin, var/std, logsumexp, all/any,
// norms, count_nonzero) and the row machinery that scans, softmax and sort share: the input is
// laid out as a contiguous [outer, n, inner] block with the reduced dims making up n (one copy at
// most), then each of the outer*inner rows is reduced.
import * as K from '../../assembly/kernels/opcodes.js';
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { DTYPES, isFloating, type DType } from '../sdk/dtype.js';
import { DTypeError, OpError } from '../sdk/errors.js';
import { cast, contiguous, empty, fromValues, numelOf, wrapDim } from './exec.js';
import type { OpDef, Tag } from './table.js';
import { gradAmaxAmin, gradCumprod, gradCumsum, gradExtremumAll, gradExtremumDim, gradLogSoftmax, gradLogsumexp, gradMeanAll, gradMeanDim, gradNormDim, gradNormScalar, gradProdAll, gradProdDim, gradSoftmax, gradSumAll, gradSumDim, gradVarStd, gradVectorNorm } from './reduce-grads.js';

// ---- layout ----

/** The dims a dim argument reduces: None or [] means all (as PyTorch's make_dim_mask). */
export function reduceMask(op: string, x: Tensor, dim: number | readonly number[] | null): boolean[] {
  const mask = new Array<boolean>(x.dim).fill(dim === null || (Array.isArray(dim) && dim.length === 0));
  for (const d0 of dim === null ? [] : typeof dim === 'number' ? [dim] : dim) {
    const d = wrapDim(op, d0, x.dim);
    if (x.dim === 0) continue;
    if (mask[d]) throw new OpError(op, `dim ${d} appears multiple times in the list of dims`);
    mask[d] = true;
  }
  return mask;
}

function reducedShape(shape: readonly number[], mask: readonly boolean[], keepdim: boolean): number[] {
  return keepdim ? shape.map((s, d) => (mask[d] ? 1 : s)) : shape.filter((_, d) => !mask[d]);
}

/** `src` holds x's values as [outer, n, inner]; output element k = o * inner + i is row (o, i). */
export interface Rows {
  src: Tensor;
  outer: number;
  n: number;
  inner: number;
}

/** Lays `x` out as rows over the dims in `mask`; the caller disposes `src` when it is not `x`. */
export function rowsOf(x: Tensor, mask: readonly boolean[]): Rows {
  // Size-1 dims don't change the layout, so they never force a permuting copy.
  const red = mask.flatMap((m, d) => (m && x.shape[d] !== 1 ? [d] : []));
  if (red.length === 0 || red[red.length - 1] - red[0] === red.length - 1) {
    const a = red[0] ?? x.dim, b = red.length ? red[red.length - 1] + 1 : x.dim;
    return { src: contiguous(x), outer: numelOf(x.shape.slice(0, a)), n: numelOf(x.shape.slice(a, b)), inner: numelOf(x.shape.slice(b)) };
  }
  // Non-adjacent reduced dims: permute them last, then one contiguous copy.
  const kept = [...x.shape.keys()].filter((d) => !red.includes(d));
  const perm = kept.concat(red);
  const view = x.asStrided(perm.map((d) => x.shape[d]), perm.map((d) => x.strides[d]));
  const src = contiguous(view);
  if (src !== view) view.dispose();
  return { src, outer: numelOf(kept.map((d) => x.shape[d])), n: numelOf(red.map((d) => x.shape[d])), inner: 1 };
}

export const releaseRows = (r: Rows, x: Tensor) => r.src !== x && r.src.dispose();

/** Element index of row k's first value in `src`. */
const rowBase = (r: Rows, k: number) => Math.floor(k / r.inner) * r.n * r.inner + (k % r.inner);

/** Calls `fn` with each row's values (as f64; int64 via Number) and its output index. */
export function eachRow(r: Rows, fn: (row: Float64Array, k: number) => void): void {
  const { n, inner } = r;
  const a = engine().array(r.src.dtype, r.src.ptr, r.src.numel);
  const row = new Float64Array(n);
  for (let k = 0, rows = r.outer * inner; k < rows; k++) {
    const base = rowBase(r, k);
    for (let j = 0; j < n; j++) row[j] = Number(a[base + j * inner]);
    fn(row, k);
  }
}

/** A tensor of `shape` holding, for row k, the source values at positions idx[k * per + j] (j < per) along the row: exact for every dtype. */
export function gatherRows(r: Rows, shape: readonly number[], idx: ArrayLike<number>, per = 1): Tensor {
  const out = empty(shape, r.src.dtype);
  const e = engine();
  const a = e.array(r.src.dtype, r.src.ptr, r.src.numel), o = e.array(out.dtype, out.ptr, out.numel);
  // Row k's `per` results are strided by `inner` in the output, as its values are in the source.
  for (let t = 0; t < idx.length; t++) {
    const k = Math.floor(t / per), j = t % per;
    o[outIndex(r, k, j, per)] = a[rowBase(r, k) + idx[t] * r.inner];
  }
  return out;
}

/** Output element index of result j of row k when each row yields `per` results along the row dim. */
export const outIndex = (r: Rows, k: number, j: number, per: number) => Math.floor(k / r.inner) * per * r.inner + (k % r.inner) + j * r.inner;

// ---- reductions ----

type RowFn = (row: Float64Array) => number;

/** A kernel that reduces f32 rows into a contiguous f32 output (element k = row k). */
type F32Kernel = (r: Rows, out: Tensor) => void;

const f32Reduce = (op: number): F32Kernel => (r, out) => engine().k.f32_reduce(op, r.src.ptr, out.ptr, r.outer, r.n, r.inner);
const f32Var = (correction: number, std: boolean): F32Kernel => (r, out) => {
  const k = engine().k;
  k.f32_var(r.src.ptr, out.ptr, r.outer, r.n, r.inner, correction);
  if (std) k.f32_unary(K.UNARY_SQRT, out.ptr, out.ptr, out.numel, 0, 0);
};

/** Reduces each row into `dtype`: f32 to f32 with `kernel` when there is one, else `fn` in f64. */
function reduceRows(r: Rows, shape: readonly number[], dtype: DType, fn: RowFn, kernel?: F32Kernel): Tensor {
  if (kernel && r.src.dtype === 'float32' && dtype === 'float32') {
    const out = empty(shape, 'float32');
    if (out.numel) kernel(r, out);
    return out;
  }
  const vals = new Float64Array(r.outer * r.inner);
  eachRow(r, (row, k) => (vals[k] = fn(row)));
  return fromValues(shape, dtype, vals);
}

function reduce(x: Tensor, mask: boolean[], keepdim: boolean, dtype: DType, fn: RowFn, kernel?: F32Kernel): Tensor {
  const r = rowsOf(x, mask);
  const out = reduceRows(r, reducedShape(x.shape, mask, keepdim), dtype, fn, kernel);
  releaseRows(r, x);
  return out;
}

const sumRow: RowFn = (row) => {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += row[j];
  return s;
};
const meanRow: RowFn = (row) => sumRow(row) / row.length;
const prodRow: RowFn = (row) => {
  let p = 1;
  for (let j = 0; j < row.length; j++) p *= row[j];
  return p;
};

/** Index of the largest (or smallest) value: the first NaN if any, else the first extreme. */
function argExtreme(row: ArrayLike<number>, largest: boolean): number {
  let best = 0;
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (v !== v) return j;
    if (largest ? v > row[best] : v < row[best]) best = j;
  }
  return best;
}

function varRow(correction: number, std: boolean): RowFn {
  return (row) => {
    const mean = meanRow(row);
    let m2 = 0;
    for (let j = 0; j < row.length; j++) m2 += (row[j] - mean) ** 2;
    const v = m2 / Math.max(row.length - correction, 0);
    return std ? Math.sqrt(v) : v;
  };
}

function logsumexpRow(row: Float64Array): number {
  let m = -Infinity;
  for (let j = 0; j < row.length; j++) m = row[j] > m || row[j] !== row[j] ? row[j] : m;
  if (m !== m) return NaN;
  if (!Number.isFinite(m)) m = 0; // all -inf gives -inf; any +inf gives +inf
  let s = 0;
  for (let j = 0; j < row.length; j++) s += Math.exp(row[j] - m);
  return m + Math.log(s);
}

function normRow(p: number): RowFn {
  return (row) => {
    if (p === Infinity || p === -Infinity) {
      let m = p === Infinity ? 0 : Infinity;
      for (let j = 0; j < row.length; j++) {
        const a = Math.abs(row[j]);
        if (a !== a) return NaN;
        m = p === Infinity ? Math.max(m, a) : Math.min(m, a);
      }
      return m;
    }
    let s = 0;
    for (let j = 0; j < row.length; j++) s += p === 0 ? +(row[j] !== 0) : Math.abs(row[j]) ** p;
    return p === 0 || p === 1 ? s : s ** (1 / p);
  };
}

const short = (d: DType) => DTYPES[d].short;
const opName = (op: string) => op.slice('aten::'.length);

/** sum/prod: `dtype` casts first; integer and bool inputs accumulate as int64. */
function sumLike(op: string, fn: RowFn, kernel: number) {
  return (x: Tensor, dim: number[] | null, keepdim: boolean, dtype: DType | null): Tensor => {
    const out = dtype ?? (isFloating(x.dtype) ? x.dtype : 'int64');
    const src = cast(x, out);
    const res = reduce(src, reduceMask(op, x, dim), keepdim, out, fn, f32Reduce(kernel));
    if (src !== x) src.dispose();
    return res;
  };
}
const sum = sumLike('aten::sum', sumRow, K.REDUCE_SUM);
const prod = sumLike('aten::prod', prodRow, K.REDUCE_PROD);

function mean(x: Tensor, dim: number[] | null, keepdim: boolean, dtype: DType | null): Tensor {
  const out = dtype ?? x.dtype;
  if (!isFloating(out))
    throw new DTypeError('aten::mean', `mean(): could not infer output dtype. ${dtype ? 'Optional' : 'Input'} dtype must be either a floating point or complex dtype. Got: ${short(out)}`);
  const src = cast(x, out);
  const res = reduce(src, reduceMask('aten::mean', x, dim), keepdim, out, meanRow, f32Reduce(K.REDUCE_MEAN));
  if (src !== x) src.dispose();
  return res;
}

/** PyTorch's checks before a reduction that has no identity (max, argmax, amax ...). */
function checkNonEmpty(op: string, x: Tensor, mask: boolean[], allDims: boolean): void {
  if (x.numel !== 0) return;
  if (allDims) throw new OpError(op, `${opName(op)}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  const d = mask.findIndex((m, i) => m && x.shape[i] === 0);
  if (d >= 0) throw new OpError(op, `${opName(op)}(): Expected reduction dim ${d} to have non-zero size.`);
}

/** Values and/or indices of the extremes over `mask`. */
function extreme(op: string, x: Tensor, dim: number | readonly number[] | null, keepdim: boolean, largest: boolean): { values: Tensor; indices: Tensor } {
  const mask = reduceMask(op, x, dim);
  checkNonEmpty(op, x, mask, dim === null || (Array.isArray(dim) && dim.length === 0));
  const r = rowsOf(x, mask);
  const shape = reducedShape(x.shape, mask, keepdim);
  let values: Tensor, indices: Tensor;
  if (x.dtype === 'float32') {
    values = empty(shape, 'float32');
    indices = empty(shape, 'int64');
    if (values.numel) engine().k.f32_arg_reduce(largest ? K.ARG_MAX : K.ARG_MIN, r.src.ptr, indices.ptr, values.ptr, r.outer, r.n, r.inner);
  } else {
    const idx = new Float64Array(r.outer * r.inner);
    eachRow(r, (row, k) => (idx[k] = argExtreme(row, largest)));
    values = gatherRows(r, shape, idx);
    indices = fromValues(shape, 'int64', idx);
  }
  releaseRows(r, x);
  return { values, indices };
}

function values(op: string, largest: boolean) {
  return (x: Tensor, dim: number[] | null = null, keepdim = false): Tensor => {
    if (x.dtype === 'float32') {
      const mask = reduceMask(op, x, dim);
      checkNonEmpty(op, x, mask, dim === null || dim.length === 0);
      return reduce(x, mask, keepdim, 'float32', (row) => row[argExtreme(row, largest)], f32Reduce(largest ? K.REDUCE_MAX : K.REDUCE_MIN));
    }
    // Other dtypes gather the extremes, so int64 values stay exact.
    const { values, indices } = extreme(op, x, dim, keepdim, largest);
    indices.dispose();
    return values;
  };
}

function indices(op: string, largest: boolean) {
  return (x: Tensor, dim: number | null, keepdim: boolean): Tensor => {
    if (x.dtype === 'bool') throw new DTypeError(op, `"${opName(op)}_cpu" not implemented for 'Bool'`);
    const { values, indices } = extreme(op, x, dim, keepdim, largest);
    values.dispose();
    return indices;
  };
}

/** A multiple-return result: an array that also has PyTorch's named fields (values, indices). */
export function namedPair(values: Tensor, indices: Tensor): [Tensor, Tensor] & { values: Tensor; indices: Tensor } {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

function extremeDim(op: string, largest: boolean) {
  return (x: Tensor, dim: number, keepdim: boolean) => {
    const { values, indices } = extreme(op, x, dim, keepdim, largest);
    return namedPair(values, indices);
  };
}

function varStd(op: string, x: Tensor, dim: number[] | null, correction: number | null, keepdim: boolean, what: 'var' | 'std' | 'var_mean' | 'std_mean'): Tensor | Tensor[] {
  if (!isFloating(x.dtype)) throw new DTypeError(op, `std and var only support floating point and complex dtypes`);
  const c = correction ?? 1, std = what.startsWith('std');
  const mask = reduceMask(op, x, dim);
  const shape = reducedShape(x.shape, mask, keepdim);
  const r = rowsOf(x, mask);
  const res = reduceRows(r, shape, x.dtype, varRow(c, std), f32Var(c, std));
  const out = what.endsWith('_mean') ? [res, reduceRows(r, shape, x.dtype, meanRow, f32Reduce(K.REDUCE_MEAN))] : res;
  releaseRows(r, x);
  return out;
}

/** Rows for var, std, var_mean, std_mean: (unbiased), .dim and .correction overloads. */
function varStdRows(what: 'var' | 'std' | 'var_mean' | 'std_mean'): OpDef[] {
  const op = `aten::${what}`, ret = what.endsWith('_mean') ? '(Tensor, Tensor)' : 'Tensor';
  return [
    { schema: `${op}(Tensor self, bool unbiased=True) -> ${ret}`, tags: R, grad: gradVarStd(what, 'plain'), impl: (x: Tensor, u: boolean) => varStd(op, x, null, +u, false, what) },
    { schema: `${op}.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> ${ret}`, tags: R, grad: gradVarStd(what, 'dim'), impl: (x: Tensor, d: number[] | null, u: boolean, k: boolean) => varStd(op, x, d, +u, k, what) },
    { schema: `${op}.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> ${ret}`, tags: R, grad: gradVarStd(what, 'correction'), impl: (x: Tensor, d: number[] | null, c: number | null, k: boolean) => varStd(op, x, d, c, k, what) },
  ];
}

function logsumexp(x: Tensor, dim: number[], keepdim: boolean): Tensor {
  const out = isFloating(x.dtype) ? x.dtype : 'float32';
  const src = cast(x, out);
  const res = reduce(src, reduceMask('aten::logsumexp', x, dim), keepdim, out, logsumexpRow, f32Reduce(K.REDUCE_LOGSUMEXP));
  if (src !== x) src.dispose();
  return res;
}

function allAny(op: string, every: boolean) {
  return (x: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor =>
    // PyTorch keeps uint8 for uint8 inputs; everything else gives bool.
    reduce(x, reduceMask(op, x, dim), keepdim, x.dtype === 'uint8' ? 'uint8' : 'bool', every ? (row) => +row.every((v) => v !== 0) : (row) => +row.some((v) => v !== 0));
}

function norm(op: string, x: Tensor, p: number | null, dim: number[] | null, keepdim: boolean, dtype: DType | null = null): Tensor {
  if (!isFloating(x.dtype)) throw new DTypeError(op, `${opName(op)}(): input dtype should be either floating point or complex. Got ${short(x.dtype)} instead.`);
  const ord = p ?? 2;
  const mask = reduceMask(op, x, dim);
  if (ord < 0) checkNonEmpty(op, x, mask, dim === null || dim.length === 0);
  const src = dtype ? cast(x, dtype) : x;
  const res = reduce(src, mask, keepdim, src.dtype, normRow(ord), ord === 2 ? f32Reduce(K.REDUCE_NORM2) : undefined);
  if (src !== x) src.dispose();
  return res;
}

function countNonzero(x: Tensor, dim: number | number[] | null): Tensor {
  return reduce(x, reduceMask('aten::count_nonzero', x, dim), false, 'int64', (row) => row.reduce((s, v) => s + +(v !== 0), 0));
}

// ---- scans and softmax: a row in, a row of the same length out ----

/**
 * Maps each row along `dim` to a row of the same length in a new tensor of x's shape: f32 to f32
 * with `kernel`, otherwise with `fn` in f64.
 */
function mapRows(op: string, x: Tensor, dim: number, dtype: DType, fn: (row: Float64Array, out: Float64Array) => void, kernel: F32Kernel): Tensor {
  const r = rowsOf(x, reduceMask(op, x, dim));
  let out: Tensor;
  if (x.dtype === 'float32' && dtype === 'float32') {
    out = empty(x.shape, 'float32');
    if (out.numel) kernel(r, out);
  } else {
    const vals = new Float64Array(x.numel), res = new Float64Array(r.n);
    eachRow(r, (row, k) => {
      fn(row, res);
      for (let j = 0; j < r.n; j++) vals[outIndex(r, k, j, r.n)] = res[j];
    });
    out = fromValues(x.shape, dtype, vals);
  }
  releaseRows(r, x);
  return out;
}

/** cumsum/cumprod: `dtype` casts first; integer and bool inputs accumulate as int64. */
function scan(op: string, mul: boolean) {
  return (x: Tensor, dim: number, dtype: DType | null): Tensor => {
    const out = dtype ?? (isFloating(x.dtype) ? x.dtype : 'int64');
    const src = cast(x, out);
    const kernel: F32Kernel = (r, y) => engine().k[mul ? 'f32_cumprod' : 'f32_cumsum'](r.src.ptr, y.ptr, r.outer, r.n, r.inner);
    const res = mapRows(op, src, dim, out, (row, o) => {
      let acc = mul ? 1 : 0;
      for (let j = 0; j < row.length; j++) o[j] = acc = mul ? acc * row[j] : acc + row[j];
    }, kernel);
    if (src !== x) src.dispose();
    return res;
  };
}

function softmax(op: string, log: boolean) {
  return (x: Tensor, dim: number, dtype: DType | null): Tensor => {
    const src = dtype ? cast(x, dtype) : x;
    if (!isFloating(src.dtype)) throw new DTypeError(op, `"${log ? 'log_softmax' : 'softmax'}_lastdim_kernel_impl" not implemented for '${short(src.dtype)}'`);
    const kernel: F32Kernel = (r, y) => engine().k.f32_softmax(r.src.ptr, y.ptr, r.outer, r.n, r.inner, +log);
    const res = mapRows(op, src, dim, src.dtype, (row, o) => {
      const lse = logsumexpRow(row);
      for (let j = 0; j < row.length; j++) o[j] = log ? row[j] - lse : Math.exp(row[j] - lse);
    }, kernel);
    if (src !== x) src.dispose();
    return res;
  };
}

/** aten::_softmax / _log_softmax: half_to_float only applies to Half inputs, which we don't hold. */
function softmaxInternal(op: string, log: boolean) {
  const f = softmax(op, log);
  return (x: Tensor, dim: number, halfToFloat: boolean) => {
    if (halfToFloat) throw new OpError(op, 'conversion is supported for Half type only');
    return f(x, dim, null);
  };
}

const R: Tag[] = ['reduce'];

export const REDUCE_OPS: OpDef[] = [
  { schema: 'aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradSumAll, impl: (x: Tensor, dt: DType | null) => sum(x, null, false, dt) },
  { schema: 'aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradSumDim, impl: sum },
  { schema: 'aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradProdAll, impl: (x: Tensor, dt: DType | null) => prod(x, null, false, dt) },
  { schema: 'aten::prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradProdDim, impl: (x: Tensor, d: number, k: boolean, dt: DType | null) => prod(x, [d], k, dt) },
  { schema: 'aten::mean(Tensor self, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradMeanAll, impl: (x: Tensor, dt: DType | null) => mean(x, null, false, dt) },
  { schema: 'aten::mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradMeanDim, impl: mean },
  { schema: 'aten::amax(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor', tags: R, grad: gradAmaxAmin, impl: values('aten::amax', true) },
  { schema: 'aten::amin(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor', tags: R, grad: gradAmaxAmin, impl: values('aten::amin', false) },
  { schema: 'aten::max(Tensor self) -> Tensor', tags: R, grad: gradExtremumAll, impl: values('aten::max', true) },
  { schema: 'aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)', tags: R, grad: gradExtremumDim, impl: extremeDim('aten::max', true) },
  { schema: 'aten::min(Tensor self) -> Tensor', tags: R, grad: gradExtremumAll, impl: values('aten::min', false) },
  { schema: 'aten::min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)', tags: R, grad: gradExtremumDim, impl: extremeDim('aten::min', false) },
  { schema: 'aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor', tags: R, impl: indices('aten::argmax', true) },
  { schema: 'aten::argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor', tags: R, impl: indices('aten::argmin', false) },
  ...varStdRows('var'),
  ...varStdRows('std'),
  ...varStdRows('var_mean'),
  ...varStdRows('std_mean'),
  { schema: 'aten::logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor', tags: R, grad: gradLogsumexp, impl: logsumexp },
  { schema: 'aten::all(Tensor self) -> Tensor', tags: R, impl: allAny('aten::all', true) },
  { schema: 'aten::all.dim(Tensor self, int dim, bool keepdim=False) -> Tensor', tags: R, impl: allAny('aten::all', true) },
  { schema: 'aten::all.dims(Tensor self, int[]? dim=None, bool keepdim=False) -> Tensor', tags: R, impl: allAny('aten::all', true) },
  { schema: 'aten::any(Tensor self) -> Tensor', tags: R, impl: allAny('aten::any', false) },
  { schema: 'aten::any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor', tags: R, impl: allAny('aten::any', false) },
  { schema: 'aten::any.dims(Tensor self, int[]? dim=None, bool keepdim=False) -> Tensor', tags: R, impl: allAny('aten::any', false) },
  { schema: 'aten::norm.Scalar(Tensor self, Scalar p=2) -> Tensor', tags: R, grad: gradNormScalar, impl: (x: Tensor, p: number) => norm('aten::norm', x, p, null, false) },
  { schema: 'aten::norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor', tags: R, grad: gradNormDim, impl: (x: Tensor, p: number | null, d: number[], k: boolean) => norm('aten::norm', x, p, d, k) },
  { schema: 'aten::linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradVectorNorm, impl: (x: Tensor, p: number, d: number[] | null, k: boolean, dt: DType | null) => norm('aten::linalg_vector_norm', x, p, d, k, dt) },
  { schema: 'aten::count_nonzero(Tensor self, int? dim=None) -> Tensor', tags: R, impl: countNonzero },
  { schema: 'aten::count_nonzero.dim_IntList(Tensor self, int[] dim) -> Tensor', tags: R, impl: countNonzero },
  { schema: 'aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradCumsum, impl: scan('aten::cumsum', false) },
  { schema: 'aten::cumprod(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradCumprod, impl: scan('aten::cumprod', true) },
  { schema: 'aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradSoftmax, impl: softmax('aten::softmax', false) },
  { schema: 'aten::_softmax(Tensor self, int dim, bool half_to_float) -> Tensor', tags: R, grad: gradSoftmax, impl: softmaxInternal('aten::_softmax', false) },
  { schema: 'aten::log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor', tags: R, grad: gradLogSoftmax, impl: softmax('aten::log_softmax', true) },
  { schema: 'aten::_log_softmax(Tensor self, int dim, bool half_to_float) -> Tensor', tags: R, grad: gradLogSoftmax, impl: softmaxInternal('aten::_log_softmax', true) },
];
