// Pointwise rows: unary math and activations, binary arithmetic, comparisons, where/clamp.
// f32 runs the SIMD kernels; other dtypes run the generic loop (exec.mapN) with PyTorch's promotion.
import * as K from '../../assembly/kernels/opcodes.js';
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { resultType, isFloating, type DType } from '../sdk/dtype.js';
import { DTypeError, OpError } from '../sdk/errors.js';
import { broadcastShapes, broadcastStrides, cast, coalesce, contiguous, empty, fromValues, mapN, MAX_DIMS } from './exec.js';
import { inplaceOf } from './inplace.js';
import { gradAdd, gradAtan2, gradClamp, gradClampMax, gradClampMin, gradClampTensor, gradDiv, gradElu, gradFmod, gradGelu, gradHardtanh, gradLeakyRelu, gradMaskedFill, gradMaximum, gradMinimum, gradMul, gradPowScalar, gradPowScalarBase, gradPowTensor, gradRemainder, gradRsub, gradSoftplus, gradSub, gradWhere, gradZero, unaryRule, UNARY_GRADS } from './pointwise-grads.js';
import type { OpDef, Tag } from './table.js';
import * as FO from '../../assembly/fused/fused-ops.js';
import type { FuseBuilder, FuseExpr, Operand } from '../jit/fuser/program.js';

type Num = number | boolean;
const isScalar = (v: unknown): v is Num => typeof v === 'number' || typeof v === 'boolean';
const dtypeOf = (...xs: (Tensor | Num)[]) =>
  resultType(xs.filter((x): x is Tensor => x instanceof Tensor), xs.filter(isScalar).map((value) => ({ value })));

/** A contiguous f32 tensor holding `x` (a scalar becomes a 1-element tensor). */
function asF32(x: Tensor | Num): Tensor {
  if (x instanceof Tensor) return x.dtype === 'float32' ? x : cast(x, 'float32');
  return fromValues([], 'float32', [Number(x)]);
}
const release = (t: Tensor, orig: unknown) => t !== orig && t.dispose();

function unaryF32(op: number, x: Tensor, p0 = 0, p1 = 0): Tensor {
  const src = contiguous(asF32(x));
  const out = empty(x.shape, 'float32');
  if (out.numel) engine().k.f32_unary(op, src.ptr, out.ptr, out.numel, p0, p1);
  if (src !== x) src.dispose();
  return out;
}

/** f32 binary or compare kernel with broadcasting; `a`, `b` are f32 tensors or scalars. */
function binaryF32(kernel: 'f32_binary' | 'f32_compare', op: number, name: string, a0: Tensor | Num, b0: Tensor | Num, outDtype: DType): Tensor {
  const a = asF32(a0), b = asF32(b0);
  const shape = broadcastShapes(name, a0 instanceof Tensor ? a.shape : [], b0 instanceof Tensor ? b.shape : []);
  const out = empty(shape, outDtype);
  const n = out.numel, k = engine().k;
  if (n > 0) {
    const ac = a.isContiguous(), bc = b.isContiguous();
    if (ac && bc && a.numel === n && b.numel === n) k[kernel](op, a.ptr, b.ptr, out.ptr, n, K.MODE_SAME);
    else if (ac && bc && a.numel === 1 && b.numel === n) k[kernel](op, a.ptr, b.ptr, out.ptr, n, K.MODE_SCALAR_A);
    else if (ac && bc && b.numel === 1 && a.numel === n) k[kernel](op, a.ptr, b.ptr, out.ptr, n, K.MODE_SCALAR_B);
    else {
      const c = coalesce(shape, [broadcastStrides(a, shape), broadcastStrides(b, shape)]);
      if (c.shape.length > MAX_DIMS) throw new OpError(name, `at most ${MAX_DIMS} broadcast dims supported`);
      const desc = engine().writeDesc([c.shape.length, ...c.shape, ...c.strides[0], ...c.strides[1]]);
      k[kernel + '_nd'](op, a.ptr, b.ptr, out.ptr, desc);
    }
  }
  release(a, a0);
  release(b, b0);
  return out;
}

