// f32_unary: y[i] = f(x[i]) over contiguous f32, in place allowed; one loop per op type
// (see Note [Op types] in op-type.ts).
import { TAIL } from './scratch';
import { opOf } from './op-type';
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

// @ts-ignore: decorator
@inline function hardClamp(x: v128, lo: v128, hi: v128): v128 {
  // x first: pmax(x, lo) and pmin(., hi) return x itself when x is NaN.
  return f32x4.pmin(f32x4.pmax(x, lo), hi);
}

// Ops computed in SIMD; a and b are the splatted parameters p0 and p1.
@final @unmanaged class Neg { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.neg(x); } }
@final @unmanaged class Abs { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.abs(x); } }
@final @unmanaged class Exp { @inline vec(x: v128, a: v128, b: v128): v128 { return vexp(x); } }
@final @unmanaged class Log { @inline vec(x: v128, a: v128, b: v128): v128 { return vlog(x); } }
@final @unmanaged class Sqrt { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.sqrt(x); } }
@final @unmanaged class Rsqrt { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.div(spl(1.0), f32x4.sqrt(x)); } }
@final @unmanaged class Sigmoid { @inline vec(x: v128, a: v128, b: v128): v128 { return vsigmoid(x); } }
@final @unmanaged class Tanh { @inline vec(x: v128, a: v128, b: v128): v128 { return vtanh(x); } }
// pmax(x, 0) keeps NaN (x is the first operand).
@final @unmanaged class Relu { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.pmax(x, spl(0.0)); } }
@final @unmanaged class Reciprocal { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.div(spl(1.0), x); } }
@final @unmanaged class Expm1 { @inline vec(x: v128, a: v128, b: v128): v128 { return vexpm1(x); } }
@final @unmanaged class Log1p { @inline vec(x: v128, a: v128, b: v128): v128 { return vlog1p(x); } }
@final @unmanaged class Floor { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.floor(x); } }
@final @unmanaged class Ceil { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.ceil(x); } }
@final @unmanaged class Trunc { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.trunc(x); } }
// nearest rounds half to even, like torch.round.
@final @unmanaged class Round { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.nearest(x); } }
// (0 < x) - (x < 0) like PyTorch's CPU kernel: NaN gives 0.
@final @unmanaged class Sign {
  @inline vec(x: v128, a: v128, b: v128): v128 {
    const one = spl(1.0);
    return f32x4.sub(v128.and(f32x4.gt(x, spl(0.0)), one), v128.and(f32x4.lt(x, spl(0.0)), one));
  }
}
// PyTorch's form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
@final @unmanaged class GeluTanh {
  @inline vec(x: v128, a: v128, b: v128): v128 {
    const x3 = f32x4.mul(f32x4.mul(x, x), x);
    const inner = f32x4.mul(spl(0.7978845608028654), f32x4.add(x, f32x4.mul(spl(0.044715), x3)));
    return f32x4.mul(f32x4.mul(spl(0.5), x), f32x4.add(spl(1.0), vtanh(inner)));
  }
}
@final @unmanaged class Silu { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.div(x, f32x4.add(spl(1.0), vexp(f32x4.neg(x)))); } }
@final @unmanaged class Mish { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, vtanh(vlog1p(vexp(x)))); } }
// a = beta, b = threshold.
@final @unmanaged class Softplus {
  @inline vec(x: v128, a: v128, b: v128): v128 {
    const bx = f32x4.mul(x, a);
    return v128.bitselect(x, f32x4.div(vlog1p(vexp(bx)), a), f32x4.gt(bx, b));
  }
}
@final @unmanaged class Elu { @inline vec(x: v128, a: v128, b: v128): v128 { return v128.bitselect(x, f32x4.mul(a, vexpm1(x)), f32x4.gt(x, spl(0.0))); } }
@final @unmanaged class LeakyRelu { @inline vec(x: v128, a: v128, b: v128): v128 { return v128.bitselect(x, f32x4.mul(x, a), f32x4.gt(x, spl(0.0))); } }
@final @unmanaged class Hardtanh { @inline vec(x: v128, a: v128, b: v128): v128 { return hardClamp(x, a, b); } }
@final @unmanaged class Hardsigmoid {
  @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.div(hardClamp(f32x4.add(x, spl(3.0)), spl(0.0), spl(6.0)), spl(6.0)); }
}
@final @unmanaged class Hardswish {
  @inline vec(x: v128, a: v128, b: v128): v128 {
    return f32x4.div(f32x4.mul(x, hardClamp(f32x4.add(x, spl(3.0)), spl(0.0), spl(6.0))), spl(6.0));
  }
}
@final @unmanaged class Relu6 { @inline vec(x: v128, a: v128, b: v128): v128 { return hardClamp(x, spl(0.0), spl(6.0)); } }
@final @unmanaged class Square { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, x); } }
@final @unmanaged class AddScalar { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.add(x, a); } }
@final @unmanaged class MulScalar { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, a); } }
@final @unmanaged class RsubScalar { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.sub(a, x); } }
@final @unmanaged class Frac { @inline vec(x: v128, a: v128, b: v128): v128 { return f32x4.sub(x, f32x4.trunc(x)); } }

