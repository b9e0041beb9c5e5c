// f32_unary: y[i] = f(x[i]) over contiguous f32, in place allowed. One specialised loop per op
// (the op is a constant at each inlined call site, so the switch in unaryVec folds away).
import { TAIL } from './scratch';
import { vexp, vlog, vlog1p, vexpm1, vsigmoid, vtanh, erf64 } from './f32-vmath-wasmsimd';
import {
  UNARY_NEG, UNARY_ABS, UNARY_EXP, UNARY_LOG, UNARY_SQRT, UNARY_RSQRT, UNARY_SIGMOID, UNARY_TANH,
  UNARY_RELU, UNARY_RECIPROCAL, UNARY_SIN, UNARY_COS, UNARY_EXPM1, UNARY_LOG1P, UNARY_ERF,
  UNARY_FLOOR, UNARY_CEIL, UNARY_TRUNC, UNARY_ROUND, UNARY_SIGN, UNARY_GELU, UNARY_GELU_TANH,
  UNARY_SILU, UNARY_MISH, UNARY_SOFTPLUS, UNARY_ELU, UNARY_LEAKY_RELU, UNARY_HARDTANH,
  UNARY_HARDSIGMOID, UNARY_HARDSWISH, UNARY_RELU6, UNARY_SQUARE, UNARY_LOG2, UNARY_LOG10,
  UNARY_EXP2, UNARY_ADD_SCALAR, UNARY_MUL_SCALAR, UNARY_POW_SCALAR, UNARY_RSUB_SCALAR, UNARY_TAN,
  UNARY_ATAN, UNARY_ASIN, UNARY_ACOS, UNARY_SINH, UNARY_COSH, UNARY_ASINH, UNARY_ACOSH,
  UNARY_ATANH, UNARY_LOGIT, UNARY_FRAC,
} from './opcodes';

// @ts-ignore: decorator
@inline function spl(x: f32): v128 { return f32x4.splat(x); }

// The rarer ops, one lane at a time in f64 and rounded once: accurate to 0.5 ulp of the f64 result.
// @ts-ignore: decorator
@inline function unaryScalar64(op: i32, x: f64, p0: f64): f64 {
  switch (op) {
    case UNARY_SIN: return Math.sin(x);
    case UNARY_COS: return Math.cos(x);
    case UNARY_TAN: return Math.tan(x);
    case UNARY_ATAN: return Math.atan(x);
    case UNARY_ASIN: return Math.asin(x);
    case UNARY_ACOS: return Math.acos(x);
    case UNARY_SINH: return Math.sinh(x);
    case UNARY_COSH: return Math.cosh(x);
    case UNARY_ASINH: return Math.asinh(x);
    case UNARY_ACOSH: return Math.acosh(x);
    case UNARY_ATANH: return Math.atanh(x);
    case UNARY_LOG2: return Math.log2(x);
    case UNARY_LOG10: return Math.log10(x);
    case UNARY_EXP2: return Math.exp2(x);
    case UNARY_ERF: return erf64(x);
    case UNARY_GELU: return 0.5 * x * (1.0 + erf64(x * 0.7071067811865476));
    case UNARY_POW_SCALAR: return Math.pow(x, p0);
    case UNARY_LOGIT: {
      // torch.logit: eps < 0 means no clamping.
      const z = p0 < 0 ? x : Math.min(Math.max(x, p0), 1.0 - p0);
      return Math.log(z / (1.0 - z));
    }
    default: return NaN;
  }
}

// @ts-ignore: decorator
@inline function lanes64(op: i32, v: v128, p0: f32): v128 {
  const q = <f64>p0;
  let r = f32x4.splat(<f32>unaryScalar64(op, <f64>f32x4.extract_lane(v, 0), q));
  r = f32x4.replace_lane(r, 1, <f32>unaryScalar64(op, <f64>f32x4.extract_lane(v, 1), q));
  r = f32x4.replace_lane(r, 2, <f32>unaryScalar64(op, <f64>f32x4.extract_lane(v, 2), q));
  return f32x4.replace_lane(r, 3, <f32>unaryScalar64(op, <f64>f32x4.extract_lane(v, 3), q));
}

// @ts-ignore: decorator
@inline function hardClamp(x: v128, lo: v128, hi: v128): v128 {
  // x first: pmax(x, lo) and pmin(., hi) return x itself when x is NaN.
  return f32x4.pmin(f32x4.pmax(x, lo), hi);
}