const asTensor = (x: Tensor | Num, dtype: DType) => (x instanceof Tensor ? x : fromValues([], dtype, [Number(x)]));

/** Generic path: operands as tensors of `dtype`, computed by `fn` in JS. */
function binaryGeneric(name: string, a: Tensor | Num, b: Tensor | Num, dtype: DType, fn: (x: number, y: number) => number, outDtype = dtype): Tensor {
  const ta = asTensor(a, dtype), tb = asTensor(b, dtype);
  const out = mapN(name, [ta, tb], outDtype, fn, broadcastShapes(name, a instanceof Tensor ? a.shape : [], b instanceof Tensor ? b.shape : []));
  release(ta, a);
  release(tb, b);
  return out;
}

interface Arith {
  op: number;
  js: (a: number, b: number) => number;
  /** Integer inputs give a float result (true division, atan2). */
  toFloat?: boolean;
}

function arith(name: string, a: Tensor | Num, b: Tensor | Num, spec: Arith): Tensor {
  let dtype = dtypeOf(a, b);
  if (spec.toFloat && !isFloating(dtype)) dtype = 'float32';
  if (dtype === 'float32') return binaryF32('f32_binary', spec.op, name, a, b, 'float32');
  if (dtype === 'bool' && name !== 'aten::mul' && name !== 'aten::add' && name !== 'aten::maximum' && name !== 'aten::minimum')
    throw new DTypeError(name, `not supported for Bool tensors`);
  return binaryGeneric(name, a, b, dtype, spec.js);
}

const intDiv = (a: number, b: number) => {
  if (b === 0) throw new OpError('aten::div', 'ZeroDivisionError');
  return Math.floor(a / b);
};
const pyMod = (a: number, b: number) => {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
};
const nanMax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
const nanMin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

const ADD: Arith = { op: K.BINARY_ADD, js: (a, b) => a + b };
const SUB: Arith = { op: K.BINARY_SUB, js: (a, b) => a - b };
const MUL: Arith = { op: K.BINARY_MUL, js: (a, b) => a * b };
const DIV: Arith = { op: K.BINARY_DIV, js: (a, b) => a / b, toFloat: true };
const MAX: Arith = { op: K.BINARY_MAX, js: nanMax };
const MIN: Arith = { op: K.BINARY_MIN, js: nanMin };
const ATAN2: Arith = { op: K.BINARY_ATAN2, js: Math.atan2, toFloat: true };
const FMOD: Arith = { op: K.BINARY_FMOD, js: (a, b) => a % b };
const REMAINDER: Arith = { op: K.BINARY_REMAINDER, js: pyMod };
const FLOOR_DIV: Arith = { op: K.BINARY_FLOOR_DIVIDE, js: intDiv };
const TRUNC_DIV: Arith = { op: K.BINARY_TRUNC_DIVIDE, js: (a, b) => Math.trunc(a / b) };
const POW: Arith = { op: K.BINARY_POW, js: (a, b) => a ** b };

/** self + alpha * other (add/sub with PyTorch's alpha). */
function addAlpha(name: string, self: Tensor | Num, other: Tensor | Num, alpha: Num, spec: Arith): Tensor {
  if (alpha === 1 || alpha === true) return arith(name, self, other, spec);
  const scaled = other instanceof Tensor ? arith('aten::mul', other, alpha, MUL) : Number(other) * Number(alpha);
  const out = arith(name, self, scaled, spec);
  if (scaled instanceof Tensor) scaled.dispose();
  return out;
}

