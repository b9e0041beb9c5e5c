// Creation rows: zeros/ones/full/arange/linspace/rand/randn/randperm, their *_like and new_* forms,
// tensor/as_tensor from script values, casts, copies.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { DTYPES, SCALAR_TYPE, isFloating, type DType } from '../sdk/dtype.js';
import { OpError } from '../sdk/errors.js';
import { defaultGenerator, type Generator } from '../sdk/random.js';
import { cast, contiguous, copyInto, empty, fromValues } from './exec.js';
import type { OpDef } from './table.js';
import { gradCastBack, gradCopy, gradFill } from './creation-grads.js';

type Num = number | boolean;

export function full(shape: readonly number[], value: Num, dtype: DType): Tensor {
  const out = empty(shape, dtype);
  const n = out.numel, k = engine().k, v = Number(value);
  if (n === 0) return out;
  switch (DTYPES[dtype].size) {
    case 4:
      if (dtype === 'float32') k.fill_f32(out.ptr, n, v);
      else k.fill_i32(out.ptr, n, v | 0);
      break;
    case 8:
      if (dtype === 'int64') k.fill_i64(out.ptr, n, BigInt(Math.trunc(v)));
      else new Float64Array(k.memory.buffer, out.ptr, n).fill(v);
      break;
    default:
      k.fill_u8(out.ptr, n, dtype === 'bool' ? +(v !== 0) : v & 255);
  }
  return out;
}

const fillDtype = (value: Num, dtype: DType | null): DType => dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float32');

function arange(start: number, end: number, step: number, dtype: DType | null): Tensor {
  if (step === 0) throw new OpError('aten::arange', 'step must be nonzero');
  if ((end - start) / step < 0) throw new OpError('aten::arange', 'upper bound and larger bound inconsistent with step sign');
  const dt = dtype ?? ([start, end, step].every(Number.isInteger) ? 'int64' : 'float32');
  const n = Math.ceil((end - start) / step);
  return fromValues([n], dt, Array.from({ length: n }, (_, i) => start + i * step));
}

function linspace(start: number, end: number, steps: number, dtype: DType | null): Tensor {
  if (steps < 0) throw new OpError('aten::linspace', 'number of steps must be non-negative');
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  // PyTorch fills the second half from the end so both endpoints are exact.
  const vals = Array.from({ length: steps }, (_, i) => (i < half ? start + step * i : end - step * (steps - 1 - i)));
  return fromValues([steps], dtype ?? 'float32', vals);
}

function random(shape: readonly number[], dtype: DType | null, sample: (g: Generator) => number, gen: Generator | null): Tensor {
  const g = gen ?? defaultGenerator;
  const dt = dtype ?? 'float32';
  if (!isFloating(dt)) throw new OpError('aten::rand', `"check_uniform_bounds" not implemented for '${DTYPES[dt].short}'`);
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = new Float32Array(n);
  for (let i = 0; i < n; i++) vals[i] = sample(g);
  return fromValues(shape, dt, vals);
}
const uniform = (g: Generator) => g.uniform();
const normal = (g: Generator) => g.normal();

function to(self: Tensor, dtype: DType | null, copy: boolean): Tensor {
  if (dtype === null || (dtype === self.dtype && !copy)) return self;
  return cast(self, dtype, true);
}

function fillInPlace(self: Tensor, sample: (g: Generator) => number, gen: Generator | null): Tensor {
  const r = random(self.shape, 'float32', sample, gen);
  copyInto(self, r);
  r.dispose();
  return self;
}

const CREATE = ['creation'] as const;

