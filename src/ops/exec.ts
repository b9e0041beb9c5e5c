// How op rows run kernels: shapes, broadcasting, strided copies, casts, and the generic
// (any dtype) loops that back the f32 SIMD kernels — the "boring twin" of every fast path.
import { engine } from '../engine/engine.js';
import { Tensor, contiguousStrides, numelOf } from '../sdk/tensor.js';
import { DTYPES, isFloating, type DType } from '../sdk/dtype.js';
import { OpError, ShapeError } from '../sdk/errors.js';

export const MAX_DIMS = 8;

/** Wraps a possibly negative dim into [0, ndim) as PyTorch's maybe_wrap_dim does. */
export function wrapDim(op: string, dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) throw new OpError(op, `Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  return dim < 0 ? dim + n : dim;
}

export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (let i = 0; i < nd; i++) {
    for (let k = 0; k < shapes.length; k++) {
      const s = shapes[k];
      const d = s[s.length - nd + i] ?? 1;
      if (d === 1) continue;
      if (out[i] !== 1 && out[i] !== d) {
        const a = shapes.findIndex((x) => (x[x.length - nd + i] ?? 1) === out[i]);
        throw new ShapeError(op, `The size of tensor ${a === 0 ? 'a' : 'b'} (${out[i]}) must match the size of tensor ${a === 0 ? 'b' : 'a'} (${d}) at non-singleton dimension ${i}`);
      }
      out[i] = d;
    }
  }
  return out;
}

/** Element strides of `t` seen with `shape` (0 along broadcast dims). */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const nd = shape.length, off = nd - t.dim;
  return shape.map((_, i) => (i < off || t.shape[i - off] === 1 ? 0 : t.strides[i - off]));
}

/** Drops size-1 dims and merges dims that are contiguous in every operand (fewer loop levels). */
export function coalesce(shape: readonly number[], strides: number[][]): { shape: number[]; strides: number[][] } {
  const s: number[] = [], st: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && strides.every((x, k) => st[k][last] === x[i] * shape[i])) {
      s[last] *= shape[i];
      strides.forEach((x, k) => (st[k][last] = x[i]));
    } else {
      s.push(shape[i]);
      strides.forEach((x, k) => st[k].push(x[i]));
    }
  }
  if (s.length === 0) return { shape: [1], strides: strides.map(() => [1]) };
  return { shape: s, strides: st };
}

export function empty(shape: readonly number[], dtype: DType): Tensor {
  return Tensor.empty(shape, dtype);
}

/** A contiguous tensor with `t`'s values (`t` itself when already contiguous and `copy` is false). */
export function contiguous(t: Tensor, copy = false): Tensor {
  if (!copy && t.isContiguous()) return t;
  const out = empty(t.shape, t.dtype);
  if (t.numel === 0) return out;
  const { shape, strides } = coalesce(t.shape, [[...t.strides]]);
  if (shape.length > MAX_DIMS) throw new OpError('aten::contiguous', `at most ${MAX_DIMS} non-mergeable dims supported`);
  const e = engine();
  e.k.copy_nd(t.itemsize, t.ptr, out.ptr, e.writeDesc([shape.length, ...shape, ...strides[0]]));
  return out;
}

/** `t` converted to `dtype` (a new tensor unless it already has it and is contiguous). */
export function cast(t: Tensor, dtype: DType, copy = false): Tensor {
  if (t.dtype === dtype) return contiguous(t, copy);
  const src = contiguous(t);
  const out = empty(t.shape, dtype);
  if (t.numel) engine().k.cast(DTYPES[t.dtype].code, DTYPES[dtype].code, src.ptr, out.ptr, t.numel);
  if (src !== t) src.dispose();
  return out;
}

/** The whole storage of `t` as a typed array (index it with element offsets; valid until memory grows). */
export function storageArray(t: Tensor): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array {
  return engine().array(t.dtype, t.storage.ptr, t.storage.nbytes / t.itemsize);
}

/**
 * The values of `t` in row-major order as JS numbers, in `out` (a new array unless given). int64
 * is read as two 32-bit halves: no BigInt per element, and rounded as Number(bigint) rounds.
 */
export function values(t: Tensor): number[];
export function values<A extends number[] | Float64Array>(t: Tensor, out: A): A;
export function values(t: Tensor, out: number[] | Float64Array = new Array<number>(t.numel)): number[] | Float64Array {
  const c = contiguous(t);
  const n = c.numel;
  if (c.dtype === 'int64') {
    const w = engine().array('int32', c.ptr, 2 * n) as Int32Array;
    for (let i = 0; i < n; i++) out[i] = w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0);
  } else {
    const a = engine().array(c.dtype, c.ptr, n) as Exclude<ReturnType<typeof storageArray>, BigInt64Array>;
    for (let i = 0; i < n; i++) out[i] = a[i];
  }
  if (c !== t) c.dispose();
  return out;
}

/**
 * Runs `fn` on x's values in row-major order: for float tensors a live view of wasm memory (so
 * `fn` must not allocate tensors: memory growth detaches the view), else JS numbers.
 */
export function withValues<T>(x: Tensor, fn: (v: ArrayLike<number>) => T): T {
  if (!isFloating(x.dtype)) return fn(values(x));
  const c = contiguous(x);
  try {
    return fn(engine().array(c.dtype, c.ptr, c.numel) as Float32Array | Float64Array);
  } finally {
    if (c !== x) c.dispose();
  }
}

/** A new contiguous tensor from JS numbers (rounded/truncated to the dtype). */
export function fromValues(shape: readonly number[], dtype: DType, vals: ArrayLike<number>): Tensor {
  const out = empty(shape, dtype);
  writeValues(out, vals);
  return out;
}

export function writeValues(out: Tensor, vals: ArrayLike<number>): void {
  const a = engine().array(out.dtype, out.ptr, out.numel);
  if (out.dtype === 'int64') for (let i = 0; i < vals.length; i++) (a as BigInt64Array)[i] = BigInt(Math.trunc(vals[i]));
  else if (out.dtype === 'bool') for (let i = 0; i < vals.length; i++) a[i] = vals[i] ? 1 : 0;
  else (a as Float32Array).set(vals as ArrayLike<number>);
}

/**
 * Runs `fn` with each array copied into a temporary block of wasm memory (Int32Array as int32,
 * anything else as float32; null gives address 0): the tables and scratch a kernel call reads.
 */
export function withBlocks<R>(arrays: readonly (ArrayLike<number> | null)[], fn: (...ptrs: number[]) => R): R {
  const e = engine();
  const ptrs = arrays.map((a) => (a ? e.alloc(a.length * 4) : 0));
  try {
    arrays.forEach((a, i) => a && (a instanceof Int32Array ? e.i32 : e.f32).set(a, ptrs[i] >> 2));
    return fn(...ptrs);
  } finally {
    ptrs.forEach((p) => p && e.free(p));
  }
}

/** Element offsets of every index of `shape` under `strides`, in row-major order. */
export function offsets(shape: readonly number[], strides: readonly number[], base = 0): number[] {
  const n = numelOf(shape);
  const out = new Array<number>(n);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let off = base;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        off += strides[d];
        break;
      }
      off -= strides[d] * (shape[d] - 1);
      idx[d] = 0;
    }
  }
  return out;
}

/** Generic elementwise map with broadcasting over any dtypes (the reference path). */
export function mapN(op: string, inputs: Tensor[], outDtype: DType, fn: (...v: number[]) => number, outShape?: readonly number[]): Tensor {
  const shape = outShape ?? broadcastShapes(op, ...inputs.map((t) => t.shape));
  const out = empty(shape, outDtype);
  const n = out.numel;
  if (n === 0) return out;
  const srcs = inputs.map((t) => ({ arr: storageArray(t), offs: offsets(shape, broadcastStrides(t, shape), t.offset) }));
  const vals = new Array<number>(n);
  const args = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < srcs.length; k++) args[k] = Number(srcs[k].arr[srcs[k].offs[i]]);
    vals[i] = fn(...args);
  }
  writeValues(out, vals);
  return out;
}

export { contiguousStrides, numelOf };

/** Writes `src` (broadcast, cast to dst's dtype) into the possibly strided `dst`. */
export function copyInto(dst: Tensor, src: Tensor, op = 'aten::copy_'): Tensor {
  const shape = broadcastShapes(op, dst.shape, src.shape);
  if (shape.length !== dst.dim || shape.some((d, i) => d !== dst.shape[i]))
    throw new ShapeError(op, `output with shape [${dst.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
  if (dst.numel === 0) return dst;
  const s = src.dtype === dst.dtype ? src : cast(src, dst.dtype);
  const view = s.asStrided(dst.shape, broadcastStrides(s, dst.shape), s.offset);
  const e = engine();
  if (dst.isContiguous()) {
    const { shape: cs, strides } = coalesce(view.shape, [[...view.strides]]);
    e.k.copy_nd(dst.itemsize, view.ptr, dst.ptr, e.writeDesc([cs.length, ...cs, ...strides[0]]));
  } else {
    const c = contiguous(view);
    const from = e.array(dst.dtype, c.ptr, c.numel) as any;
    const to = storageArray(dst) as any;
    const offs = offsets(dst.shape, dst.strides, dst.offset);
    for (let i = 0; i < offs.length; i++) to[offs[i]] = from[i];
    if (c !== view) c.dispose();
  }
  view.dispose();
  if (s !== src) s.dispose();
  return dst;
}
