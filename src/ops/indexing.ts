// Indexing rows: gather/scatter, index_select/embedding, advanced indexing (index, index_put_),
// masked_select, nonzero. Index tensors are read once into JS numbers and bounds-checked; element
// moves are loops over typed-array views of wasm memory (row copies use memmove).
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import type { DType } from '../sdk/dtype.js';
import { DTypeError, OpError, ShapeError } from '../sdk/errors.js';
import { broadcastShapes, broadcastStrides, cast, contiguous, empty, numelOf, offsets, storageArray, values, wrapDim } from './exec.js';
import { fmt, select } from './shape.js';
import type { OpDef, Tag } from './table.js';
import { gradEmbedding, gradGather, gradIndex, gradIndexAdd, gradIndexCopy, gradIndexFill, gradIndexPut, gradIndexSelect, gradMaskedSelect, gradScatter, gradScatterAdd, gradTake, INDEXING_BACKWARD_OPS } from './indexing-grads.js';

type Num = number | boolean;
type Elems = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;


/** A JS scalar as an element of `dtype`. */
const elem = (dtype: DType, v: Num): any => (dtype === 'int64' ? BigInt(Math.trunc(Number(v))) : dtype === 'bool' ? +(Number(v) !== 0) : Number(v));

/** The accumulation `a + b` in `dtype` (bool: logical or). */
const addFor = (dtype: DType): ((a: any, b: any) => any) => (dtype === 'bool' ? (a, b) => +(a || b) : (a, b) => a + b);
const mulFor = (dtype: DType): ((a: any, b: any) => any) => (dtype === 'bool' ? (a, b) => +(a && b) : (a, b) => a * b);

/** The values of an integer tensor as exact JS numbers, row-major. */
const ints = (t: Tensor): Float64Array => values(t, new Float64Array(t.numel));

function indexInts(op: string, index: Tensor): Float64Array {
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new DTypeError(op, `${op.slice(6)}(): Expected dtype int32/int64 for index`);
  return ints(index);
}

/** Offsets of `index`'s positions in `t` with the stride of dim `d` left out (0 for dims `t` lacks). */
function baseOffsets(t: Tensor, shape: readonly number[], d: number): number[] {
  return offsets(shape, shape.map((_, k) => (k === d || k >= t.dim ? 0 : t.strides[k])), t.offset);
}

function checkGatherShapes(op: string, self: Tensor, d: number, index: Tensor, src?: Tensor): void {
  if (index.dim !== self.dim && !(index.dim <= 1 && self.dim <= 1)) throw new ShapeError(op, 'Index tensor must have the same number of dimensions as input tensor');
  if (src && index.dim !== src.dim && !(index.dim <= 1 && src.dim <= 1)) throw new ShapeError(op, 'Index tensor must have the same number of dimensions as src tensor');
  index.shape.forEach((n, k) => {
    if (k !== d && k < self.dim && n > self.shape[k]) throw new ShapeError(op, `Size does not match at dimension ${k} expected index ${fmt(index.shape)} to be no larger than self ${fmt(self.shape)} apart from dimension ${d}`);
    if (src && k < src.dim && n > src.shape[k]) throw new ShapeError(op, `Expected index ${fmt(index.shape)} to be no larger than src ${fmt(src.shape)}`);
  });
}

const outOfBounds = (op: string, v: number, d: number, n: number) => new OpError(op, `index ${v} is out of bounds for dimension ${d} with size ${n}`);

function gather(self: Tensor, dim: number, index: Tensor): Tensor {
  const op = 'aten::gather';
  const d = wrapDim(op, dim, self.dim);
  const iv = indexInts(op, index);
  checkGatherShapes(op, self, d, index);
  const out = empty(index.shape, self.dtype);
  if (out.numel === 0) return out;
  const n = self.dim === 0 ? 1 : self.shape[d], st = self.dim === 0 ? 0 : self.strides[d];
  const base = baseOffsets(self, index.shape, d);
  const src = storageArray(self), dst = engine().array(out.dtype, out.ptr, out.numel);
  for (let i = 0; i < iv.length; i++) {
    const v = iv[i];
    if (v < 0 || v >= n) throw outOfBounds(op, v, d, n);
    dst[i] = src[base[i] + v * st];
  }
  return out;
}