// @ts-ignore: decorator
@inline function unaryVec(op: i32, x: v128, a: v128, b: v128, p0: f32): v128 {
  switch (op) {
    case UNARY_NEG: return f32x4.neg(x);
    case UNARY_ABS: return f32x4.abs(x);
    case UNARY_EXP: return vexp(x);
    case UNARY_LOG: return vlog(x);
    case UNARY_SQRT: return f32x4.sqrt(x);
    case UNARY_RSQRT: return f32x4.div(spl(1.0), f32x4.sqrt(x));
    case UNARY_SIGMOID: return vsigmoid(x);
    case UNARY_TANH: return vtanh(x);
    case UNARY_RELU: return f32x4.pmax(x, spl(0.0));
    case UNARY_RECIPROCAL: return f32x4.div(spl(1.0), x);
    case UNARY_EXPM1: return vexpm1(x);
    case UNARY_LOG1P: return vlog1p(x);
    case UNARY_FLOOR: return f32x4.floor(x);
    case UNARY_CEIL: return f32x4.ceil(x);
    case UNARY_TRUNC: return f32x4.trunc(x);
    case UNARY_ROUND: return f32x4.nearest(x);
    case UNARY_SIGN: {
      // (0 < x) - (x < 0) like PyTorch's CPU kernel: NaN gives 0.
      const one = spl(1.0);
      return f32x4.sub(v128.and(f32x4.gt(x, spl(0.0)), one), v128.and(f32x4.lt(x, spl(0.0)), one));
    }
    case UNARY_GELU_TANH: {
      // PyTorch's form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
      const inner = f32x4.mul(spl(0.7978845608028654), f32x4.add(x, f32x4.mul(spl(0.044715), f32x4.mul(f32x4.mul(x, x), x))));
      return f32x4.mul(f32x4.mul(spl(0.5), x), f32x4.add(spl(1.0), vtanh(inner)));
    }
    case UNARY_SILU: return f32x4.div(x, f32x4.add(spl(1.0), vexp(f32x4.neg(x))));
    case UNARY_MISH: return f32x4.mul(x, vtanh(vlog1p(vexp(x))));
    case UNARY_SOFTPLUS: {
      // a = beta, b = threshold.
      const bx = f32x4.mul(x, a);
      const r = f32x4.div(vlog1p(vexp(bx)), a);
      return v128.bitselect(x, r, f32x4.gt(bx, b));
    }
    case UNARY_ELU: return v128.bitselect(x, f32x4.mul(a, vexpm1(x)), f32x4.gt(x, spl(0.0)));
    case UNARY_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, a), f32x4.gt(x, spl(0.0)));
    case UNARY_HARDTANH: return hardClamp(x, a, b);
    case UNARY_HARDSIGMOID: return f32x4.div(hardClamp(f32x4.add(x, spl(3.0)), spl(0.0), spl(6.0)), spl(6.0));
    case UNARY_HARDSWISH: return f32x4.div(f32x4.mul(x, hardClamp(f32x4.add(x, spl(3.0)), spl(0.0), spl(6.0))), spl(6.0));
    case UNARY_RELU6: return hardClamp(x, spl(0.0), spl(6.0));
    case UNARY_SQUARE: return f32x4.mul(x, x);
    case UNARY_ADD_SCALAR: return f32x4.add(x, a);
    case UNARY_MUL_SCALAR: return f32x4.mul(x, a);
    case UNARY_RSUB_SCALAR: return f32x4.sub(a, x);
    case UNARY_FRAC: return f32x4.sub(x, f32x4.trunc(x));
    default: return lanes64(op, x, p0);
  }
}

// @ts-ignore: decorator
@inline function mapUnary(op: i32, x: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  const a = spl(p0), b = spl(p1);
  const end = x + (<usize>n << 2);
  const vend = x + (<usize>(n & ~3) << 2);
  const d = y - x;
  let p = x;
  for (; p < vend; p += 16) v128.store(p + d, unaryVec(op, v128.load(p), a, b, p0));
  if (p < end) {
    const bytes = end - p;
    memory.copy(TAIL, p, bytes);
    v128.store(TAIL, unaryVec(op, v128.load(TAIL), a, b, p0));
    memory.copy(p + d, TAIL, bytes);
  }
}

