// c + a * b on f32x4: one f32x4.relaxed_madd in the relaxed-SIMD build (build/torchwick.relaxed.wasm,
// a fused multiply-add on hosts with FMA: one instruction and one rounding instead of two), mul then
// add in the plain SIMD build. ASC_FEATURE_RELAXED_SIMD is a compile-time constant: no branch remains.

// @ts-ignore: decorator
@inline export function fmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