type Reduce = ((a: any, b: any) => any) | null;

/** Writes `src` (or a scalar) into `self` at `index` along `dim`, combining with `reduce` when given. */
function scatterInto(op: string, self: Tensor, dim: number, index: Tensor, src: Tensor | Num, reduce: Reduce): Tensor {
  const d = wrapDim(op, dim, self.dim);
  const iv = indexInts(op, index);
  if (src instanceof Tensor && src.dtype !== self.dtype) throw new DTypeError(op, `${op.slice(6)}(): Expected self.dtype to be equal to src.dtype`);
  checkGatherShapes(op, self, d, index, src instanceof Tensor ? src : undefined);
  if (index.numel === 0) return self;
  const n = self.dim === 0 ? 1 : self.shape[d], st = self.dim === 0 ? 0 : self.strides[d];
  const base = baseOffsets(self, index.shape, d);
  const srcOffs = src instanceof Tensor ? (offsets(index.shape, index.shape.map((_, k) => (k < src.dim ? src.strides[k] : 0)), src.offset)) : null;
  const scalar = src instanceof Tensor ? 0 : elem(self.dtype, src);
  const to = storageArray(self), from = src instanceof Tensor ? storageArray(src) : null;
  for (let i = 0; i < iv.length; i++) {
    const v = iv[i];
    if (v < 0 || v >= n) throw outOfBounds(op, v, d, n);
    const o = base[i] + v * st;
    const x = from ? from[srcOffs![i]] : scalar;
    to[o] = reduce ? reduce(to[o], x) : x;
  }
  return self;
}

function scatterReduce(op: string, dtype: DType, reduce: string): Reduce {
  if (reduce === 'add' || reduce === 'sum') return addFor(dtype);
  if (reduce === 'multiply' || reduce === 'prod') return mulFor(dtype);
  throw new OpError(op, `reduce argument must be either add or multiply, got ${reduce}`);
}

const cloned = (x: Tensor) => contiguous(x, true);

/** Rows `idx` of `x` viewed as [outer, n, inner] along dim `d`: one memmove per (outer, index). */
function takeRows(op: string, x: Tensor, d: number, idx: ArrayLike<number>, outShape: readonly number[]): Tensor {
  const out = empty(outShape, x.dtype);
  if (out.numel === 0) return out;
  const n = x.dim === 0 ? 1 : x.shape[d];
  for (let i = 0; i < idx.length; i++) if (idx[i] < 0 || idx[i] >= n) throw new OpError(op, 'index out of range in self');
  const c = contiguous(x);
  const outer = numelOf(x.shape.slice(0, d)), rowBytes = numelOf(x.shape.slice(d + 1)) * x.itemsize;
  const u8 = engine().u8;
  let to = out.ptr;
  for (let o = 0; o < outer; o++) {
    const rowBase = c.ptr + o * n * rowBytes;
    for (let i = 0; i < idx.length; i++) {
      const from = rowBase + idx[i] * rowBytes;
      u8.copyWithin(to, from, from + rowBytes);
      to += rowBytes;
    }
  }
  if (c !== x) c.dispose();
  return out;
}

function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const op = 'aten::index_select';
  if (index.dim > 1) throw new ShapeError(op, 'index_select(): Index is supposed to be a vector');
  const d = wrapDim(op, dim, x.dim);
  const idx = indexInts(op, index);
  if (x.dim === 0 && idx.length !== 1) throw new ShapeError(op, 'index_select(): Index to scalar can have only 1 value, got ' + idx.length + ' value(s)');
  const shape = x.dim === 0 ? [] : x.shape.map((s, k) => (k === d ? idx.length : s));
  return takeRows(op, x, d, idx, shape);
}

function embedding(weight: Tensor, indices: Tensor): Tensor {
  const op = 'aten::embedding';
  if (weight.dim !== 2) throw new ShapeError(op, "'weight' must be 2-D");
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32')
    throw new DTypeError(op, `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${indices.dtype} instead (while checking arguments for embedding)`);
  return takeRows(op, weight, 0, ints(indices), [...indices.shape, weight.shape[1]]);
}

/**
 * For each entry i of the 1-D `index`, calls `each(dst, src)` with the storage offsets of
 * out.select(dim, index[i]) and of source.select(dim, i) (index_add, index_copy, index_fill).
 */
