// Shape rows. Views share storage exactly where PyTorch returns views (view, reshape when strides
// allow, permute, expand, slice, select, squeeze, split, ...); copies (cat, stack, flip, roll,
// repeat) run the strided copy kernel through exec.contiguous / one memmove per row.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { promoteTypes, type DType } from '../sdk/dtype.js';
import { OpError, ShapeError } from '../sdk/errors.js';
import { broadcastShapes, cast, contiguous, contiguousStrides, copyInto, empty, MAX_DIMS, numelOf, wrapDim } from './exec.js';
import type { OpDef, Tag } from './table.js';
import { byIndex, gradCat, gradExpand, gradFlip, gradMT, gradNumpyT, gradPermute, gradReshapeBack, gradRoll, gradStack, gradT, gradTranspose, gradViewScatter } from './shape-grads.js';

export const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const prod = (s: readonly number[]) => numelOf(s);
const alias = (x: Tensor) => x.asStrided(x.shape, x.strides);

/** Resolves one -1 in `shape` so that it holds `numel` elements (PyTorch's infer_size). */
function inferSize(op: string, shape: readonly number[], numel: number): number[] {
  let infer = -1, known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new OpError(op, 'only one dimension can be inferred');
      infer = i;
    } else if (d < 0) throw new OpError(op, `invalid shape dimension ${d}`);
    else known *= d;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0) throw new ShapeError(op, `cannot reshape tensor of ${numel} elements into shape ${fmt(shape)} because the unspecified dimension size -1 can be any value and is ambiguous`);
    out[infer] = numel / known;
  }
  if (!Number.isInteger(out[infer] ?? 0) || prod(out) !== numel) throw new ShapeError(op, `shape '${fmt(shape)}' is invalid for input of size ${numel}`);
  return out;
}

/** Strides that view `oldShape`/`oldStrides` as `newShape` without a copy, or null (ATen's computeStride). */
function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return newShape.map(() => 1);
  const numel = prod(oldShape);
  if (numel === 0 && oldShape.join() === newShape.join()) return [...oldStrides];
  const out = new Array<number>(newShape.length);
  if (numel === 0) return contiguousStrides(newShape.map((d) => Math.max(d, 1)));
  let v = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1, viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    // A chunk ends where the next outer dim does not continue this one contiguously.
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (v >= 0 && (viewNumel < tensorNumel || newShape[v] === 1)) {
        out[v] = viewNumel * chunkBase;
        viewNumel *= newShape[v];
        v--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return v === -1 ? out : null;
}

export function view(x: Tensor, size: readonly number[]): Tensor {
  const shape = inferSize('aten::view', size, x.numel);
  const strides = viewStrides(x.shape, x.strides, shape);
  if (!strides) throw new ShapeError('aten::view', "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  return x.asStrided(shape, strides);
}

/** A view when strides allow it, else a contiguous copy with the new shape. */
export function reshape(x: Tensor, size: readonly number[]): Tensor {
  const shape = inferSize('aten::reshape', size, x.numel);
  const strides = viewStrides(x.shape, x.strides, shape);
  if (strides) return x.asStrided(shape, strides);
  const c = contiguous(x, true);
  const out = c.asStrided(shape, contiguousStrides(shape), 0);
  c.dispose();
  return out;
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.dim) throw new ShapeError('aten::permute', `number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.dim} is not equal to len(dims) = ${dims.length}`);
  const d = dims.map((v) => wrapDim('aten::permute', v, x.dim));
  if (new Set(d).size !== d.length) throw new OpError('aten::permute', 'duplicate dims are not allowed.');
  return x.asStrided(d.map((i) => x.shape[i]), d.map((i) => x.strides[i]));
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = wrapDim('aten::transpose', dim0, x.dim), b = wrapDim('aten::transpose', dim1, x.dim);
  const order = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return x.asStrided(order.map((i) => x.shape[i]), order.map((i) => x.strides[i]));
}

function t(x: Tensor): Tensor {
  if (x.dim > 2) throw new ShapeError('aten::t', `t() expects a tensor with <= 2 dimensions, but self is ${x.dim}D`);
  return x.dim < 2 ? alias(x) : transpose(x, 0, 1);
}

