// Vector math for f32x4 lanes: exp, log, log1p, expm1, sigmoid, tanh (Cephes-style range
// reduction + polynomial, ~1-2 ulp), NaN-propagating max/min, and the f64 helpers the rarer ops
// evaluate lane by lane. IEEE special values are fixed up with masks, never with branches.

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// ln 2 split so that n * LN2_HI is exact for |n| <= 2^9.
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;

// @ts-ignore: decorator
@inline function spl(x: f32): v128 { return f32x4.splat(x); }

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 { return f32x4.add(f32x4.mul(a, b), c); }

/** exp(x); exact 0 below -103.97, inf above 88.72, NaN kept; denormal results are produced. */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  // Clamp with pmin/pmax (NaN stays in x): beyond the range the result is 0 or inf anyway.
  x = f32x4.pmax(f32x4.pmin(x, spl(89.0)), spl(-104.0));
  const fn = f32x4.nearest(f32x4.mul(x, spl(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(fn, spl(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fn, spl(LN2_LO)));
  const z = f32x4.mul(r, r);
  let p = madd(spl(1.9875691500e-4), r, spl(1.3981999507e-3));
  p = madd(p, r, spl(8.3334519073e-3));
  p = madd(p, r, spl(4.1665795894e-2));
  p = madd(p, r, spl(1.6666665459e-1));
  p = madd(p, r, spl(5.0000001201e-1));
  p = f32x4.add(madd(p, z, r), spl(1.0));
  // Scale by 2^n in two steps so that n in [-150, 128] gives denormals and inf correctly.
  const n = i32x4.trunc_sat_f32x4_s(fn);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** log(x): -inf at ±0, NaN below 0, inf at inf; denormal inputs are exact. */
// @ts-ignore: decorator
@inline export function vlog(x0: v128): v128 {
  // Denormals: scale by 2^23 and take 23 off the exponent.
  const tiny = f32x4.lt(x0, spl(1.17549435e-38));
  const x = v128.bitselect(f32x4.mul(x0, spl(8388608.0)), x0, tiny);
  const bits = x;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  // Mantissa in [0.5, 1); below sqrt(1/2) use 2m - 1 and e - 1 so that |m - 1| <= 0.29.
  let m = v128.or(v128.and(bits, i32x4.splat(0x007FFFFF)), i32x4.splat(0x3F000000));
  const small = f32x4.lt(m, spl(0.707106781186547524));
  e = i32x4.add(e, small); // the mask is -1 where true
  m = f32x4.sub(f32x4.add(m, v128.and(m, small)), spl(1.0));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = madd(spl(7.0376836292e-2), m, spl(-1.1514610310e-1));
  p = madd(p, m, spl(1.1676998740e-1));
  p = madd(p, m, spl(-1.2420140846e-1));
  p = madd(p, m, spl(1.4249322787e-1));
  p = madd(p, m, spl(-1.6668057665e-1));
  p = madd(p, m, spl(2.0000714765e-1));
  p = madd(p, m, spl(-2.4999993993e-1));
  p = madd(p, m, spl(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = madd(fe, spl(LN2_LO), y);
  y = madd(z, spl(-0.5), y);
  let r = f32x4.add(m, y);
  r = madd(fe, spl(LN2_HI), r);
  // inf and NaN give themselves, 0 gives -inf, negatives give NaN.
  const self = v128.or(f32x4.eq(x0, spl(Infinity)), f32x4.ne(x0, x0));
  r = v128.bitselect(x0, r, self);
  r = v128.bitselect(spl(-Infinity), r, f32x4.eq(x0, spl(0.0)));
  return v128.bitselect(spl(NaN), r, f32x4.lt(x0, spl(0.0)));
}

/** log(1 + u), accurate for tiny u: log(w) * u / (w - 1) with w = 1 + u (Kahan). */
// @ts-ignore: decorator
@inline export function vlog1p(u: v128): v128 {
  const w = f32x4.add(u, spl(1.0));
  const d = f32x4.sub(w, spl(1.0));
  const r = f32x4.div(f32x4.mul(vlog(w), u), d);
  // w == 1: log1p(u) = u to f32 precision; u == inf: inf (the quotient would be NaN).
  const exact = v128.or(f32x4.eq(d, spl(0.0)), f32x4.eq(u, spl(Infinity)));
  return v128.bitselect(u, r, exact);
}

/** exp(x) - 1: a degree-10 Taylor polynomial for |x| < 0.5, exp(x) - 1 beyond. */
// @ts-ignore: decorator
@inline export function vexpm1(x: v128): v128 {
  let p = madd(spl(2.755731922e-7), x, spl(2.755731922e-6));
  p = madd(p, x, spl(2.480158730e-5));
  p = madd(p, x, spl(1.984126984e-4));
  p = madd(p, x, spl(1.388888889e-3));
  p = madd(p, x, spl(8.333333333e-3));
  p = madd(p, x, spl(4.166666667e-2));
  p = madd(p, x, spl(1.666666667e-1));
  p = madd(p, x, spl(0.5));
  p = madd(f32x4.mul(p, x), x, x);
  const big = f32x4.sub(vexp(x), spl(1.0));
  return v128.bitselect(p, big, f32x4.lt(f32x4.abs(x), spl(0.5)));
}

/** 1 / (1 + exp(-x)), computed from e = exp(-|x|) so that large negative x gives e, not 0 or NaN. */
// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(spl(1.0), f32x4.add(spl(1.0), e));
  return v128.bitselect(f32x4.mul(e, r), r, f32x4.lt(x, spl(0.0)));
}

/** tanh(x): odd polynomial for |x| < 0.625, 1 - 2 / (exp(2|x|) + 1) with the sign beyond. */
// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = madd(spl(-5.70498872745e-3), z, spl(2.06390887954e-2));
  p = madd(p, z, spl(-5.37397155531e-2));
  p = madd(p, z, spl(1.33314422036e-1));
  p = madd(p, z, spl(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, z), x, x);
  const e = vexp(f32x4.add(ax, ax));
  let big = f32x4.sub(spl(1.0), f32x4.div(spl(2.0), f32x4.add(e, spl(1.0))));
  big = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(big, small, f32x4.gt(ax, spl(0.625)));
}

/** torch.maximum: pmax plus a NaN fix-up (a + b is NaN when either is). */
// @ts-ignore: decorator
@inline export function vmaxnan(a: v128, b: v128): v128 {
  const nan = v128.or(f32x4.ne(a, a), f32x4.ne(b, b));
  return v128.bitselect(f32x4.add(a, b), f32x4.pmax(a, b), nan);
}

/** torch.minimum: pmin plus the same NaN fix-up. */
// @ts-ignore: decorator
@inline export function vminnan(a: v128, b: v128): v128 {
  const nan = v128.or(f32x4.ne(a, a), f32x4.ne(b, b));
  return v128.bitselect(f32x4.add(a, b), f32x4.pmin(a, b), nan);
}

/** The sum of the four lanes, added in f64. */
// @ts-ignore: decorator
@inline export function hsum64(v: v128): f64 {
  const s = f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** The largest of the four lanes (pmax: a NaN lane is not propagated). */
// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
  v = f32x4.pmax(v, i64x2.shuffle(v, v, 1, 0));
  return f32x4.extract_lane(f32x4.pmax(v, i32x4.shuffle(v, v, 1, 0, 3, 2)), 0);
}

/**
 * erf in f64 from the all-positive series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!
 * (no cancellation); |x| >= 3.9 rounds to ±1 in f32.
 */
export function erf64(x: f64): f64 {
  const ax = Math.abs(x);
  if (!(ax < 3.9)) return x != x ? x : (x > 0 ? 1.0 : -1.0);
  const x2 = ax * ax;
  let term = ax, sum = ax;
  for (let k = 1; k < 200; k++) {
    term *= (2.0 * x2) / <f64>(2 * k + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const r = 1.1283791670955126 * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}