function alongIndex(op: string, out: Tensor, dim: number, index: Tensor, source: Tensor | null, each: (dst: number[], src: number[] | null) => void): Tensor {
  if (index.dim > 1) throw new ShapeError(op, `${op.slice(6)}(): Index should have dimension 1 or 0 (got ${index.dim})`);
  const d = out.dim === 0 ? 0 : wrapDim(op, dim, out.dim);
  const iv = indexInts(op, index);
  const n = out.dim === 0 ? 1 : out.shape[d];
  if (source && source.dim > 0 && source.shape[d] !== iv.length) throw new ShapeError(op, `${op.slice(6)}(): Number of indices (${iv.length}) should be equal to source.size(dim) (${source.shape[d]})`);
  const slab = (t: Tensor, i: number): number[] => {
    if (t.dim === 0) return [t.offset];
    const v = select(t, d, i);
    const o = offsets(v.shape, v.strides, v.offset);
    v.dispose();
    return o;
  };
  iv.forEach((v, i) => {
    if (v < -n || v >= n) throw new OpError(op, `index out of range in self`);
    each(slab(out, v < 0 ? v + n : v), source ? slab(source, i) : null);
  });
  return out;
}

function indexAdd(self: Tensor, dim: number, index: Tensor, source: Tensor, alpha: Num): Tensor {
  const out = cloned(self);
  const src = source.dtype === self.dtype ? source : cast(source, self.dtype);
  const a = elem(self.dtype, alpha), add = addFor(self.dtype), mul = mulFor(self.dtype);
  alongIndex('aten::index_add', out, dim, index, src, (dst, from) => {
    const to = storageArray(out), s = storageArray(src);
    for (let k = 0; k < dst.length; k++) to[dst[k]] = add(to[dst[k]], mul(s[from![k]], a));
  });
  if (src !== source) src.dispose();
  return out;
}

function indexCopy(self: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  if (source.dtype !== self.dtype) throw new DTypeError('aten::index_copy', `index_copy_(): self and source expected to have the same dtype, but got (self) ${self.dtype} and (source) ${source.dtype}`);
  const out = cloned(self);
  return alongIndex('aten::index_copy', out, dim, index, source, (dst, from) => {
    const to = storageArray(out), s = storageArray(source);
    for (let k = 0; k < dst.length; k++) to[dst[k]] = s[from![k]];
  });
}

function indexFill(self: Tensor, dim: number, index: Tensor, value: Num | Tensor): Tensor {
  const v = elem(self.dtype, value instanceof Tensor ? value.item() : value);
  const out = cloned(self);
  return alongIndex('aten::index_fill', out, dim, index, null, (dst) => {
    const to = storageArray(out);
    for (const o of dst) to[o] = v;
  });
}

interface IndexPlan {
  /** Shape of x[indices]. */
  shape: number[];
  /** Storage offset of every element of x[indices], row-major. */
  offs: number[];
}

/** Row-major positions of the nonzero elements of `t` (NaN counts as nonzero). */
function nonzeroFlat(t: Tensor): number[] {
  const c = contiguous(t);
  // int64 is tested as pairs of 32-bit words; every other dtype by its own typed array.
  const wide = c.dtype === 'int64';
  const a = engine().array(wide ? 'int32' : c.dtype, c.ptr, wide ? 2 * c.numel : c.numel) as Exclude<Elems, BigInt64Array>;
  const flat: number[] = [];
  if (wide) for (let i = 0; i < c.numel; i++) (a[2 * i] | a[2 * i + 1]) !== 0 && flat.push(i);
  else for (let i = 0; i < a.length; i++) a[i] !== 0 && flat.push(i);
  if (c !== t) c.dispose();
  return flat;
}

/** The coordinates of the nonzero elements of `t`, one array per dim. */
function nonzeroCoords(t: Tensor): number[][] {
  const flat = nonzeroFlat(t);
  let inner = 1;
  const coords = new Array<number[]>(t.dim);
  for (let k = t.dim - 1; k >= 0; k--) {
    const n = t.shape[k], div = inner;
    coords[k] = flat.map((f) => Math.floor(f / div) % n);
    inner *= n;
  }
  return coords;
}