// The rarer ops, one lane at a time in f64 and rounded once (p = p0).
@final @unmanaged class Sin { @inline lane(x: f64, p: f64): f64 { return Math.sin(x); } }
@final @unmanaged class Cos { @inline lane(x: f64, p: f64): f64 { return Math.cos(x); } }
@final @unmanaged class Tan { @inline lane(x: f64, p: f64): f64 { return Math.tan(x); } }
@final @unmanaged class Atan { @inline lane(x: f64, p: f64): f64 { return Math.atan(x); } }
@final @unmanaged class Asin { @inline lane(x: f64, p: f64): f64 { return Math.asin(x); } }
@final @unmanaged class Acos { @inline lane(x: f64, p: f64): f64 { return Math.acos(x); } }
@final @unmanaged class Sinh { @inline lane(x: f64, p: f64): f64 { return Math.sinh(x); } }
@final @unmanaged class Cosh { @inline lane(x: f64, p: f64): f64 { return Math.cosh(x); } }
@final @unmanaged class Asinh { @inline lane(x: f64, p: f64): f64 { return Math.asinh(x); } }
@final @unmanaged class Acosh { @inline lane(x: f64, p: f64): f64 { return Math.acosh(x); } }
@final @unmanaged class Atanh { @inline lane(x: f64, p: f64): f64 { return Math.atanh(x); } }
@final @unmanaged class Log2 { @inline lane(x: f64, p: f64): f64 { return Math.log2(x); } }
@final @unmanaged class Log10 { @inline lane(x: f64, p: f64): f64 { return Math.log10(x); } }
@final @unmanaged class Exp2 { @inline lane(x: f64, p: f64): f64 { return Math.exp2(x); } }
@final @unmanaged class Erf { @inline lane(x: f64, p: f64): f64 { return erf64(x); } }
@final @unmanaged class Gelu { @inline lane(x: f64, p: f64): f64 { return 0.5 * x * (1.0 + erf64(x * 0.7071067811865476)); } }
// C pow: pow(1, p) and pow(x, 0) are 1 even for NaN.
@final @unmanaged class PowScalar { @inline lane(x: f64, p: f64): f64 { return x == 1 || p == 0 ? 1 : Math.pow(x, p); } }
// torch.logit: eps = p < 0 means no clamping.
@final @unmanaged class Logit {
  @inline lane(x: f64, p: f64): f64 {
    const z = p < 0 ? x : Math.min(Math.max(x, p), 1.0 - p);
    return Math.log(z / (1.0 - z));
  }
}

/** Adapts a lane op to the vector interface. */
@final @unmanaged class Lanes<S> {
  @inline vec(x: v128, a: v128, b: v128): v128 {
    const s = opOf<S>();
    const p = <f64>f32x4.extract_lane(a, 0);
    let r = f32x4.splat(<f32>s.lane(<f64>f32x4.extract_lane(x, 0), p));
    r = f32x4.replace_lane(r, 1, <f32>s.lane(<f64>f32x4.extract_lane(x, 1), p));
    r = f32x4.replace_lane(r, 2, <f32>s.lane(<f64>f32x4.extract_lane(x, 2), p));
    return f32x4.replace_lane(r, 3, <f32>s.lane(<f64>f32x4.extract_lane(x, 3), p));
  }
}

function mapUnary<T>(x: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  const op = opOf<T>();
  const a = spl(p0), b = spl(p1);
  const end = x + (<usize>n << 2);
  const vend = x + (<usize>(n & ~3) << 2);
  const d = y - x;
  let p = x;
  for (; p < vend; p += 16) v128.store(p + d, op.vec(v128.load(p), a, b));
  if (p < end) {
    // The last 1-3 elements go through the same vector code, staged in TAIL.
    const bytes = end - p;
    memory.copy(TAIL, p, bytes);
    v128.store(TAIL, op.vec(v128.load(TAIL), a, b));
    memory.copy(p + d, TAIL, bytes);
  }
}

