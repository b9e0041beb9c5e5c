// Derivatives of the pointwise rows (PyTorch's tools/autograd/derivatives.yaml), one rule each.
// A rule gets the output gradients, the call's arguments and its outputs, and returns one
// gradient per argument (null for non-tensors).
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { add, sub, mul, div, neg, exp, log, sqrt, sin, cos, sign, sigmoid, tanh, pow, trunc, floor, gt, lt, ge, le, eq, logicalAnd, logicalOr, where, zerosLike, sum, keepWhere, sumTo } from '../autograd/calc.js';

type T = Tensor;
const isT = (v: unknown): v is T => typeof v === 'object' && v !== null && 'shape' in (v as object);

/** A unary derivative dy/dx as a function of x and y, times the incoming gradient. */
export type UnaryGrad = (g: T, x: T, y: T) => T;

/** Wraps a unary derivative as a row rule (extra scalar arguments get no gradient). */
export const unaryRule = (d: UnaryGrad): GradRule => ([g], args, [y]) => [g ? d(g, args[0], y) : null, ...args.slice(1).map(() => null)];

const SQRT_2_PI = Math.sqrt(2 / Math.PI);

export const UNARY_GRADS: Record<string, UnaryGrad> = {
  abs: (g, x) => mul(g, sign(x)),
  neg: (g) => neg(g),
  exp: (g, _x, y) => mul(g, y),
  log: (g, x) => div(g, x),
  sqrt: (g, _x, y) => div(g, mul(y, 2)),
  rsqrt: (g, _x, y) => mul(g, mul(pow(y, 3), -0.5)),
  sigmoid: (g, _x, y) => mul(g, mul(y, neg(sub(y, 1)))),
  tanh: (g, _x, y) => mul(g, neg(sub(mul(y, y), 1))),
  relu: (g, _x, y) => keepWhere(gt(y, 0), g),
  reciprocal: (g, _x, y) => neg(mul(g, mul(y, y))),
  sin: (g, x) => mul(g, cos(x)),
  cos: (g, x) => neg(mul(g, sin(x))),
  expm1: (g, _x, y) => mul(g, add(y, 1)),
  log1p: (g, x) => div(g, add(x, 1)),
  erf: (g, x) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))),
  floor: (g) => zerosLike(g),
  ceil: (g) => zerosLike(g),
  trunc: (g) => zerosLike(g),
  round: (g) => zerosLike(g),
  sign: (g) => zerosLike(g),
  frac: (g) => g,
  silu: (g, x) => {
    const s = sigmoid(x);
    return mul(g, mul(s, add(mul(x, neg(sub(s, 1))), 1)));
  },
  mish: (g, x) => {
    const t = tanh(callSoftplus(x));
    return mul(g, add(t, mul(mul(x, sigmoid(x)), neg(sub(mul(t, t), 1)))));
  },
  hardsigmoid: (g, x) => keepWhere(logicalAnd(gt(x, -3), lt(x, 3)), div(g, 6)),
  hardswish: (g, x) => where(lt(x, -3), 0, where(le(x, 3), mul(g, add(div(x, 3), 0.5)), g)),
  relu6: (g, x) => keepWhere(logicalAnd(gt(x, 0), lt(x, 6)), g),
  tan: (g, _x, y) => mul(g, add(mul(y, y), 1)),
  atan: (g, x) => div(g, add(mul(x, x), 1)),
  asin: (g, x) => div(g, sqrt(neg(sub(mul(x, x), 1)))),
  acos: (g, x) => neg(div(g, sqrt(neg(sub(mul(x, x), 1))))),
  sinh: (g, x) => mul(g, callUnary('cosh', x)),
  cosh: (g, x) => mul(g, callUnary('sinh', x)),
  log2: (g, x) => div(g, mul(x, Math.LN2)),
  log10: (g, x) => div(g, mul(x, Math.LN10)),
};

const callUnary = (name: string, x: T): T => callOp(`aten::${name}`, [x]);
const callSoftplus = (x: T): T => callOp('aten::softplus', [x]);