/** PyTorch's advanced indexing: masks become their nonzero coordinates, index tensors broadcast. */
function indexPlan(op: string, x: Tensor, indices: readonly (Tensor | null)[]): IndexPlan {
  const idx: ({ shape: readonly number[]; vals: ArrayLike<number> } | null)[] = [];
  for (const t of indices) {
    if (t === null) idx.push(null);
    else if (t.dtype === 'bool' || t.dtype === 'uint8') {
      if (t.dim === 0) throw new OpError(op, 'indexing with a zero-dim boolean mask is not supported');
      const at = idx.length;
      if (at + t.dim > x.dim) throw new OpError(op, `too many indices for tensor of dimension ${x.dim} (got ${at + t.dim})`);
      t.shape.forEach((s, j) => {
        if (s !== x.shape[at + j]) throw new OpError(op, `The shape of the mask ${fmt(t.shape)} at index ${j} does not match the shape of the indexed tensor ${fmt(x.shape)} at index ${at + j}`);
      });
      for (const c of nonzeroCoords(t)) idx.push({ shape: [c.length], vals: c });
    } else if (t.dtype === 'int64' || t.dtype === 'int32') idx.push({ shape: t.shape, vals: ints(t) });
    else throw new DTypeError(op, 'tensors used as indices must be long, int, byte or bool tensors');
  }
  if (idx.length > x.dim) throw new OpError(op, `too many indices for tensor of dimension ${x.dim} (got ${idx.length})`);
  while (idx.length < x.dim) idx.push(null);
  const dims = idx.flatMap((t, k) => (t ? [k] : []));
  if (dims.length === 0) return { shape: [...x.shape], offs: offsets(x.shape, x.strides, x.offset) };
  const bshape = broadcastShapes(op, ...dims.map((k) => idx[k]!.shape));
  const boff = new Array<number>(numelOf(bshape)).fill(0);
  for (const k of dims) {
    const { shape, vals } = idx[k]!, n = x.shape[k], st = x.strides[k];
    const off = bshape.length - shape.length;
    let s = 1;
    const bst = new Array<number>(bshape.length).fill(0);
    for (let j = shape.length - 1; j >= 0; j--) {
      bst[off + j] = shape[j] === 1 ? 0 : s;
      s *= shape[j];
    }
    const pos = offsets(bshape, bst, 0);
    for (let i = 0; i < boff.length; i++) {
      const v = vals[pos[i]];
      if (v < -n || v >= n) throw outOfBounds(op, v, k, n);
      boff[i] += (v < 0 ? v + n : v) * st;
    }
  }
  // Adjacent index tensors keep their place in the result; separated ones move to the front.
  const adjacent = dims[dims.length - 1] - dims[0] === dims.length - 1;
  const rest = x.shape.map((_, k) => k).filter((k) => idx[k] === null);
  const before = adjacent ? rest.filter((k) => k < dims[0]) : [];
  const after = rest.filter((k) => !before.includes(k));
  const P = offsets(before.map((k) => x.shape[k]), before.map((k) => x.strides[k]), x.offset);
  const Q = offsets(after.map((k) => x.shape[k]), after.map((k) => x.strides[k]), 0);
  const offs = new Array<number>(P.length * boff.length * Q.length);
  let i = 0;
  for (const p of P) for (const b of boff) for (const q of Q) offs[i++] = p + b + q;
  return { shape: [...before.map((k) => x.shape[k]), ...bshape, ...after.map((k) => x.shape[k])], offs };
}

function index(x: Tensor, indices: (Tensor | null)[]): Tensor {
  const { shape, offs } = indexPlan('aten::index', x, indices);
  const out = empty(shape, x.dtype);
  if (out.numel === 0) return out;
  const src = storageArray(x), dst = engine().array(out.dtype, out.ptr, out.numel);
  for (let i = 0; i < offs.length; i++) dst[i] = src[offs[i]];
  return out;
}