/** Broadcast view of `x` as `sizes` (-1 keeps a size), strides 0 along expanded dims (inferExpandGeometry). */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  const nd = sizes.length, td = x.dim;
  if (nd < td) throw new ShapeError('aten::expand', `the number of sizes provided (${nd}) must be greater or equal to the number of dimensions in the tensor (${td})`);
  const shape = new Array<number>(nd), strides = new Array<number>(nd);
  for (let i = nd - 1; i >= 0; i--) {
    const dim = td - nd + i;
    let size = dim >= 0 ? x.shape[dim] : 1;
    let stride = dim >= 0 ? x.strides[dim] : i + 1 < nd ? shape[i + 1] * strides[i + 1] : 1;
    let target = sizes[i];
    if (target === -1) {
      if (dim < 0) throw new ShapeError('aten::expand', `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      target = size;
    }
    if (size !== target) {
      if (size !== 1) throw new ShapeError('aten::expand', `The expanded size of the tensor (${target}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: ${fmt(sizes)}.  Tensor sizes: ${fmt(x.shape)}`);
      if (target < 0) throw new ShapeError('aten::expand', `The expanded size of the tensor (${target}) isn't allowed`);
      size = target;
      stride = 0;
    }
    shape[i] = size;
    strides[i] = stride;
  }
  return x.asStrided(shape, strides);
}

export function slice(x: Tensor, dim: number, start: number | null, end: number | null, step: number): Tensor {
  if (x.dim === 0) throw new OpError('aten::slice', 'slice() cannot be applied to a 0-dim tensor.');
  if (step <= 0) throw new OpError('aten::slice', 'slice step must be positive');
  const d = wrapDim('aten::slice', dim, x.dim), n = x.shape[d];
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = clamp(start ?? 0), e = Math.max(clamp(end ?? n), s);
  const shape = [...x.shape], strides = [...x.strides];
  shape[d] = Math.ceil((e - s) / step);
  strides[d] *= step;
  return x.asStrided(shape, strides, x.offset + s * x.strides[d]);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.dim === 0) throw new OpError('aten::select', 'select() cannot be applied to a 0-dim tensor.');
  const d = wrapDim('aten::select', dim, x.dim), n = x.shape[d];
  if (index < -n || index >= n) throw new OpError('aten::select', `select(): index ${index} out of range for tensor of size ${fmt(x.shape)} at dimension ${d}`);
  const i = index < 0 ? index + n : index;
  return x.asStrided(x.shape.filter((_, k) => k !== d), x.strides.filter((_, k) => k !== d), x.offset + i * x.strides[d]);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.dim === 0) throw new OpError('aten::narrow', 'narrow() cannot be applied to a 0-dim tensor.');
  if (length < 0) throw new OpError('aten::narrow', 'narrow(): length must be non-negative.');
  const d = wrapDim('aten::narrow', dim, x.dim), n = x.shape[d];
  if (start < -n || start > n) throw new OpError('aten::narrow', `start out of range (expected to be in range of [${-n}, ${n}], but got ${start})`);
  const s = start < 0 ? start + n : start;
  if (s + length > n) throw new OpError('aten::narrow', `start (${s}) + length (${length}) exceeds dimension size (${n}).`);
  return slice(x, d, s, s + length, 1);
}

function squeezeDims(x: Tensor, dims: readonly number[]): Tensor {
  const drop = new Set(dims.map((d) => wrapDim('aten::squeeze', d, x.dim)).filter((d) => x.shape[d] === 1));
  return x.asStrided(x.shape.filter((_, i) => !drop.has(i)), x.strides.filter((_, i) => !drop.has(i)));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = wrapDim('aten::unsqueeze', dim, x.dim + 1);
  const shape = [...x.shape], strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.dim ? x.shape[d] * x.strides[d] : 1);
  return x.asStrided(shape, strides);
}