export const gradGelu: GradRule = ([g], [x, approximate]) => {
  if (approximate === 'tanh') {
    const inner = mul(add(mul(pow(x, 3), 0.044715), x), SQRT_2_PI);
    const t = tanh(inner);
    const dInner = mul(add(mul(mul(x, x), 3 * 0.044715), 1), SQRT_2_PI);
    const d = add(mul(add(t, 1), 0.5), mul(mul(mul(x, 0.5), neg(sub(mul(t, t), 1))), dInner));
    return [mul(g!, d), null];
  }
  const cdf = mul(add(callUnary('erf', mul(x, Math.SQRT1_2)), 1), 0.5);
  const pdf = mul(exp(mul(mul(x, x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return [mul(g!, add(cdf, mul(x, pdf))), null];
};

export const gradSoftplus: GradRule = ([g], [x, beta, threshold]) => [where(gt(mul(x, beta), threshold), g!, mul(g!, sigmoid(mul(x, beta)))), null, null];

export const gradElu: GradRule = ([g], [x, alpha, scale, inputScale], [y]) =>
  [where(gt(x, 0), mul(g!, scale), mul(g!, mul(add(y, alpha * scale), inputScale))), null, null, null];

export const gradLeakyRelu: GradRule = ([g], [x, slope]) => [where(gt(x, 0), g!, mul(g!, slope)), null];

/** hardtanh: strict bounds (PyTorch's hardtanh_backward). */
export const gradHardtanh: GradRule = ([g], [x, lo, hi]) => [keepWhere(logicalAnd(gt(x, lo), lt(x, hi)), g!), null, null];

/** clamp: inclusive bounds; a missing bound passes everything. */
export const gradClamp: GradRule = ([g], [x, lo, hi]) => {
  const inLo = lo === null ? null : ge(x, lo);
  const inHi = hi === null ? null : le(x, hi);
  const mask = inLo && inHi ? logicalAnd(inLo, inHi) : (inLo ?? inHi)!;
  return [keepWhere(mask, g!), null, null];
};
export const gradClampMin: GradRule = ([g], [x, lo]) => [keepWhere(ge(x, lo), g!), null];
export const gradClampMax: GradRule = ([g], [x, hi]) => [keepWhere(le(x, hi), g!), null];

export const gradClampTensor: GradRule = ([g], [x, lo, hi]) => {
  const inLo = lo ? ge(x, lo) : null;
  const inHi = hi ? le(x, hi) : null;
  const mask = inLo && inHi ? logicalAnd(inLo, inHi) : (inLo ?? inHi)!;
  // clamp_backward_min_max: with both bounds, min wins only below a consistent range, max above or when inverted.
  const gLo = lo ? keepWhere(hi ? logicalAnd(lt(x, lo), lt(lo, hi)) : lt(x, lo), g!) : null;
  const gHi = hi ? keepWhere(lo ? logicalOr(gt(x, hi), lt(hi, lo)) : gt(x, hi), g!) : null;
  return [keepWhere(mask, g!), gLo && sumTo(gLo, lo.shape), gHi && sumTo(gHi, hi.shape)];
};

export const gradZero: GradRule = ([g], args) => [zerosLike(g!), ...args.slice(1).map(() => null)];

const to = (g: T | null, v: unknown): T | null => (g && isT(v) ? sumTo(g, v.shape) : null);

export const gradAdd: GradRule = ([g], [a, b, alpha]) => [to(g, a), to(g && Number(alpha) !== 1 ? mul(g, alpha) : g, b), null];
export const gradSub: GradRule = ([g], [a, b, alpha]) => [to(g, a), to(g && neg(Number(alpha) !== 1 ? mul(g, alpha) : g), b), null];
/** rsub(self, other, alpha) = other - alpha * self. */
export const gradRsub: GradRule = ([g], [a, b, alpha]) => [to(g && neg(Number(alpha) !== 1 ? mul(g, alpha) : g), a), to(g, b), null];
export const gradMul: GradRule = ([g], [a, b]) => [to(g && mul(g, b), a), to(g && isT(b) ? mul(g, a) : null, b)];
export const gradDiv: GradRule = ([g], [a, b, mode]) => {
  if (mode) return [to(g && zerosLike(g), a), to(g && zerosLike(g), b), null];
  return [to(g && div(g, b), a), to(g && isT(b) ? neg(div(mul(g, a), mul(b, b))) : null, b), null];
};
export const gradPowScalar: GradRule = ([g], [x, e]) => [Number(e) === 0 ? zerosLike(g!) : mul(g!, mul(pow(x, Number(e) - 1), e)), null];
export const gradPowTensor: GradRule = ([g], [x, e], [y]) => {
  const dx = where(eq(e, 0), 0, mul(g!, mul(e, pow(x, sub(e, 1)))));
  const de = mul(g!, where(logicalAnd(eq(x, 0), ge(e, 0)), 0, mul(y, log(x))));
  return [sumTo(dx, x.shape), sumTo(de, e.shape)];
};
/** pow(scalar base, tensor exponent). */
export const gradPowScalarBase: GradRule = ([g], [b, _e], [y]) => [null, Number(b) === 0 ? zerosLike(g!) : mul(mul(g!, y), Math.log(Number(b)))];
export const gradAtan2: GradRule = ([g], [a, b]) => {
  const r = add(mul(a, a), mul(b, b));
  return [sumTo(div(mul(g!, b), r), a.shape), sumTo(neg(div(mul(g!, a), r)), b.shape)];
};
export const gradFmod: GradRule = ([g], [a, b]) => [to(g, a), to(g && isT(b) ? neg(mul(g, trunc(div(a, b)))) : null, b)];
export const gradRemainder: GradRule = ([g], [a, b]) => [to(g, a), to(g && isT(b) ? neg(mul(g, floor(div(a, b)))) : null, b)];

/** maximum/minimum: ties split the gradient in half (derivatives.yaml). */
const gradExtremum = (wins: (a: T, b: T) => T, loses: (a: T, b: T) => T): GradRule => ([g], [a, b]) => {
  const tie = where(eq(a, b), div(g!, 2), g!);
  return [sumTo(where(loses(a, b), 0, tie), a.shape), sumTo(where(wins(a, b), 0, tie), b.shape)];
};
export const gradMaximum = gradExtremum(gt, lt);
export const gradMinimum = gradExtremum(lt, gt);

export const gradMaskedFill: GradRule = ([g], [x, mask, v]) => [sumTo(where(mask, 0, g!), x.shape), null, isT(v) ? sum(where(mask, g!, 0)) : null];

/** where(cond, self, other); scalar branches get no gradient. */
export const gradWhere: GradRule = ([g], [cond, a, b]) => [null, isT(a) ? sumTo(where(cond, g!, 0), a.shape) : null, isT(b) ? sumTo(where(cond, 0, g!), b.shape) : null];
