// f32_gemm against a naive triple loop (f64 accumulation) for all transA/transB, alpha/beta,
// edge sizes around the 4x8 tile and the K/M/N blocking, strided leading dimensions, K = 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { w, f32, lcg } from './wasm.js';

const rand = lcg(99, -1, 1);

function check(tA: number, tB: number, M: number, N: number, K: number, alpha: number, beta: number, pad = 0) {
  // Leading dimensions with optional padding, as row-major BLAS sees them.
  const lda = (tA ? M : K) + pad, ldb = (tB ? K : N) + pad, ldc = N + pad;
  const aLen = (tA ? K : M) * lda, bLen = (tB ? N : K) * ldb, cLen = M * ldc;
  const A = Float32Array.from({ length: aLen }, rand), B = Float32Array.from({ length: bLen }, rand);
  const C0 = Float32Array.from({ length: cLen }, rand);
  if (beta === 0) C0.fill(NaN); // must not be read
  const pa = w.alloc(aLen * 4), pb = w.alloc(bLen * 4), pc = w.alloc(cLen * 4);
  const pw = w.alloc(w.f32_gemm_workspace(M, N, K));
  f32(pa, aLen).set(A); f32(pb, bLen).set(B); f32(pc, cLen).set(C0);
  w.f32_gemm(tA, tB, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc, pw);
  const C = f32(pc, cLen).slice();
  const a = (i: number, k: number) => (tA ? A[k * lda + i] : A[i * lda + k]);
  const b = (k: number, j: number) => (tB ? B[j * ldb + k] : B[k * ldb + j]);
  let worst = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0, mag = 0;
      for (let k = 0; k < K; k++) { s += a(i, k) * b(k, j); mag += Math.abs(a(i, k) * b(k, j)); }
      const want = alpha * s + (beta === 0 ? 0 : beta * C0[i * ldc + j]);
      const scale = Math.abs(alpha) * mag + Math.abs(beta === 0 ? 0 : beta * C0[i * ldc + j]) + 1e-30;
      const err = Math.abs(C[i * ldc + j] - want) / scale;
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
    }
  }
  // Padding columns of C are untouched.
  for (let i = 0; i < M; i++) for (let j = N; j < ldc; j++) {
    const got = C[i * ldc + j], want = C0[i * ldc + j];
    assert.ok(Object.is(got, want), `padding C[${i},${j}] changed`);
  }
  for (const p of [pa, pb, pc, pw]) w.free(p);
  assert.ok(worst < 1e-4, `tA=${tA} tB=${tB} M=${M} N=${N} K=${K} alpha=${alpha} beta=${beta} pad=${pad}: rel err ${worst}`);
}

test('edge sizes around the 4x8 tile, all transposes, alpha/beta', () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 12, 17];
  for (const tA of [0, 1]) for (const tB of [0, 1]) {
    for (const M of sizes) for (const N of sizes) {
      const K = 1 + ((M * 7 + N * 3) % 19);
      check(tA, tB, M, N, K, 1, 0);
    }
    check(tA, tB, 5, 9, 13, 0.5, 2);
    check(tA, tB, 4, 8, 16, -1.5, 1);
    check(tA, tB, 6, 10, 3, 1, 0.25, 3);
  }
});

test('blocking: K over 256, M over 128, N over 1024', () => {
  check(0, 0, 33, 40, 600, 1, 0);
  check(1, 0, 130, 17, 260, 2, 0.5);
  check(0, 1, 9, 1030, 20, 1, 1);
  check(1, 1, 131, 1033, 257, 0.75, -1, 2);
});

test('K = 0 gives beta * C, and C = 0 for beta = 0 even over NaN', () => {
  check(0, 0, 3, 5, 0, 1, 0.5);
  check(0, 0, 3, 5, 0, 1, 0);
});

test('square 64 and 128 with every transpose', () => {
  for (const tA of [0, 1]) for (const tB of [0, 1]) { check(tA, tB, 64, 64, 64, 1, 0); check(tA, tB, 128, 128, 128, 1, 1); }
});

test.run();