/** y[i] = op(x[i]) for i < n; y may be x. p0/p1: the op's scalar parameters (see opcodes.ts). */
export function f32_unary_wasmsimd(op: i32, x: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  switch (op) {
    case UNARY_NEG: mapUnary(UNARY_NEG, x, y, n, p0, p1); break;
    case UNARY_ABS: mapUnary(UNARY_ABS, x, y, n, p0, p1); break;
    case UNARY_EXP: mapUnary(UNARY_EXP, x, y, n, p0, p1); break;
    case UNARY_LOG: mapUnary(UNARY_LOG, x, y, n, p0, p1); break;
    case UNARY_SQRT: mapUnary(UNARY_SQRT, x, y, n, p0, p1); break;
    case UNARY_RSQRT: mapUnary(UNARY_RSQRT, x, y, n, p0, p1); break;
    case UNARY_SIGMOID: mapUnary(UNARY_SIGMOID, x, y, n, p0, p1); break;
    case UNARY_TANH: mapUnary(UNARY_TANH, x, y, n, p0, p1); break;
    case UNARY_RELU: mapUnary(UNARY_RELU, x, y, n, p0, p1); break;
    case UNARY_RECIPROCAL: mapUnary(UNARY_RECIPROCAL, x, y, n, p0, p1); break;
    case UNARY_EXPM1: mapUnary(UNARY_EXPM1, x, y, n, p0, p1); break;
    case UNARY_LOG1P: mapUnary(UNARY_LOG1P, x, y, n, p0, p1); break;
    case UNARY_FLOOR: mapUnary(UNARY_FLOOR, x, y, n, p0, p1); break;
    case UNARY_CEIL: mapUnary(UNARY_CEIL, x, y, n, p0, p1); break;
    case UNARY_TRUNC: mapUnary(UNARY_TRUNC, x, y, n, p0, p1); break;
    case UNARY_ROUND: mapUnary(UNARY_ROUND, x, y, n, p0, p1); break;
    case UNARY_SIGN: mapUnary(UNARY_SIGN, x, y, n, p0, p1); break;
    case UNARY_GELU_TANH: mapUnary(UNARY_GELU_TANH, x, y, n, p0, p1); break;
    case UNARY_SILU: mapUnary(UNARY_SILU, x, y, n, p0, p1); break;
    case UNARY_MISH: mapUnary(UNARY_MISH, x, y, n, p0, p1); break;
    case UNARY_SOFTPLUS: mapUnary(UNARY_SOFTPLUS, x, y, n, p0, p1); break;
    case UNARY_ELU: mapUnary(UNARY_ELU, x, y, n, p0, p1); break;
    case UNARY_LEAKY_RELU: mapUnary(UNARY_LEAKY_RELU, x, y, n, p0, p1); break;
    case UNARY_HARDTANH: mapUnary(UNARY_HARDTANH, x, y, n, p0, p1); break;
    case UNARY_HARDSIGMOID: mapUnary(UNARY_HARDSIGMOID, x, y, n, p0, p1); break;
    case UNARY_HARDSWISH: mapUnary(UNARY_HARDSWISH, x, y, n, p0, p1); break;
    case UNARY_RELU6: mapUnary(UNARY_RELU6, x, y, n, p0, p1); break;
    case UNARY_SQUARE: mapUnary(UNARY_SQUARE, x, y, n, p0, p1); break;
    case UNARY_ADD_SCALAR: mapUnary(UNARY_ADD_SCALAR, x, y, n, p0, p1); break;
    case UNARY_MUL_SCALAR: mapUnary(UNARY_MUL_SCALAR, x, y, n, p0, p1); break;
    case UNARY_RSUB_SCALAR: mapUnary(UNARY_RSUB_SCALAR, x, y, n, p0, p1); break;
    case UNARY_FRAC: mapUnary(UNARY_FRAC, x, y, n, p0, p1); break;
    case UNARY_POW_SCALAR: {
      // The exponents PyTorch special-cases, with PyTorch's formulas.
      if (p0 == 2.0) mapUnary(UNARY_SQUARE, x, y, n, p0, p1);
      else if (p0 == 0.5) mapUnary(UNARY_SQRT, x, y, n, p0, p1);
      else if (p0 == -0.5) mapUnary(UNARY_RSQRT, x, y, n, p0, p1);
      else if (p0 == -1.0) mapUnary(UNARY_RECIPROCAL, x, y, n, p0, p1);
      else mapUnary(UNARY_POW_SCALAR, x, y, n, p0, p1);
      break;
    }
    case UNARY_SIN: mapUnary(UNARY_SIN, x, y, n, p0, p1); break;
    case UNARY_COS: mapUnary(UNARY_COS, x, y, n, p0, p1); break;
    case UNARY_TAN: mapUnary(UNARY_TAN, x, y, n, p0, p1); break;
    case UNARY_ATAN: mapUnary(UNARY_ATAN, x, y, n, p0, p1); break;
    case UNARY_ASIN: mapUnary(UNARY_ASIN, x, y, n, p0, p1); break;
    case UNARY_ACOS: mapUnary(UNARY_ACOS, x, y, n, p0, p1); break;
    case UNARY_SINH: mapUnary(UNARY_SINH, x, y, n, p0, p1); break;
    case UNARY_COSH: mapUnary(UNARY_COSH, x, y, n, p0, p1); break;
    case UNARY_ASINH: mapUnary(UNARY_ASINH, x, y, n, p0, p1); break;
    case UNARY_ACOSH: mapUnary(UNARY_ACOSH, x, y, n, p0, p1); break;
    case UNARY_ATANH: mapUnary(UNARY_ATANH, x, y, n, p0, p1); break;
    case UNARY_LOG2: mapUnary(UNARY_LOG2, x, y, n, p0, p1); break;
    case UNARY_LOG10: mapUnary(UNARY_LOG10, x, y, n, p0, p1); break;
    case UNARY_EXP2: mapUnary(UNARY_EXP2, x, y, n, p0, p1); break;
    case UNARY_ERF: mapUnary(UNARY_ERF, x, y, n, p0, p1); break;
    case UNARY_GELU: mapUnary(UNARY_GELU, x, y, n, p0, p1); break;
    case UNARY_LOGIT: mapUnary(UNARY_LOGIT, x, y, n, p0, p1); break;
    default: break;
  }
}