export const CREATION_OPS: OpDef[] = [
  { schema: 'aten::zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (s: number[], dt: DType | null) => full(s, 0, dt ?? 'float32') },
  { schema: 'aten::ones(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (s: number[], dt: DType | null) => full(s, 1, dt ?? 'float32') },
  { schema: 'aten::full(SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (s: number[], v: Num, dt: DType | null) => full(s, v, fillDtype(v, dt)) },
  { schema: 'aten::empty.memory_format(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: CREATE, impl: (s: number[], dt: DType | null) => full(s, 0, dt ?? 'float32') },
  { schema: 'aten::zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: CREATE, impl: (x: Tensor, dt: DType | null) => full(x.shape, 0, dt ?? x.dtype) },
  { schema: 'aten::ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: CREATE, impl: (x: Tensor, dt: DType | null) => full(x.shape, 1, dt ?? x.dtype) },
  { schema: 'aten::empty_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: CREATE, impl: (x: Tensor, dt: DType | null) => full(x.shape, 0, dt ?? x.dtype) },
  { schema: 'aten::full_like(Tensor self, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: CREATE, impl: (x: Tensor, v: Num, dt: DType | null) => full(x.shape, v, dt ?? x.dtype) },
  { schema: 'aten::scalar_tensor(Scalar s, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (v: Num, dt: DType | null) => full([], v, dt ?? 'float32') },
  { schema: 'aten::arange(Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (end: number, dt: DType | null) => arange(0, end, 1, dt) },
  { schema: 'aten::arange.start(Scalar start, Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (s: number, e: number, dt: DType | null) => arange(s, e, 1, dt) },
  { schema: 'aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: arange },
  { schema: 'aten::linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: linspace },
  { schema: 'aten::rand(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: ['creation', 'random'], impl: (s: number[], dt: DType | null) => random(s, dt, uniform, null) },
  { schema: 'aten::randn(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: ['creation', 'random'], impl: (s: number[], dt: DType | null) => random(s, dt, normal, null) },
  { schema: 'aten::rand.generator(SymInt[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: ['creation', 'random'], impl: (s: number[], g: Generator | null, dt: DType | null) => random(s, dt, uniform, g) },
  { schema: 'aten::randn.generator(SymInt[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: ['creation', 'random'], impl: (s: number[], g: Generator | null, dt: DType | null) => random(s, dt, normal, g) },
  { schema: 'aten::rand_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: ['creation', 'random'], impl: (x: Tensor, dt: DType | null) => random(x.shape, dt ?? x.dtype, uniform, null) },
  { schema: 'aten::randn_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor', tags: ['creation', 'random'], impl: (x: Tensor, dt: DType | null) => random(x.shape, dt ?? x.dtype, normal, null) },
  { schema: 'aten::uniform_(Tensor(a!) self, float from=0., float to=1., *, Generator? generator=None) -> Tensor(a!)', tags: ['random', 'inplace'], impl: (x: Tensor, lo: number, hi: number, g: Generator | null) => fillInPlace(x, (r) => lo + (hi - lo) * r.uniform(), g) },
  { schema: 'aten::normal_(Tensor(a!) self, float mean=0., float std=1., *, Generator? generator=None) -> Tensor(a!)', tags: ['random', 'inplace'], impl: (x: Tensor, m: number, s: number, g: Generator | null) => fillInPlace(x, (r) => m + s * r.normal(), g) },
  { schema: 'aten::to.dtype(Tensor(a) self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)', grad: gradCastBack, impl: (x: Tensor, dt: DType, _nb: boolean, copy: boolean) => to(x, dt, copy) },
  { schema: 'aten::to.other(Tensor(a) self, Tensor other, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)', grad: gradCastBack, impl: (x: Tensor, o: Tensor, _nb: boolean, copy: boolean) => to(x, o.dtype, copy) },
  { schema: 'aten::to.device(Tensor(a) self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)', grad: gradCastBack, impl: (x: Tensor, _d: unknown, dt: DType, _nb: boolean, copy: boolean) => to(x, dt, copy) },
  { schema: 'aten::to.prim_Device(Tensor(a) self, Device? device, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)', grad: gradCastBack, impl: (x: Tensor, _d: unknown, dt: DType | null, _nb: boolean, copy: boolean) => to(x, dt, copy) },
  { schema: 'aten::to.prim_dtype(Tensor(a) self, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)', grad: gradCastBack, impl: (x: Tensor, dt: DType | null, _nb: boolean, copy: boolean) => to(x, dt, copy) },
  { schema: 'aten::type_as(Tensor self, Tensor other) -> Tensor', grad: gradCastBack, impl: (x: Tensor, o: Tensor) => to(x, o.dtype, false) },
  { schema: 'aten::clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor', grad: gradCastBack, impl: (x: Tensor) => contiguous(x, true) },
  { schema: 'aten::contiguous(Tensor(a) self, *, MemoryFormat memory_format=0) -> Tensor(a)', tags: ['view'], grad: gradCastBack, impl: (x: Tensor) => (x.isContiguous() ? x.asStrided(x.shape, x.strides) : contiguous(x)) },
  { schema: 'aten::detach(Tensor(a) self) -> Tensor(a)', tags: ['view', 'nograd'], impl: (x: Tensor) => x.asStrided(x.shape, x.strides) },
  { schema: 'aten::alias(Tensor(a) self) -> Tensor(a)', tags: ['view'], grad: gradCastBack, impl: (x: Tensor) => x.asStrided(x.shape, x.strides) },
  { schema: 'aten::copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)', tags: ['inplace'], grad: gradCopy, impl: (x: Tensor, src: Tensor) => copyInto(x, src) },
  { schema: 'aten::fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!)', tags: ['inplace'], grad: gradFill, impl: (x: Tensor, v: Num) => fillWith(x, v) },
  { schema: 'aten::fill_.Tensor(Tensor(a!) self, Tensor value) -> Tensor(a!)', tags: ['inplace'], grad: gradFill, impl: (x: Tensor, v: Tensor) => fillWith(x, v.item()) },
  { schema: 'aten::zero_(Tensor(a!) self) -> Tensor(a!)', tags: ['inplace'], grad: gradFill, impl: (x: Tensor) => fillWith(x, 0) },
  { schema: 'aten::as_tensor(Tensor(a) data, *, ScalarType? dtype=None, Device? device=None) -> Tensor(b|a)', tags: CREATE, impl: (x: Tensor, dt: DType | null) => to(x, dt, false) },
  { schema: 'aten::as_tensor.bool(bool t, *, ScalarType? dtype=None, Device? device=None) -> Tensor', tags: CREATE, impl: (v: boolean, dt: DType | null) => full([], v, dt ?? 'bool') },
  { schema: 'aten::as_tensor.float(float t, *, ScalarType? dtype=None, Device? device=None) -> Tensor', tags: CREATE, impl: (v: number, dt: DType | null) => full([], v, dt ?? 'float32') },
  { schema: 'aten::as_tensor.int(int t, *, ScalarType? dtype=None, Device? device=None) -> Tensor', tags: CREATE, impl: (v: number, dt: DType | null) => full([], v, dt ?? 'int64') },
  { schema: 'aten::as_tensor.list(t[] data, *, ScalarType? dtype=None, Device? device=None) -> Tensor', tags: CREATE, impl: (d: unknown[], dt: DType | null) => fromData('aten::as_tensor', d, dt) },
  { schema: 'aten::tensor(t[] data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor', tags: CREATE, impl: (d: unknown[], dt: DType | null, _dev: unknown, rg: boolean) => withGrad(fromData('aten::tensor', d, dt), rg) },
  { schema: 'aten::tensor.bool(bool t, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor', tags: CREATE, impl: (v: boolean, dt: DType | null) => full([], v, dt ?? 'bool') },
  { schema: 'aten::tensor.float(float t, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor', tags: CREATE, impl: (v: number, dt: DType | null, _dev: unknown, rg: boolean) => withGrad(full([], v, dt ?? 'float32'), rg) },
  { schema: 'aten::tensor.int(int t, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor', tags: CREATE, impl: (v: number, dt: DType | null) => full([], v, dt ?? 'int64') },
  { schema: 'aten::item(Tensor self) -> Scalar', tags: ['scalar'], impl: (x: Tensor) => x.item() },
  { schema: 'aten::new_empty(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (x: Tensor, s: number[], dt: DType | null) => full(s, 0, dt ?? x.dtype) },
  { schema: 'aten::new_full(Tensor self, SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (x: Tensor, s: number[], v: Num, dt: DType | null) => full(s, v, dt ?? x.dtype) },
  { schema: 'aten::new_zeros(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (x: Tensor, s: number[], dt: DType | null) => full(s, 0, dt ?? x.dtype) },
  { schema: 'aten::new_ones(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: CREATE, impl: (x: Tensor, s: number[], dt: DType | null) => full(s, 1, dt ?? x.dtype) },
  { schema: 'aten::randperm(SymInt n, *, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: ['creation', 'random'], impl: (n: number, dt: DType | null) => randperm(n, dt, null) },
  { schema: 'aten::randperm.generator(SymInt n, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor', tags: ['creation', 'random'], impl: (n: number, g: Generator | null, dt: DType | null) => randperm(n, dt, g) },
];

function fillWith(x: Tensor, v: Num): Tensor {
  const f = full([], v, x.dtype);
  copyInto(x, f);
  f.dispose();
  return x;
}

function withGrad(t: Tensor, requiresGrad: boolean): Tensor {
  t.requiresGrad = requiresGrad;
  return t;
}

/**
 * `torch.tensor(data)` for nested lists of numbers or bools: the shape from the nesting, the dtype
 * as PyTorch infers it (bool, else int64, else the default float32 once a value has a fraction).
 * A script's `float[]` of whole numbers is indistinguishable from an `int[]` at run time here, so
 * pass `dtype` where that matters.
 */
function fromData(op: string, data: unknown, dtype: DType | null): Tensor {
  const shape: number[] = [];
  for (let d: unknown = data; Array.isArray(d); d = d[0]) shape.push(d.length);
  const flat: unknown[] = [];
  const walk = (d: unknown, k: number): void => {
    if (k === shape.length) {
      if (typeof d !== 'number' && typeof d !== 'boolean') throw new OpError(op, `Could not infer dtype of ${d === null ? 'None' : typeof d}`);
      flat.push(d);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[k]) throw new OpError(op, `expected sequence of length ${shape[k]} at dim ${k} (got ${Array.isArray(d) ? d.length : 'a scalar'})`);
    for (const x of d) walk(x, k + 1);
  };
  walk(data, 0);
  const inferred: DType = flat.length && flat.every((v) => typeof v === 'boolean') ? 'bool' : flat.every((v) => Number.isInteger(Number(v))) ? 'int64' : 'float32';
  return fromValues(shape, dtype ?? inferred, flat.map(Number));
}

/** A random permutation of 0..n-1 (Fisher-Yates, as PyTorch's CPU randperm for small n). */
function randperm(n: number, dtype: DType | number | null, gen: Generator | null): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new OpError('aten::randperm', `n must be non-negative, got ${n}`);
  const g = gen ?? defaultGenerator;
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n - 1; i++) {
    const z = i + Math.floor(g.uniform() * (n - i));
    [perm[i], perm[z]] = [perm[z], perm[i]];
  }
  // Eager calls pass the schema default `dtype=4` as the ScalarType code (int64).
  return fromValues([n], (typeof dtype === 'number' ? SCALAR_TYPE[dtype] : dtype) ?? 'int64', perm);
}
