// What every bench reports: min/median/max of its measurements, and how far two results differ.
import type { Tensor } from '../src/index.js';

export type Stats = { min: number; median: number; max: number };

/** min/median/max of `xs` (sorted in place). */
export function summarize(xs: number[]): Stats {
  xs.sort((x, y) => x - y);
  return { min: xs[0], median: xs[Math.floor(xs.length / 2)], max: xs[xs.length - 1] };
}

/** `median (min-max)` with `digits` decimals. */
export const fmtStats = (s: Stats, digits = 1) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

/** The largest elementwise |a - b| over pairs of tensors. */
export function maxAbsDiff(as: readonly Tensor[], bs: readonly Tensor[]): number {
  let m = 0;
  as.forEach((a, k) => {
    const x = a.dataSync(), y = bs[k].dataSync();
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(Number(x[i]) - Number(y[i])));
  });
  return m;
}

/** Flops per round of the SIMD peak loop (assembly/kernels/f32-triad-wasmsimd.ts f32_peak_wasmsimd: 8 chains of f32x4 mul + add). */
export const PEAK_FLOPS_PER_ROUND = 64;

/** Calls per batch so that one batch of fn takes at least minMs (after 3 warm-up calls). */
export function batchSize(fn: () => void, minMs: number): number {
  for (let i = 0; i < 3; i++) fn();
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t0 >= minMs) return batch;
    batch *= 2;
  }
}