function div(self: Tensor, other: Tensor | Num, mode: string | null): Tensor {
  if (mode === null) return arith('aten::div', self, other, DIV);
  if (mode !== 'trunc' && mode !== 'floor') throw new OpError('aten::div', `div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${mode}'`);
  return arith('aten::div', self, other, mode === 'trunc' ? TRUNC_DIV : FLOOR_DIV);
}

function compare(name: string, op: number, js: (a: number, b: number) => boolean, a: Tensor | Num, b: Tensor | Num): Tensor {
  const dtype = dtypeOf(a, b);
  if (dtype === 'float32') return binaryF32('f32_compare', op, name, a, b, 'bool');
  return binaryGeneric(name, a, b, dtype, (x, y) => +js(x, y), 'bool');
}

// ---- unary ----

interface UnarySpec {
  name: string;
  op: number;
  /** For ops that keep integer dtypes (neg, abs, relu ...): the integer computation. */
  int?: (x: number) => number;
  /** The fuser's element expression: the same SIMD computation as the f32 kernel. */
  fuse?: FuseExpr;
}

// Fuser expressions (src/jit/fuser): each mirrors the f32 kernel's vector code step for step.
type X = Operand | null;
const un = (op: number): FuseExpr => (b, x) => b.unary(op, x);
const hardClamp36 = (b: FuseBuilder, x: X) => b.clamp(b.add(x, 3), 0, 6);
const fuseGeluTanh = (b: FuseBuilder, x: X): X => {
  const x3 = b.mul(b.mul(x, x), x);
  const inner = b.mul(0.7978845608028654, b.add(x, b.mul(0.044715, x3)));
  return b.mul(b.mul(0.5, x), b.add(1, b.unary(FO.FOP_TANH, inner)));
};
const fuseClampTensor = (b: FuseBuilder, x: X, lo: X, hi: X): X => {
  if (lo === null && hi === null) return null;
  const a = lo === null ? x : b.arith(FO.FOP_MAX, x, lo);
  return hi === null ? a : b.arith(FO.FOP_MIN, a, hi);
};
const fuseSoftplus = (b: FuseBuilder, x: X, beta: number, th: number): X => {
  const bx = b.mul(x, beta);
  return b.where(b.compare(FO.FOP_GT, bx, th), x, b.div(b.unary(FO.FOP_LOG1P, b.unary(FO.FOP_EXP, bx)), beta));
};

const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

