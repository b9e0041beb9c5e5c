// What the kernel tests share: the raw engine instance (kernels called directly, no SDK between),
// a float32 view of its memory, a seeded generator (failures reproduce) and the float tolerance.
import * as fs from 'node:fs';

const { instance } = await WebAssembly.instantiate(fs.readFileSync('build/torchwick.wasm'), {
  env: { abort() { throw new Error('abort'); } },
});
/** The exports of build/torchwick.wasm. */
export const w = instance.exports as any;

/** `n` float32 elements at byte address `p` (a fresh view: memory may have grown). */
export const f32 = (p: number, n: number) => new Float32Array(w.memory.buffer, p, n);

/** Uniform floats in [lo, hi) from a linear congruential generator started at `seed`. */
export function lcg(seed: number, lo = 0, hi = 1): () => number {
  return () => lo + ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * (hi - lo);
}

/** |got - want| <= atol + rtol * |want| (PyTorch's float32 pointwise tolerance by default); NaN and infinities must match exactly. */
export function close(got: number, want: number, rtol = 1.3e-6, atol = 1e-5): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}