/** y[i] = op(x[i]) for i < n; y may be x. p0/p1: the op's scalar parameters (see opcodes.ts). */
export function f32_unary_wasmsimd(op: i32, x: usize, y: usize, n: i32, p0: f32, p1: f32): void {
  switch (op) {
    case UNARY_NEG: mapUnary<Neg>(x, y, n, p0, p1); break;
    case UNARY_ABS: mapUnary<Abs>(x, y, n, p0, p1); break;
    case UNARY_EXP: mapUnary<Exp>(x, y, n, p0, p1); break;
    case UNARY_LOG: mapUnary<Log>(x, y, n, p0, p1); break;
    case UNARY_SQRT: mapUnary<Sqrt>(x, y, n, p0, p1); break;
    case UNARY_RSQRT: mapUnary<Rsqrt>(x, y, n, p0, p1); break;
    case UNARY_SIGMOID: mapUnary<Sigmoid>(x, y, n, p0, p1); break;
    case UNARY_TANH: mapUnary<Tanh>(x, y, n, p0, p1); break;
    case UNARY_RELU: mapUnary<Relu>(x, y, n, p0, p1); break;
    case UNARY_RECIPROCAL: mapUnary<Reciprocal>(x, y, n, p0, p1); break;
    case UNARY_SIN: mapUnary<Lanes<Sin>>(x, y, n, p0, p1); break;
    case UNARY_COS: mapUnary<Lanes<Cos>>(x, y, n, p0, p1); break;
    case UNARY_EXPM1: mapUnary<Expm1>(x, y, n, p0, p1); break;
    case UNARY_LOG1P: mapUnary<Log1p>(x, y, n, p0, p1); break;
    case UNARY_ERF: mapUnary<Lanes<Erf>>(x, y, n, p0, p1); break;
    case UNARY_FLOOR: mapUnary<Floor>(x, y, n, p0, p1); break;
    case UNARY_CEIL: mapUnary<Ceil>(x, y, n, p0, p1); break;
    case UNARY_TRUNC: mapUnary<Trunc>(x, y, n, p0, p1); break;
    case UNARY_ROUND: mapUnary<Round>(x, y, n, p0, p1); break;
    case UNARY_SIGN: mapUnary<Sign>(x, y, n, p0, p1); break;
    case UNARY_GELU: mapUnary<Lanes<Gelu>>(x, y, n, p0, p1); break;
    case UNARY_GELU_TANH: mapUnary<GeluTanh>(x, y, n, p0, p1); break;
    case UNARY_SILU: mapUnary<Silu>(x, y, n, p0, p1); break;
    case UNARY_MISH: mapUnary<Mish>(x, y, n, p0, p1); break;
    case UNARY_SOFTPLUS: mapUnary<Softplus>(x, y, n, p0, p1); break;
    case UNARY_ELU: mapUnary<Elu>(x, y, n, p0, p1); break;
    case UNARY_LEAKY_RELU: mapUnary<LeakyRelu>(x, y, n, p0, p1); break;
    case UNARY_HARDTANH: mapUnary<Hardtanh>(x, y, n, p0, p1); break;
    case UNARY_HARDSIGMOID: mapUnary<Hardsigmoid>(x, y, n, p0, p1); break;
    case UNARY_HARDSWISH: mapUnary<Hardswish>(x, y, n, p0, p1); break;
    case UNARY_RELU6: mapUnary<Relu6>(x, y, n, p0, p1); break;
    case UNARY_SQUARE: mapUnary<Square>(x, y, n, p0, p1); break;
    case UNARY_LOG2: mapUnary<Lanes<Log2>>(x, y, n, p0, p1); break;
    case UNARY_LOG10: mapUnary<Lanes<Log10>>(x, y, n, p0, p1); break;
    case UNARY_EXP2: mapUnary<Lanes<Exp2>>(x, y, n, p0, p1); break;
    case UNARY_ADD_SCALAR: mapUnary<AddScalar>(x, y, n, p0, p1); break;
    case UNARY_MUL_SCALAR: mapUnary<MulScalar>(x, y, n, p0, p1); break;
    case UNARY_POW_SCALAR: {
      // The exponents PyTorch special-cases, with PyTorch's formulas.
      if (p0 == 2.0) mapUnary<Square>(x, y, n, p0, p1);
      else if (p0 == 0.5) mapUnary<Sqrt>(x, y, n, p0, p1);
      else if (p0 == -0.5) mapUnary<Rsqrt>(x, y, n, p0, p1);
      else if (p0 == -1.0) mapUnary<Reciprocal>(x, y, n, p0, p1);
      else mapUnary<Lanes<PowScalar>>(x, y, n, p0, p1);
      break;
    }
    case UNARY_RSUB_SCALAR: mapUnary<RsubScalar>(x, y, n, p0, p1); break;
    case UNARY_TAN: mapUnary<Lanes<Tan>>(x, y, n, p0, p1); break;
    case UNARY_ATAN: mapUnary<Lanes<Atan>>(x, y, n, p0, p1); break;
    case UNARY_ASIN: mapUnary<Lanes<Asin>>(x, y, n, p0, p1); break;
    case UNARY_ACOS: mapUnary<Lanes<Acos>>(x, y, n, p0, p1); break;
    case UNARY_SINH: mapUnary<Lanes<Sinh>>(x, y, n, p0, p1); break;
    case UNARY_COSH: mapUnary<Lanes<Cosh>>(x, y, n, p0, p1); break;
    case UNARY_ASINH: mapUnary<Lanes<Asinh>>(x, y, n, p0, p1); break;
    case UNARY_ACOSH: mapUnary<Lanes<Acosh>>(x, y, n, p0, p1); break;
    case UNARY_ATANH: mapUnary<Lanes<Atanh>>(x, y, n, p0, p1); break;
    case UNARY_LOGIT: mapUnary<Lanes<Logit>>(x, y, n, p0, p1); break;
    case UNARY_FRAC: mapUnary<Frac>(x, y, n, p0, p1); break;
    default: break;
  }
}