function indexPut(x: Tensor, indices: (Tensor | null)[], vals: Tensor, accumulate: boolean): Tensor {
  const op = 'aten::index_put_';
  const { shape, offs } = indexPlan(op, x, indices);
  const lead = vals.dim - shape.length;
  const fits = vals.shape.every((s, k) => s === 1 || (k >= lead && s === shape[k - lead]));
  if (!fits) throw new ShapeError(op, `shape mismatch: value tensor of shape ${fmt(vals.shape)} cannot be broadcast to indexing result of shape ${fmt(shape)}`);
  if (offs.length === 0) return x;
  const v = vals.dtype === x.dtype ? vals : cast(vals, x.dtype);
  const from = offsets(shape, broadcastStrides(v, shape), v.offset);
  const src = storageArray(v), dst = storageArray(x);
  const add = addFor(x.dtype);
  for (let i = 0; i < offs.length; i++) dst[offs[i]] = accumulate ? add(dst[offs[i]], src[from[i]]) : src[from[i]];
  if (v !== vals) v.dispose();
  return x;
}

function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  const op = 'aten::masked_select';
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') throw new DTypeError(op, `masked_select: expected BoolTensor for mask`);
  const shape = broadcastShapes(op, x.shape, mask.shape);
  const xo = offsets(shape, broadcastStrides(x, shape), x.offset), mo = offsets(shape, broadcastStrides(mask, shape), mask.offset);
  const m = storageArray(mask);
  const picked: number[] = [];
  for (let i = 0; i < mo.length; i++) if (m[mo[i]]) picked.push(xo[i]);
  const out = empty([picked.length], x.dtype);
  const src = storageArray(x), dst = engine().array(out.dtype, out.ptr, out.numel);
  for (let i = 0; i < picked.length; i++) dst[i] = src[picked[i]];
  return out;
}

/** An int64 tensor of non-negative JS numbers, written as 32-bit halves (no BigInt per element). */
function longs(shape: readonly number[], vals: ArrayLike<number>): Tensor {
  const out = empty(shape, 'int64');
  const w = engine().array('int32', out.ptr, 2 * out.numel) as Int32Array;
  for (let i = 0; i < vals.length; i++) {
    w[2 * i] = vals[i] >>> 0;
    w[2 * i + 1] = Math.floor(vals[i] / 4294967296);
  }
  return out;
}

function nonzero(x: Tensor): Tensor {
  const coords = nonzeroCoords(x);
  const n = x.dim === 0 ? nonzeroFlat(x).length : coords[0].length;
  const flat = new Array<number>(n * x.dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < x.dim; k++) flat[i * x.dim + k] = coords[k][i];
  return longs([n, x.dim], flat);
}

function take(x: Tensor, index: Tensor): Tensor {
  const op = 'aten::take';
  const iv = indexInts(op, index);
  const n = x.numel;
  const flat = offsets(x.shape, x.strides, x.offset);
  const out = empty(index.shape, x.dtype);
  const src = storageArray(x), dst = engine().array(out.dtype, out.ptr, out.numel);
  for (let i = 0; i < iv.length; i++) {
    const v = iv[i];
    if (v < -n || v >= n) throw new OpError(op, `out of range: tried to access index ${v} on a tensor of ${n} elements.`);
    dst[i] = src[flat[v < 0 ? v + n : v]];
  }
  return out;
}

const M: readonly Tag[] = ['movement'];
const I: readonly Tag[] = ['movement', 'inplace'];