const UNARY: UnarySpec[] = [
  { name: 'abs', op: K.UNARY_ABS, int: Math.abs, fuse: un(FO.FOP_ABS) },
  { name: 'neg', op: K.UNARY_NEG, int: (x) => -x, fuse: un(FO.FOP_NEG) },
  { name: 'exp', op: K.UNARY_EXP, fuse: un(FO.FOP_EXP) },
  { name: 'log', op: K.UNARY_LOG, fuse: un(FO.FOP_LOG) },
  { name: 'sqrt', op: K.UNARY_SQRT, fuse: un(FO.FOP_SQRT) },
  { name: 'rsqrt', op: K.UNARY_RSQRT, fuse: (b, x) => b.div(1, b.unary(FO.FOP_SQRT, x)) },
  { name: 'sigmoid', op: K.UNARY_SIGMOID, fuse: un(FO.FOP_SIGMOID) },
  { name: 'tanh', op: K.UNARY_TANH, fuse: un(FO.FOP_TANH) },
  { name: 'relu', op: K.UNARY_RELU, int: (x) => Math.max(x, 0), fuse: (b, x) => b.clamp(x, 0, null) },
  { name: 'reciprocal', op: K.UNARY_RECIPROCAL, fuse: (b, x) => b.div(1, x) },
  { name: 'sin', op: K.UNARY_SIN },
  { name: 'cos', op: K.UNARY_COS },
  { name: 'expm1', op: K.UNARY_EXPM1, fuse: un(FO.FOP_EXPM1) },
  { name: 'log1p', op: K.UNARY_LOG1P, fuse: un(FO.FOP_LOG1P) },
  { name: 'erf', op: K.UNARY_ERF },
  { name: 'floor', op: K.UNARY_FLOOR, int: Math.floor, fuse: un(FO.FOP_FLOOR) },
  { name: 'ceil', op: K.UNARY_CEIL, int: Math.ceil, fuse: un(FO.FOP_CEIL) },
  { name: 'trunc', op: K.UNARY_TRUNC, int: Math.trunc, fuse: un(FO.FOP_TRUNC) },
  { name: 'round', op: K.UNARY_ROUND, int: roundHalfEven, fuse: un(FO.FOP_ROUND) },
  { name: 'sign', op: K.UNARY_SIGN, int: Math.sign },
  { name: 'silu', op: K.UNARY_SILU, fuse: (b, x) => b.div(x, b.add(1, b.unary(FO.FOP_EXP, b.unary(FO.FOP_NEG, x)))) },
  { name: 'mish', op: K.UNARY_MISH, fuse: (b, x) => b.mul(x, b.unary(FO.FOP_TANH, b.unary(FO.FOP_LOG1P, b.unary(FO.FOP_EXP, x)))) },
  { name: 'hardsigmoid', op: K.UNARY_HARDSIGMOID, fuse: (b, x) => b.div(hardClamp36(b, x), 6) },
  { name: 'hardswish', op: K.UNARY_HARDSWISH, fuse: (b, x) => b.div(b.mul(x, hardClamp36(b, x)), 6) },
  { name: 'relu6', op: K.UNARY_RELU6, int: (x) => Math.min(Math.max(x, 0), 6), fuse: (b, x) => b.clamp(x, 0, 6) },
  { name: 'tan', op: K.UNARY_TAN },
  { name: 'atan', op: K.UNARY_ATAN },
  { name: 'asin', op: K.UNARY_ASIN },
  { name: 'acos', op: K.UNARY_ACOS },
  { name: 'sinh', op: K.UNARY_SINH },
  { name: 'cosh', op: K.UNARY_COSH },
  { name: 'log2', op: K.UNARY_LOG2 },
  { name: 'log10', op: K.UNARY_LOG10 },
  { name: 'frac', op: K.UNARY_FRAC, fuse: (b, x) => b.sub(x, b.unary(FO.FOP_TRUNC, x)) },
];