export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  if (x.dim === 0) return reshape(x, [1]);
  const s = wrapDim('aten::flatten', startDim, x.dim), e = wrapDim('aten::flatten', endDim, x.dim);
  if (s > e) throw new OpError('aten::flatten', 'flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return alias(x);
  return reshape(x, [...x.shape.slice(0, s), prod(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = wrapDim('aten::unflatten', dim, x.dim);
  if (sizes.length === 0) throw new OpError('aten::unflatten', 'unflatten: sizes must be non-empty');
  let inner: number[];
  try {
    inner = inferSize('aten::unflatten', sizes, x.shape[d]);
  } catch {
    throw new ShapeError('aten::unflatten', `unflatten: Provided sizes ${fmt(sizes)} don't multiply up to the size of dim ${dim} (${x.shape[d]}) in the input tensor`);
  }
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

function unbind(x: Tensor, dim: number): Tensor[] {
  if (x.dim === 0) throw new OpError('aten::unbind', 'Dimension specified as 0 but tensor has no dimensions');
  const d = wrapDim('aten::unbind', dim, x.dim);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

function splitWithSizes(x: Tensor, sizes: readonly number[], dim: number): Tensor[] {
  const d = wrapDim('aten::split_with_sizes', dim, x.dim), n = x.shape[d];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => s < 0)) throw new OpError('aten::split_with_sizes', `split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${fmt(sizes)}`);
  if (total !== n) throw new ShapeError('aten::split_with_sizes', `split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=${fmt(sizes)}`);
  let start = 0;
  return sizes.map((s) => narrow(x, d, (start += s) - s, s));
}

export function split(x: Tensor, size: number, dim: number): Tensor[] {
  if (x.dim === 0) throw new OpError('aten::split', 'split expects at least a 1-dimensional tensor');
  if (size < 0) throw new OpError('aten::split', `split expects split_size be non-negative, but got split_size=${size}`);
  const d = wrapDim('aten::split', dim, x.dim), n = x.shape[d];
  if (size === 0 && n !== 0) throw new OpError('aten::split', `split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
  const count = size === 0 ? 1 : Math.max(Math.ceil(n / size), 1);
  return splitWithSizes(x, Array.from({ length: count }, (_, i) => (i < count - 1 ? size : n - size * (count - 1))), d);
}

export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  if (x.dim === 0) throw new OpError('aten::chunk', 'chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw new OpError('aten::chunk', `chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = wrapDim('aten::chunk', dim, x.dim), n = x.shape[d];
  const size = Math.ceil(n / chunks);
  if (size === 0 && n === 0) return splitWithSizes(x, new Array(chunks).fill(0), d);
  return split(x, size, d);
}

function movedim(x: Tensor, source: readonly number[], destination: readonly number[]): Tensor {
  const op = 'aten::movedim';
  if (source.length !== destination.length) throw new OpError(op, `movedim: Invalid source or destination dims: source (${fmt(source)} dims) should contain the same number of dims as destination (${fmt(destination)} dims)`);
  const src = source.map((d) => wrapDim(op, d, x.dim)), dst = destination.map((d) => wrapDim(op, d, x.dim));
  if (new Set(src).size !== src.length) throw new OpError(op, `movedim: repeated dim in \`source\` (${fmt(source)})`);
  if (new Set(dst).size !== dst.length) throw new OpError(op, `movedim: repeated dim in \`destination\` (${fmt(destination)})`);
  const order = new Array<number>(x.dim).fill(-1);
  dst.forEach((d, i) => (order[d] = src[i]));
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  for (let i = 0, k = 0; i < order.length; i++) if (order[i] < 0) order[i] = rest[k++];
  return permute(x, order);
}

function diagonal(x: Tensor, offset: number, dim1: number, dim2: number): Tensor {
  const a = wrapDim('aten::diagonal', dim1, x.dim), b = wrapDim('aten::diagonal', dim2, x.dim);
  if (a === b) throw new OpError('aten::diagonal', `diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const len = Math.max(offset >= 0 ? Math.min(x.shape[a], x.shape[b] - offset) : Math.min(x.shape[a] + offset, x.shape[b]), 0);
  const start = len === 0 ? 0 : offset >= 0 ? offset * x.strides[b] : -offset * x.strides[a];
  const keep = x.shape.map((_, i) => i).filter((i) => i !== a && i !== b);
  return x.asStrided([...keep.map((i) => x.shape[i]), len], [...keep.map((i) => x.strides[i]), x.strides[a] + x.strides[b]], x.offset + start);
}

function asStrided(x: Tensor, size: readonly number[], stride: readonly number[], offset: number | null): Tensor {
  if (size.length !== stride.length) throw new OpError('aten::as_strided', `mismatch in length of strides and shape`);
  if (stride.some((s) => s < 0)) throw new OpError('aten::as_strided', 'as_strided: Negative strides are not supported at the moment, got strides: ' + fmt(stride));
  const off = offset ?? x.offset;
  const last = size.some((d) => d === 0) ? 0 : size.reduce((a, d, i) => a + (d - 1) * stride[i], 0);
  const storageNumel = x.storage.nbytes / x.itemsize;
  if (off + last + 1 > storageNumel && prod(size) > 0)
    throw new OpError('aten::as_strided', `setStorage: sizes ${fmt(size)}, strides ${fmt(stride)}, storage offset ${off}, and itemsize ${x.itemsize} requiring a storage size of ${(off + last + 1) * x.itemsize} are out of bounds for storage of size ${x.storage.nbytes}`);
  return x.asStrided(size, stride, off);
}

function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = x.dim === 0 ? 0 : wrapDim('aten::unfold', dimension, x.dim);
  const n = x.dim === 0 ? 1 : x.shape[d];
  if (size > n) throw new OpError('aten::unfold', `maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
  if (step <= 0) throw new OpError('aten::unfold', `step is ${step} but must be > 0`);
  const shape = [...x.shape, size], strides = [...x.strides, x.dim === 0 ? 1 : x.strides[d]];
  if (x.dim > 0) {
    shape[d] = Math.floor((n - size) / step) + 1;
    strides[d] *= step;
  }
  return x.asStrided(shape, strides);
}

function broadcastTensors(tensors: readonly Tensor[]): Tensor[] {
  const shape = broadcastShapes('aten::broadcast_tensors', ...tensors.map((x) => x.shape));
  return tensors.map((x) => expand(x, shape));
}

function meshgrid(tensors: readonly Tensor[], indexing: string): Tensor[] {
  const op = 'aten::meshgrid';
  if (indexing !== 'ij' && indexing !== 'xy') throw new OpError(op, `torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  tensors.forEach((x) => {
    if (x.dim > 1) throw new ShapeError(op, `torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${fmt(x.shape)}`);
  });
  // 'xy' is 'ij' over the inputs with the first two swapped, outputs swapped back.
  const swap = indexing === 'xy' && tensors.length >= 2;
  const ts = swap ? [tensors[1], tensors[0], ...tensors.slice(2)] : [...tensors];
  const shape = ts.map((x) => x.numel);
  const grids = ts.map((x, i) => {
    const line = view(x, shape.map((n, k) => (k === i ? n : 1)));
    const g = expand(line, shape);
    line.dispose();
    return g;
  });
  return swap ? [grids[1], grids[0], ...grids.slice(2)] : grids;
}

/** A copy of `self` with the view `region(copy)` overwritten by `src` (select_scatter, slice_scatter). */
function scatterView(self: Tensor, src: Tensor, region: (t: Tensor) => Tensor): Tensor {
  const out = contiguous(self, true);
  const r = region(out);
  if (r.shape.join() !== src.shape.join()) throw new ShapeError('aten::slice_scatter', `expected src to have a size equal to the slice of self. src size = ${fmt(src.shape)}, slice size = ${fmt(r.shape)}`);
  copyInto(r, src);
  r.dispose();
  return out;
}

// ---- copies ----

/** Writes contiguous `src` (shape [outer, rows, inner]) into `dst` rows [at, at+rows) of [outer, total, inner]. */
function copyBlock(dst: Tensor, src: Tensor, outer: number, rowBytes: number, dstRowBytes: number, atBytes: number): void {
  const e = engine();
  if (rowBytes >= 64 || outer === 1) {
    for (let o = 0; o < outer; o++) {
      const from = src.ptr + o * rowBytes, to = dst.ptr + o * dstRowBytes + atBytes;
      e.u8.copyWithin(to, from, from + rowBytes);
    }
    return;
  }
  // Tiny rows (cat/stack along a last dim): an element loop beats a copyWithin call per row.
  const w = (rowBytes | dstRowBytes | atBytes | src.ptr | dst.ptr) % 4 === 0 ? 4 : 1;
  const a = w === 4 ? e.i32 : e.u8;
  const n = rowBytes / w, step = dstRowBytes / w;
  let from = src.ptr / w, to = (dst.ptr + atBytes) / w;
  for (let o = 0; o < outer; o++, to += step - n) for (let j = 0; j < n; j++) a[to++] = a[from++];
}

export function cat(tensors: readonly Tensor[], dim: number): Tensor {
  const op = 'aten::cat';
  if (tensors.length === 0) throw new OpError(op, 'torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((x, i) => {
    if (x.dim === 0) throw new ShapeError(op, `zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const dtype: DType = tensors.map((x) => x.dtype).reduce(promoteTypes);
  // PyTorch's legacy rule: 1-D empty tensors are skipped whatever the other shapes are.
  const used = tensors.map((x, i) => ({ x, i })).filter(({ x }) => !(x.dim === 1 && x.shape[0] === 0));
  if (used.length === 0) return empty([0], dtype);
  const ref = used[0].x;
  const d = wrapDim(op, dim, ref.dim);
  for (const { x, i } of used) {
    if (x.dim !== ref.dim) throw new ShapeError(op, `Tensors must have same number of dimensions: got ${ref.dim} and ${x.dim}`);
    x.shape.forEach((s, k) => {
      if (k !== d && s !== ref.shape[k]) throw new ShapeError(op, `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${s} for tensor number ${i} in the list.`);
    });
  }
  const shape = [...ref.shape];
  shape[d] = used.reduce((a, { x }) => a + x.shape[d], 0);
  const out = empty(shape, dtype);
  if (out.numel === 0) return out;
  const outer = prod(shape.slice(0, d)), innerBytes = prod(shape.slice(d + 1)) * out.itemsize;
  let at = 0;
  for (const { x } of used) {
    const src = cast(x, dtype);
    if (src.numel) copyBlock(out, src, outer, x.shape[d] * innerBytes, shape[d] * innerBytes, at * innerBytes);
    at += x.shape[d];
    if (src !== x) src.dispose();
  }
  return out;
}

export function stack(tensors: readonly Tensor[], dim: number): Tensor {
  if (tensors.length === 0) throw new OpError('aten::stack', 'stack expects a non-empty TensorList');
  const ref = tensors[0];
  tensors.forEach((x, i) => {
    if (x.shape.join() !== ref.shape.join()) throw new ShapeError('aten::stack', `stack expects each tensor to be equal size, but got ${fmt(ref.shape)} at entry 0 and ${fmt(x.shape)} at entry ${i}`);
  });
  const d = wrapDim('aten::stack', dim, ref.dim + 1);
  const parts = tensors.map((x) => unsqueeze(x, d));
  const out = cat(parts, d);
  parts.forEach((p) => p.dispose());
  return out;
}

const atleast = (x: Tensor, n: number) => (x.dim >= n ? alias(x) : reshape(x, [...new Array(n - x.dim).fill(1), ...x.shape]));

function stackAlong(op: string, tensors: readonly Tensor[], minDim: number, dim: (first: Tensor) => number): Tensor {
  if (tensors.length === 0) throw new OpError(op, `${op.slice(6)} expects a non-empty TensorList`);
  const parts = tensors.map((x) => atleast(x, minDim));
  const out = cat(parts, dim(parts[0]));
  parts.forEach((p) => p.dispose());
  return out;
}

/** `x` with each dim in `dims` reversed: a negative-stride view gathered by the copy kernel. */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((d) => wrapDim('aten::flip', d, x.dim));
  if (new Set(ds).size !== ds.length) throw new OpError('aten::flip', `dims has duplicates, original flip dims size=${dims.length}, but unique flip dims size=${new Set(ds).size}`);
  if (x.numel === 0) return empty(x.shape, x.dtype);
  const strides = [...x.strides];
  let offset = x.offset;
  for (const d of ds) {
    offset += (x.shape[d] - 1) * x.strides[d];
    strides[d] = -strides[d];
  }
  const v = x.asStrided(x.shape, strides, offset);
  const out = contiguous(v, true);
  v.dispose();
  return out;
}

function roll(x: Tensor, shifts: readonly number[], dims: readonly number[]): Tensor {
  if (dims.length === 0) {
    if (shifts.length !== 1) throw new OpError('aten::roll', `shifts and dimensions must align. shifts: ${shifts.length}, dims:0`);
    const flat = reshape(x, [-1]);
    const rolled = roll(flat, shifts, [0]);
    const out = view(rolled, x.shape);
    flat.dispose();
    rolled.dispose();
    return out;
  }
  if (shifts.length !== dims.length) throw new OpError('aten::roll', `shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  let cur = contiguous(x, true);
  dims.forEach((dim, i) => {
    const d = wrapDim('aten::roll', dim, x.dim), n = x.shape[d];
    if (n === 0) return;
    const s = ((shifts[i] % n) + n) % n;
    if (s === 0) return;
    const tail = narrow(cur, d, n - s, s), head = narrow(cur, d, 0, n - s);
    const next = cat([tail, head], d);
    [tail, head, cur].forEach((t) => t.dispose());
    cur = next;
  });
  return cur;
}

/** Tiles `x` `repeats` times per dim: one copy of an interleaved broadcast view [r0, s0, r1, s1, ...]. */
function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.dim) throw new ShapeError('aten::repeat', 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  if (repeats.some((r) => r < 0)) throw new OpError('aten::repeat', `Trying to create tensor with negative dimension ${repeats.find((r) => r < 0)}: ${fmt(repeats)}`);
  // The interleaved view has a dim per size and per repeat: split the repeats while it would
  // exceed what the copy kernel iterates over.
  const active = repeats.flatMap((r, i) => (r !== 1 ? [i] : []));
  if (active.length > 1 && repeats.length + active.length > MAX_DIMS) {
    const k = active[active.length >> 1];
    const inner = repeat(x, repeats.map((r, i) => (i >= k ? r : 1)));
    const out = repeat(inner, repeats.map((r, i) => (i < k ? r : 1)));
    inner.dispose();
    return out;
  }
  const pad = repeats.length - x.dim;
  const shape = [...new Array(pad).fill(1), ...x.shape];
  const strides = [...new Array(pad).fill(0), ...x.strides];
  const outShape = shape.map((s, i) => s * repeats[i]);
  if (prod(outShape) === 0) return empty(outShape, x.dtype);
  const v = x.asStrided(shape.flatMap((s, i) => [repeats[i], s]), strides.flatMap((st) => [0, st]));
  const c = contiguous(v, true);
  const out = c.asStrided(outShape, contiguousStrides(outShape), 0);
  [v, c].forEach((t) => t.dispose());
  return out;
}

function tile(x: Tensor, dims: readonly number[]): Tensor {
  return repeat(x, [...new Array(Math.max(x.dim - dims.length, 0)).fill(1), ...dims]);
}

const V: readonly Tag[] = ['view', 'movement'];
const M: readonly Tag[] = ['movement'];
const L: readonly Tag[] = ['view', 'movement', 'list'];

export const SHAPE_OPS: OpDef[] = [
  { schema: 'aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: view },
  { schema: 'aten::view_as(Tensor(a) self, Tensor other) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: (x: Tensor, o: Tensor) => view(x, o.shape) },
  { schema: 'aten::reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: reshape },
  { schema: 'aten::reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: (x: Tensor, o: Tensor) => reshape(x, o.shape) },
  { schema: 'aten::_reshape_alias(Tensor(a) self, SymInt[] size, SymInt[] stride) -> Tensor(a)', tags: V, grad: byIndex('aten::_reshape_alias'), impl: (x: Tensor, size: number[], stride: number[]) => x.asStrided(size, stride) },
  { schema: 'aten::permute(Tensor(a) self, int[] dims) -> Tensor(a)', tags: V, grad: gradPermute, impl: permute },
  { schema: 'aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)', tags: V, grad: gradTranspose, impl: transpose },
  { schema: 'aten::swapaxes(Tensor(a) self, int axis0, int axis1) -> Tensor(a)', tags: V, grad: gradTranspose, impl: transpose },
  { schema: 'aten::swapdims(Tensor(a) self, int dim0, int dim1) -> Tensor(a)', tags: V, grad: gradTranspose, impl: transpose },
  { schema: 'aten::t(Tensor(a) self) -> Tensor(a)', tags: V, grad: gradT, impl: t },
  { schema: 'aten::numpy_T(Tensor(a) self) -> Tensor(a)', tags: V, grad: gradNumpyT, impl: (x: Tensor) => permute(x, x.shape.map((_, i) => x.dim - 1 - i)) },
  { schema: 'aten::mT(Tensor(a) self) -> Tensor(a)', tags: V, grad: gradMT, impl: (x: Tensor) => transpose(x, -2, -1) },
  { schema: 'aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)', tags: V, grad: gradExpand, impl: expand },
  { schema: 'aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a)', tags: V, grad: gradExpand, impl: (x: Tensor, o: Tensor) => expand(x, o.shape) },
  { schema: 'aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)', tags: V, grad: byIndex('aten::slice'), impl: slice },
  { schema: 'aten::select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)', tags: V, grad: byIndex('aten::select'), impl: select },
  { schema: 'aten::narrow(Tensor(a) self, int dim, SymInt start, SymInt length) -> Tensor(a)', tags: V, grad: byIndex('aten::narrow'), impl: narrow },
  { schema: 'aten::narrow.Tensor(Tensor(a) self, int dim, Tensor start, SymInt length) -> Tensor(a)', tags: V, grad: byIndex('aten::narrow'), impl: (x: Tensor, d: number, s: Tensor, n: number) => narrow(x, d, Number(s.item()), n) },
  { schema: 'aten::squeeze(Tensor(a) self) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: (x: Tensor) => squeezeDims(x, x.shape.map((_, i) => i)) },
  { schema: 'aten::squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: (x: Tensor, d: number) => squeezeDims(x, [d]) },
  { schema: 'aten::squeeze.dims(Tensor(a) self, int[] dim) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: squeezeDims },
  { schema: 'aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: unsqueeze },
  { schema: 'aten::flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: flatten },
  { schema: 'aten::unflatten.int(Tensor(a) self, int dim, SymInt[] sizes) -> Tensor(a)', tags: V, grad: gradReshapeBack, impl: unflatten },
  { schema: 'aten::unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]', tags: L, grad: byIndex('aten::unbind'), impl: unbind },
  { schema: 'aten::split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]', tags: L, grad: byIndex('aten::split'), impl: split },
  { schema: 'aten::split.sizes(Tensor(a -> *) self, SymInt[] split_size, int dim=0) -> Tensor(a)[]', tags: L, grad: byIndex('aten::split'), impl: splitWithSizes },
  { schema: 'aten::split(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[]', tags: L, grad: byIndex('aten::split'), impl: splitWithSizes },
  { schema: 'aten::split_with_sizes(Tensor(a -> *) self, SymInt[] split_sizes, int dim=0) -> Tensor(a)[]', tags: L, grad: byIndex('aten::split_with_sizes'), impl: splitWithSizes },
  { schema: 'aten::unsafe_split.Tensor(Tensor self, SymInt split_size, int dim=0) -> Tensor[]', tags: L, grad: byIndex('aten::unsafe_split'), impl: split },
  { schema: 'aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]', tags: L, grad: byIndex('aten::chunk'), impl: chunk },
  { schema: 'aten::unsafe_chunk(Tensor self, int chunks, int dim=0) -> Tensor[]', tags: L, grad: byIndex('aten::unsafe_chunk'), impl: chunk },
  { schema: 'aten::movedim.int(Tensor(a) self, int source, int destination) -> Tensor(a)', tags: V, grad: byIndex('aten::movedim'), impl: (x: Tensor, s: number, d: number) => movedim(x, [s], [d]) },
  { schema: 'aten::movedim.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)', tags: V, grad: byIndex('aten::movedim'), impl: movedim },
  { schema: 'aten::moveaxis.int(Tensor(a) self, int source, int destination) -> Tensor(a)', tags: V, grad: byIndex('aten::moveaxis'), impl: (x: Tensor, s: number, d: number) => movedim(x, [s], [d]) },
  { schema: 'aten::moveaxis.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)', tags: V, grad: byIndex('aten::moveaxis'), impl: movedim },
  { schema: 'aten::diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)', tags: V, grad: byIndex('aten::diagonal'), impl: diagonal },
  { schema: 'aten::as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a)', tags: V, grad: byIndex('aten::as_strided'), impl: asStrided },
  { schema: 'aten::unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)', tags: V, grad: byIndex('aten::unfold'), impl: unfold },
  { schema: 'aten::broadcast_tensors(Tensor[] tensors) -> Tensor[]', tags: L, grad: byIndex('aten::broadcast_tensors'), impl: broadcastTensors },
  { schema: 'aten::broadcast_to(Tensor(a) self, SymInt[] size) -> Tensor(a)', tags: V, grad: gradExpand, impl: expand },
  { schema: 'aten::meshgrid(Tensor[] tensors) -> Tensor[]', tags: L, grad: byIndex('aten::meshgrid'), impl: (ts: Tensor[]) => meshgrid(ts, 'ij') },
  { schema: 'aten::meshgrid.indexing(Tensor[] tensors, *, str indexing) -> Tensor[]', tags: L, grad: byIndex('aten::meshgrid'), impl: meshgrid },
  { schema: 'aten::atleast_1d(Tensor self) -> Tensor', tags: V, grad: gradReshapeBack, impl: (x: Tensor) => atleast(x, 1) },
  { schema: 'aten::atleast_1d.Sequence(Tensor[] tensors) -> Tensor[]', tags: L, grad: byIndex('aten::atleast_1d'), impl: (ts: Tensor[]) => ts.map((x) => atleast(x, 1)) },
  { schema: 'aten::atleast_2d(Tensor self) -> Tensor', tags: V, grad: gradReshapeBack, impl: (x: Tensor) => atleast(x, 2) },
  { schema: 'aten::atleast_2d.Sequence(Tensor[] tensors) -> Tensor[]', tags: L, grad: byIndex('aten::atleast_2d'), impl: (ts: Tensor[]) => ts.map((x) => atleast(x, 2)) },
  { schema: 'aten::narrow_copy(Tensor self, int dim, SymInt start, SymInt length) -> Tensor', tags: M, grad: byIndex('aten::narrow_copy'), impl: (x: Tensor, d: number, s: number, n: number) => contiguous(narrow(x, d, s, n), true) },
  { schema: 'aten::select_scatter(Tensor self, Tensor src, int dim, SymInt index) -> Tensor', tags: M, grad: gradViewScatter('aten::select', 'aten::select_scatter'), impl: (x: Tensor, src: Tensor, d: number, i: number) => scatterView(x, src, (t) => select(t, d, i)) },
  { schema: 'aten::slice_scatter(Tensor self, Tensor src, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor', tags: M, grad: gradViewScatter('aten::slice', 'aten::slice_scatter'), impl: (x: Tensor, src: Tensor, d: number, s: number | null, e: number | null, st: number) => scatterView(x, src, (t) => slice(t, d, s, e, st)) },
  { schema: 'aten::cat(Tensor[] tensors, int dim=0) -> Tensor', tags: M, grad: gradCat, impl: cat },
  { schema: 'aten::concat(Tensor[] tensors, int dim=0) -> Tensor', tags: M, grad: gradCat, impl: cat },
  { schema: 'aten::concatenate(Tensor[] tensors, int dim=0) -> Tensor', tags: M, grad: gradCat, impl: cat },
  { schema: 'aten::stack(Tensor[] tensors, int dim=0) -> Tensor', tags: M, grad: gradStack, impl: stack },
  { schema: 'aten::hstack(Tensor[] tensors) -> Tensor', tags: M, grad: byIndex('aten::hstack'), impl: (ts: Tensor[]) => stackAlong('aten::hstack', ts, 1, (f) => (f.dim === 1 ? 0 : 1)) },
  { schema: 'aten::vstack(Tensor[] tensors) -> Tensor', tags: M, grad: byIndex('aten::vstack'), impl: (ts: Tensor[]) => stackAlong('aten::vstack', ts, 2, () => 0) },
  { schema: 'aten::flip(Tensor self, int[] dims) -> Tensor', tags: M, grad: gradFlip, impl: flip },
  { schema: 'aten::roll(Tensor self, SymInt[1] shifts, int[1] dims=[]) -> Tensor', tags: M, grad: gradRoll, impl: roll },
  { schema: 'aten::repeat(Tensor self, SymInt[] repeats) -> Tensor', tags: M, grad: byIndex('aten::repeat'), impl: repeat },
  { schema: 'aten::tile(Tensor self, SymInt[] dims) -> Tensor', tags: M, grad: byIndex('aten::tile'), impl: tile },
];