export const INDEXING_OPS: OpDef[] = [
  { schema: 'aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor', tags: M, grad: gradGather, impl: gather },
  { schema: 'aten::scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor', tags: M, grad: gradScatter, impl: (x: Tensor, d: number, i: Tensor, s: Tensor) => scatterInto('aten::scatter', cloned(x), d, i, s, null) },
  { schema: 'aten::scatter.value(Tensor self, int dim, Tensor index, Scalar value) -> Tensor', tags: M, grad: gradScatter, impl: (x: Tensor, d: number, i: Tensor, v: Num) => scatterInto('aten::scatter', cloned(x), d, i, v, null) },
  { schema: 'aten::scatter.reduce(Tensor self, int dim, Tensor index, Tensor src, *, str reduce) -> Tensor', tags: M, impl: (x: Tensor, d: number, i: Tensor, s: Tensor, r: string) => scatterInto('aten::scatter', cloned(x), d, i, s, scatterReduce('aten::scatter', x.dtype, r)) },
  { schema: 'aten::scatter.value_reduce(Tensor self, int dim, Tensor index, Scalar value, *, str reduce) -> Tensor', tags: M, impl: (x: Tensor, d: number, i: Tensor, v: Num, r: string) => scatterInto('aten::scatter', cloned(x), d, i, v, scatterReduce('aten::scatter', x.dtype, r)) },
  { schema: 'aten::scatter_.src(Tensor(a!) self, int dim, Tensor index, Tensor src) -> Tensor(a!)', tags: I, grad: gradScatter, impl: (x: Tensor, d: number, i: Tensor, s: Tensor) => scatterInto('aten::scatter_', x, d, i, s, null) },
  { schema: 'aten::scatter_.value(Tensor(a!) self, int dim, Tensor index, Scalar value) -> Tensor(a!)', tags: I, grad: gradScatter, impl: (x: Tensor, d: number, i: Tensor, v: Num) => scatterInto('aten::scatter_', x, d, i, v, null) },
  { schema: 'aten::scatter_.reduce(Tensor(a!) self, int dim, Tensor index, Tensor src, *, str reduce) -> Tensor(a!)', tags: I, impl: (x: Tensor, d: number, i: Tensor, s: Tensor, r: string) => scatterInto('aten::scatter_', x, d, i, s, scatterReduce('aten::scatter_', x.dtype, r)) },
  { schema: 'aten::scatter_.value_reduce(Tensor(a!) self, int dim, Tensor index, Scalar value, *, str reduce) -> Tensor(a!)', tags: I, impl: (x: Tensor, d: number, i: Tensor, v: Num, r: string) => scatterInto('aten::scatter_', x, d, i, v, scatterReduce('aten::scatter_', x.dtype, r)) },
  { schema: 'aten::scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor', tags: M, grad: gradScatterAdd, impl: (x: Tensor, d: number, i: Tensor, s: Tensor) => scatterInto('aten::scatter_add', cloned(x), d, i, s, addFor(x.dtype)) },
  { schema: 'aten::scatter_add_(Tensor(a!) self, int dim, Tensor index, Tensor src) -> Tensor(a!)', tags: I, grad: gradScatterAdd, impl: (x: Tensor, d: number, i: Tensor, s: Tensor) => scatterInto('aten::scatter_add_', x, d, i, s, addFor(x.dtype)) },
  { schema: 'aten::index_select(Tensor self, int dim, Tensor index) -> Tensor', tags: M, grad: gradIndexSelect, impl: indexSelect },
  { schema: 'aten::index_add(Tensor self, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor', tags: M, grad: gradIndexAdd, impl: indexAdd },
  { schema: 'aten::index_copy(Tensor self, int dim, Tensor index, Tensor source) -> Tensor', tags: M, grad: gradIndexCopy, impl: indexCopy },
  { schema: 'aten::index_fill.int_Scalar(Tensor self, int dim, Tensor index, Scalar value) -> Tensor', tags: M, grad: gradIndexFill, impl: indexFill },
  { schema: 'aten::index_fill.int_Tensor(Tensor self, int dim, Tensor index, Tensor value) -> Tensor', tags: M, grad: gradIndexFill, impl: indexFill },
  { schema: 'aten::embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor', tags: M, grad: gradEmbedding, impl: embedding },
  { schema: 'aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor', tags: M, grad: gradIndex, impl: index },
  { schema: 'aten::index_put_(Tensor(a!) self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)', tags: I, grad: gradIndexPut, impl: indexPut },
  { schema: 'aten::index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor', tags: M, grad: gradIndexPut, impl: (x: Tensor, i: (Tensor | null)[], v: Tensor, a: boolean) => indexPut(cloned(x), i, v, a) },
  { schema: 'aten::masked_select(Tensor self, Tensor mask) -> Tensor', tags: M, grad: gradMaskedSelect, impl: maskedSelect },
  { schema: 'aten::nonzero(Tensor self) -> Tensor', tags: M, impl: nonzero },
  { schema: 'aten::where(Tensor condition) -> Tensor[]', tags: M, impl: (c: Tensor) => nonzeroCoords(c).map((col) => longs([col.length], col)) },
  { schema: 'aten::take(Tensor self, Tensor index) -> Tensor', tags: M, grad: gradTake, impl: take },
  ...INDEXING_BACKWARD_OPS,
];

