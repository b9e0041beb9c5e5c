// The eager kernels' SIMD math (assembly/kernels/f32-vmath-wasmsimd.ts), emitted instruction for
// instruction into generated functions so that fused results equal unfused ones bit for bit.
// Each function takes and returns v128 locals of `f`.
import { FnBuilder, SIMD as S } from './wasm-binary.js';

const f32 = Math.fround;
const LOG2E = f32(1.44269504088896341);
const LN2_HI = f32(0.693359375);
const LN2_LO = f32(-2.12194440e-4);

/** a * b + c, unfused (WebAssembly SIMD has no FMA), as vmath's madd. */
function madd(f: FnBuilder, a: number, b: number, c: number): number {
  return f.vop(S.f32x4Add, f.vop(S.f32x4Mul, a, b), c);
}
/** Horner's rule over coefficients `cs` (highest first) in `x`, as vmath's madd chains. */
function horner(f: FnBuilder, x: number, cs: number[]): number {
  let p = madd(f, f.constF32(cs[0]), x, f.constF32(cs[1]));
  for (const c of cs.slice(2)) p = madd(f, p, x, f.constF32(c));
  return p;
}
const k = (f: FnBuilder, x: number) => f.constF32(x);
const ki = (f: FnBuilder, bits: number) => f.constBits(bits);

export function emitExp(f: FnBuilder, x0: number): number {
  const x = f.vop(S.f32x4Pmax, f.vop(S.f32x4Pmin, x0, k(f, 89)), k(f, -104));
  const fn = f.vop(S.f32x4Nearest, f.vop(S.f32x4Mul, x, k(f, LOG2E)));
  let r = f.vop(S.f32x4Sub, x, f.vop(S.f32x4Mul, fn, k(f, LN2_HI)));
  r = f.vop(S.f32x4Sub, r, f.vop(S.f32x4Mul, fn, k(f, LN2_LO)));
  const z = f.vop(S.f32x4Mul, r, r);
  let p = horner(f, r, [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]);
  p = f.vop(S.f32x4Add, madd(f, p, z, r), k(f, 1));
  const n = f.vop(S.i32x4TruncSatF32x4S, fn);
  const n1 = f.vshift(S.i32x4ShrS, n, 1);
  const n2 = f.vop(S.i32x4Sub, n, n1);
  const s1 = f.vshift(S.i32x4Shl, f.vop(S.i32x4Add, n1, ki(f, 127)), 23);
  const s2 = f.vshift(S.i32x4Shl, f.vop(S.i32x4Add, n2, ki(f, 127)), 23);
  return f.vop(S.f32x4Mul, f.vop(S.f32x4Mul, p, s1), s2);
}

export function emitLog(f: FnBuilder, x0: number): number {
  const tiny = f.vop(S.f32x4Lt, x0, k(f, 1.17549435e-38));
  const x = f.vop(S.bitselect, f.vop(S.f32x4Mul, x0, k(f, 8388608)), x0, tiny);
  let e = f.vop(S.i32x4Sub, f.vshift(S.i32x4ShrU, x, 23), ki(f, 126));
  e = f.vop(S.i32x4Sub, e, f.vop(S.and, tiny, ki(f, 23)));
  let m = f.vop(S.or, f.vop(S.and, x, ki(f, 0x007fffff)), ki(f, 0x3f000000));
  const small = f.vop(S.f32x4Lt, m, k(f, 0.707106781186547524));
  e = f.vop(S.i32x4Add, e, small);
  m = f.vop(S.f32x4Sub, f.vop(S.f32x4Add, m, f.vop(S.and, m, small)), k(f, 1));
  const fe = f.vop(S.f32x4ConvertI32x4S, e);
  const z = f.vop(S.f32x4Mul, m, m);
  const p = horner(f, m, [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]);
  let y = f.vop(S.f32x4Mul, f.vop(S.f32x4Mul, p, m), z);
  y = madd(f, fe, k(f, LN2_LO), y);
  y = madd(f, z, k(f, -0.5), y);
  let r = f.vop(S.f32x4Add, m, y);
  r = madd(f, fe, k(f, LN2_HI), r);
  const self = f.vop(S.or, f.vop(S.f32x4Eq, x0, k(f, Infinity)), f.vop(S.f32x4Ne, x0, x0));
  r = f.vop(S.bitselect, x0, r, self);
  r = f.vop(S.bitselect, k(f, -Infinity), r, f.vop(S.f32x4Eq, x0, k(f, 0)));
  return f.vop(S.bitselect, k(f, NaN), r, f.vop(S.f32x4Lt, x0, k(f, 0)));
}

export function emitLog1p(f: FnBuilder, u: number): number {
  const w = f.vop(S.f32x4Add, u, k(f, 1));
  const d = f.vop(S.f32x4Sub, w, k(f, 1));
  const r = f.vop(S.f32x4Div, f.vop(S.f32x4Mul, emitLog(f, w), u), d);
  const exact = f.vop(S.or, f.vop(S.f32x4Eq, d, k(f, 0)), f.vop(S.f32x4Eq, u, k(f, Infinity)));
  return f.vop(S.bitselect, u, r, exact);
}

export function emitExpm1(f: FnBuilder, x: number): number {
  let p = horner(f, x, [2.755731922e-7, 2.755731922e-6, 2.480158730e-5, 1.984126984e-4, 1.388888889e-3,
    8.333333333e-3, 4.166666667e-2, 1.666666667e-1, 0.5]);
  p = madd(f, f.vop(S.f32x4Mul, p, x), x, x);
  const big = f.vop(S.f32x4Sub, emitExp(f, x), k(f, 1));
  return f.vop(S.bitselect, p, big, f.vop(S.f32x4Lt, f.vop(S.f32x4Abs, x), k(f, 0.5)));
}

export function emitSigmoid(f: FnBuilder, x: number): number {
  const e = emitExp(f, f.vop(S.f32x4Neg, f.vop(S.f32x4Abs, x)));
  const r = f.vop(S.f32x4Div, k(f, 1), f.vop(S.f32x4Add, k(f, 1), e));
  return f.vop(S.bitselect, f.vop(S.f32x4Mul, e, r), r, f.vop(S.f32x4Lt, x, k(f, 0)));
}

export function emitTanh(f: FnBuilder, x: number): number {
  const ax = f.vop(S.f32x4Abs, x);
  const z = f.vop(S.f32x4Mul, x, x);
  const p = horner(f, z, [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]);
  const small = madd(f, f.vop(S.f32x4Mul, p, z), x, x);
  const e = emitExp(f, f.vop(S.f32x4Add, ax, ax));
  let big = f.vop(S.f32x4Sub, k(f, 1), f.vop(S.f32x4Div, k(f, 2), f.vop(S.f32x4Add, e, k(f, 1))));
  big = f.vop(S.or, big, f.vop(S.and, x, ki(f, 0x80000000)));
  return f.vop(S.bitselect, big, small, f.vop(S.f32x4Gt, ax, k(f, 0.625)));
}

/**
 * torch.maximum / minimum: pmax(a, b) is a < b ? b : a, which already gives NaN when a is NaN;
 * only a NaN b needs the fix-up: OR-ing a NaN's bits into any value leaves a NaN (exponent all
 * ones, mantissa not zero), and OR-ing zero changes nothing: pmax | (b != b & b). Three cheap
 * instructions after the pmax, where a bitselect costs three on its own.
 */
export function emitMaxMin(f: FnBuilder, pop: number, a: number, b: number): number {
  return f.vop(S.or, f.vop(pop, a, b), f.vop(S.and, f.vop(S.f32x4Ne, b, b), b));
}