function unary(spec: UnarySpec, x: Tensor, p0 = 0, p1 = 0): Tensor {
  if (x.dtype === 'float32' || !spec.int) return unaryF32(spec.op, x, p0, p1);
  if (x.dtype === 'bool' && spec.name === 'neg') throw new DTypeError('aten::neg', 'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  return mapN(`aten::${spec.name}`, [x], x.dtype, spec.int);
}

const byName = Object.fromEntries(UNARY.map((u) => [u.name, u]));

/** Rows with their in-place twins (`aten::relu_`), derived from the out-of-place schema. */
function withInplace(defs: OpDef[]): OpDef[] {
  return defs.flatMap((d) => [d, inplaceOf(d)]);
}

const T = (tags: Tag[]) => tags;
const U = T(['pointwise', 'unary']);
const B = T(['pointwise', 'binary']);
const C = T(['pointwise', 'binary', 'compare']);

const COMPARES: [string, number, (a: number, b: number) => boolean][] = [
  ['eq', K.COMPARE_EQ, (a, b) => a === b],
  ['ne', K.COMPARE_NE, (a, b) => a !== b],
  ['lt', K.COMPARE_LT, (a, b) => a < b],
  ['le', K.COMPARE_LE, (a, b) => a <= b],
  ['gt', K.COMPARE_GT, (a, b) => a > b],
  ['ge', K.COMPARE_GE, (a, b) => a >= b],
];

/** The fuser's compare for a kernel COMPARE_* op (FOP_EQ ... FOP_GE are in the same order). */
const fuseCompareOf = (op: number): FuseExpr => (b, x, y) => b.compare(FO.FOP_EQ + (op - K.COMPARE_EQ), x, y);

function whereImpl(cond: Tensor, a: Tensor | Num, b: Tensor | Num): Tensor {
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') throw new DTypeError('aten::where', `where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype}`);
  const dtype = dtypeOf(a, b);
  const ta = asTensor(a, dtype), tb = asTensor(b, dtype);
  const shape = broadcastShapes('aten::where', cond.shape, ta.shape, tb.shape);
  let out: Tensor;
  if (dtype === 'float32') {
    const fa = asF32(ta), fb = asF32(tb);
    out = empty(shape, 'float32');
    if (out.numel) {
      const c = coalesce(shape, [broadcastStrides(cond, shape), broadcastStrides(fa, shape), broadcastStrides(fb, shape)]);
      const desc = engine().writeDesc([c.shape.length, ...c.shape, ...c.strides[0], ...c.strides[1], ...c.strides[2]]);
      engine().k.f32_where_nd(cond.ptr, fa.ptr, fb.ptr, out.ptr, desc);
    }
    release(fa, ta);
    release(fb, tb);
  } else out = mapN('aten::where', [cond, ta, tb], dtype, (c, x, y) => (c ? x : y), shape);
  release(ta, a);
  release(tb, b);
  return out;
}

function clampScalar(x: Tensor, lo: number | null, hi: number | null): Tensor {
  if (lo === null && hi === null) throw new OpError('aten::clamp', "At least one of 'min' or 'max' must not be None");
  if (x.dtype === 'float32') return unaryF32(K.UNARY_HARDTANH, x, lo ?? -Infinity, hi ?? Infinity);
  const dtype = dtypeOf(x, ...[lo, hi].filter((v): v is number => v !== null));
  return mapN('aten::clamp', [x], dtype, (v) => Math.min(Math.max(v, lo ?? -Infinity), hi ?? Infinity));
}

function clampTensor(x: Tensor, lo: Tensor | null, hi: Tensor | null): Tensor {
  if (!lo && !hi) throw new OpError('aten::clamp', "At least one of 'min' or 'max' must not be None");
  const a = lo ? arith('aten::clamp', x, lo, MAX) : x;
  const b = hi ? arith('aten::clamp', a, hi, MIN) : a;
  if (a !== x && a !== b) a.dispose();
  return b;
}

function roundDecimals(x: Tensor, decimals: number): Tensor {
  if (decimals === 0) return unary(byName.round, x);
  const f = Math.fround;
  const p = f(10 ** Math.abs(decimals));
  const fn = decimals > 0 ? (v: number) => f(roundHalfEven(f(v * p)) / p) : (v: number) => f(roundHalfEven(f(v / p)) * p);
  return mapN('aten::round', [x], x.dtype, fn);
}

function powTensorScalar(x: Tensor, e: Num): Tensor {
  const ex = Number(e);
  const dtype = dtypeOf(x, e);
  if (dtype === 'float32') return ex === 2 ? unaryF32(K.UNARY_SQUARE, x) : ex === 1 ? cast(x, 'float32', true) : unaryF32(K.UNARY_POW_SCALAR, x, ex);
  return mapN('aten::pow', [x], dtype, (v) => v ** ex);
}

function logical(name: string, fn: (a: boolean, b: boolean) => boolean) {
  return (a: Tensor, b: Tensor) => mapN(name, [a, b], 'bool', (x, y) => +fn(x !== 0, y !== 0));
}

export const POINTWISE_OPS: OpDef[] = [
  ...withInplace(UNARY.map((u) => ({ schema: `aten::${u.name}(Tensor self) -> Tensor`, tags: U, impl: (x: Tensor) => unary(u, x), grad: unaryRule(UNARY_GRADS[u.name]), fuse: u.fuse }))),
  ...withInplace([
    { schema: 'aten::gelu(Tensor self, *, str approximate="none") -> Tensor', tags: U, impl: (x: Tensor, ap: string) => unaryF32(ap === 'tanh' ? K.UNARY_GELU_TANH : K.UNARY_GELU, x), grad: gradGelu, fuse: (b, x, ap: string) => (ap === 'tanh' ? fuseGeluTanh(b, x) : null) },
    { schema: 'aten::elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor', tags: U, impl: elu, grad: gradElu, fuse: (b, x, alpha: number, scale: number, inScale: number) => (scale === 1 && inScale === 1 ? b.where(b.compare(FO.FOP_GT, x, 0), x, b.mul(alpha, b.unary(FO.FOP_EXPM1, x))) : null) },
    { schema: 'aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor', tags: U, impl: (x: Tensor, s: number) => unaryF32(K.UNARY_LEAKY_RELU, x, s), grad: gradLeakyRelu, fuse: (b, x, s: number) => b.where(b.compare(FO.FOP_GT, x, 0), x, b.mul(x, s)) },
    { schema: 'aten::hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor', tags: U, impl: (x: Tensor, lo: number, hi: number) => clampScalar(x, lo, hi), grad: gradHardtanh, fuse: (b, x, lo: number, hi: number) => b.clamp(x, lo, hi) },
    { schema: 'aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor', tags: U, impl: clampScalar, grad: gradClamp, fuse: (b, x, lo: number | null, hi: number | null) => b.clamp(x, lo, hi) },
    { schema: 'aten::clamp.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor', tags: B, impl: clampTensor, grad: gradClampTensor, fuse: fuseClampTensor },
    { schema: 'aten::clamp_min(Tensor self, Scalar min) -> Tensor', tags: U, impl: (x: Tensor, lo: number) => clampScalar(x, lo, null), grad: gradClampMin, fuse: (b, x, lo: number) => b.clamp(x, lo, null) },
    { schema: 'aten::clamp_max(Tensor self, Scalar max) -> Tensor', tags: U, impl: (x: Tensor, hi: number) => clampScalar(x, null, hi), grad: gradClampMax, fuse: (b, x, hi: number) => b.clamp(x, null, hi) },
    { schema: 'aten::round.decimals(Tensor self, *, int decimals) -> Tensor', tags: U, impl: roundDecimals, grad: gradZero },
    { schema: 'aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor, al: Num) => addAlpha('aten::add', a, b, al, ADD), grad: gradAdd, fuse: (b, x, y, al) => b.addAlpha(FO.FOP_ADD, x, y, al) },
    { schema: 'aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', tags: B, impl: (a: Tensor, b: Num, al: Num) => addAlpha('aten::add', a, b, al, ADD), grad: gradAdd, fuse: (b, x, y, al) => b.addAlpha(FO.FOP_ADD, x, y, al) },
    { schema: 'aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor, al: Num) => addAlpha('aten::sub', a, b, al, SUB), grad: gradSub, fuse: (b, x, y, al) => b.addAlpha(FO.FOP_SUB, x, y, al) },
    { schema: 'aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', tags: B, impl: (a: Tensor, b: Num, al: Num) => addAlpha('aten::sub', a, b, al, SUB), grad: gradSub, fuse: (b, x, y, al) => b.addAlpha(FO.FOP_SUB, x, y, al) },
    { schema: 'aten::mul.Tensor(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::mul', a, b, MUL), grad: gradMul, fuse: (b, x, y) => b.mul(x, y) },
    { schema: 'aten::mul.Scalar(Tensor self, Scalar other) -> Tensor', tags: B, impl: (a: Tensor, b: Num) => arith('aten::mul', a, b, MUL), grad: gradMul, fuse: (b, x, y) => b.mul(x, y) },
    { schema: 'aten::div.Tensor(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => div(a, b, null), grad: gradDiv, fuse: (b, x, y) => b.div(x, y) },
    { schema: 'aten::div.Scalar(Tensor self, Scalar other) -> Tensor', tags: B, impl: (a: Tensor, b: Num) => div(a, b, null), grad: gradDiv, fuse: (b, x, y) => b.div(x, y) },
    { schema: 'aten::div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor', tags: B, impl: div, grad: gradDiv, fuse: (b, x, y, mode: string | null) => (mode === null ? b.div(x, y) : null) },
    { schema: 'aten::div.Scalar_mode(Tensor self, Scalar other, *, str? rounding_mode) -> Tensor', tags: B, impl: div, grad: gradDiv, fuse: (b, x, y, mode: string | null) => (mode === null ? b.div(x, y) : null) },
    { schema: 'aten::fmod.Tensor(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::fmod', a, b, FMOD), grad: gradFmod },
    { schema: 'aten::fmod.Scalar(Tensor self, Scalar other) -> Tensor', tags: B, impl: (a: Tensor, b: Num) => arith('aten::fmod', a, b, FMOD), grad: gradFmod },
    { schema: 'aten::remainder.Tensor(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::remainder', a, b, REMAINDER), grad: gradRemainder },
    { schema: 'aten::remainder.Scalar(Tensor self, Scalar other) -> Tensor', tags: B, impl: (a: Tensor, b: Num) => arith('aten::remainder', a, b, REMAINDER), grad: gradRemainder },
    { schema: 'aten::atan2(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::atan2', a, b, ATAN2), grad: gradAtan2 },
    { schema: 'aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor', tags: B, impl: (x: Tensor, m: Tensor, v: Num) => maskedFill(x, m, v), grad: gradMaskedFill },
    { schema: 'aten::masked_fill.Tensor(Tensor self, Tensor mask, Tensor value) -> Tensor', tags: B, impl: (x: Tensor, m: Tensor, v: Tensor) => maskedFill(x, m, v), grad: gradMaskedFill },
    ...COMPARES.flatMap(([n, op, js]) => [fuseCompareOf(op)].flatMap((fuseCompare) => [
      { schema: `aten::${n}.Tensor(Tensor self, Tensor other) -> Tensor`, tags: C, impl: (a: Tensor, b: Tensor) => compare(`aten::${n}`, op, js, a, b), fuse: fuseCompare },
      { schema: `aten::${n}.Scalar(Tensor self, Scalar other) -> Tensor`, tags: C, impl: (a: Tensor, b: Num) => compare(`aten::${n}`, op, js, a, b), fuse: fuseCompare },
    ])),
    { schema: 'aten::logical_and(Tensor self, Tensor other) -> Tensor', tags: B, impl: logical('aten::logical_and', (a, b) => a && b) },
    { schema: 'aten::logical_or(Tensor self, Tensor other) -> Tensor', tags: B, impl: logical('aten::logical_or', (a, b) => a || b) },
    { schema: 'aten::logical_xor(Tensor self, Tensor other) -> Tensor', tags: B, impl: logical('aten::logical_xor', (a, b) => a !== b) },
    { schema: 'aten::logical_not(Tensor self) -> Tensor', tags: U, impl: (x: Tensor) => mapN('aten::logical_not', [x], 'bool', (v) => +(v === 0)) },
  ]),
  { schema: 'aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor', tags: U, impl: (x: Tensor, beta: number, th: number) => unaryF32(K.UNARY_SOFTPLUS, x, beta, th), grad: gradSoftplus, fuse: fuseSoftplus },
  { schema: 'aten::pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::pow', a, b, POW), grad: gradPowTensor },
  { schema: 'aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor', tags: U, impl: powTensorScalar, grad: gradPowScalar, fuse: (b, x, e: number) => (e === 2 ? b.mul(x, x) : null) },
  { schema: 'aten::floor_divide(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::floor_divide', a, b, FLOOR_DIV), grad: gradZero },
  { schema: 'aten::floor_divide.Scalar(Tensor self, Scalar other) -> Tensor', tags: B, impl: (a: Tensor, b: Num) => arith('aten::floor_divide', a, b, FLOOR_DIV), grad: gradZero },
  { schema: 'aten::maximum(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::maximum', a, b, MAX), grad: gradMaximum, fuse: (b, x, y) => b.arith(FO.FOP_MAX, x, y) },
  { schema: 'aten::minimum(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::minimum', a, b, MIN), grad: gradMinimum, fuse: (b, x, y) => b.arith(FO.FOP_MIN, x, y) },
  { schema: 'aten::rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor, al: Num) => addAlpha('aten::rsub', b, a, al, SUB), grad: gradRsub, fuse: (b, x, y, al) => b.addAlpha(FO.FOP_SUB, y, x, al) },
  { schema: 'aten::rsub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', tags: B, impl: (a: Tensor, b: Num, al: Num) => addAlpha('aten::rsub', b, a, al, SUB), grad: gradRsub, fuse: (b, x, y, al) => b.addAlpha(FO.FOP_SUB, y, x, al) },
  { schema: 'aten::pow.Scalar(Scalar self, Tensor exponent) -> Tensor', tags: U, impl: (a: Num, b: Tensor) => arith('aten::pow', a, b, POW), grad: gradPowScalarBase },
  { schema: 'aten::remainder.Scalar_Tensor(Scalar self, Tensor other) -> Tensor', tags: B, impl: (a: Num, b: Tensor) => arith('aten::remainder', a, b, REMAINDER) },
  { schema: 'aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor', tags: T(['pointwise']), impl: whereImpl, grad: gradWhere, fuse: (b, c, x, y) => b.where(c, x, y) },
  { schema: 'aten::where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor', tags: T(['pointwise']), impl: whereImpl, grad: gradWhere, fuse: (b, c, x, y) => b.where(c, x, y) },
  { schema: 'aten::where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor', tags: T(['pointwise']), impl: whereImpl, grad: gradWhere, fuse: (b, c, x, y) => b.where(c, x, y) },
  { schema: 'aten::where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor', tags: T(['pointwise']), impl: whereImpl, grad: gradWhere, fuse: (b, c, x, y) => b.where(c, x, y) },
  { schema: 'aten::max.other(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::max', a, b, MAX), grad: gradMaximum, fuse: (b, x, y) => b.arith(FO.FOP_MAX, x, y) },
  { schema: 'aten::min.other(Tensor self, Tensor other) -> Tensor', tags: B, impl: (a: Tensor, b: Tensor) => arith('aten::min', a, b, MIN), grad: gradMinimum, fuse: (b, x, y) => b.arith(FO.FOP_MIN, x, y) },
];

function elu(x: Tensor, alpha: number, scale: number, inputScale: number): Tensor {
  if (scale === 1 && inputScale === 1) return unaryF32(K.UNARY_ELU, x, alpha);
  const f = Math.fround;
  return mapN('aten::elu', [cast(x, 'float32')], 'float32', (v) => (v > 0 ? f(v * scale) : f(f(alpha * f(Math.expm1(f(v * inputScale)))) * scale)));
}

function maskedFill(x: Tensor, mask: Tensor, v: Tensor | Num): Tensor {
  if (mask.dtype !== 'bool') throw new DTypeError('aten::masked_fill', `masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype}`);
  if (v instanceof Tensor && v.dim !== 0) throw new OpError('aten::masked_fill', `only supports a 0-dimensional value tensor, but got tensor with ${v.dim} dimension(s).`);
  const value = v instanceof Tensor ? v.item() : v;
  const fill = fromValues([], x.dtype, [Number(value)]);
  const out = whereImpl(mask, fill, x);
  fill.dispose();
  return out;
}

export { arith, ADD, MUL, SUB, DIV, MAX, MIN, binaryF32, compare, clampScalar, whereImpl };
