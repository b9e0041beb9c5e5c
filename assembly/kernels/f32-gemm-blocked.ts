// f32_gemm: row-major BLAS sgemm, C = alpha op(A) op(B) + beta C, blocked like GotoBLAS:
// a KC x NC slab of op(B) is packed into 8-column panels (L3/L2), an MC x KC block of op(A) into
// 4-row panels scaled by alpha (L2), and the 4x8 microkernel sweeps them (B panel in L1).
// Edge tiles run the microkernel into a scratch tile and copy the valid part.
import { f32_gemm_4x8_wasmsimd } from './f32-gemm-4x8-wasmsimd';

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 1024;
const EDGE: usize = memory.data(MR * NR * 4, 16);

// @ts-ignore: decorator
@inline function roundUp(x: i32, m: i32): i32 { return (x + m - 1) / m * m; }

/** Bytes of scratch `work` that f32_gemm needs for these sizes. */
export function f32_gemm_workspace(M: i32, N: i32, K: i32): usize {
  const kc = min(K, KC);
  return (<usize>roundUp(min(M, MC), MR) * <usize>kc + <usize>kc * <usize>roundUp(min(N, NC), NR)) * 4 + 16;
}

/** Packs alpha * op(A)[i0.., k0..] (mc x kc) into ceil(mc/4) panels of kc x 4, zero-padded. */
function packA(transA: bool, A: usize, lda: usize, i0: i32, k0: i32, mc: i32, kc: i32, alpha: f32, dst: usize): void {
  const va = f32x4.splat(alpha);
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    if (transA) {
      // op(A)(i, k) = A[k, i]: 4 rows of a k-step are contiguous.
      for (let k = 0; k < kc; k++, dst += 16) {
        const src = A + ((<usize>(k0 + k) * lda + <usize>(i0 + ip)) << 2);
        if (rows == MR) v128.store(dst, f32x4.mul(va, v128.load(src)));
        else for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? alpha * load<f32>(src + (<usize>r << 2)) : 0);
      }
    } else {
      for (let r = 0; r < MR; r++) {
        let d = dst + (<usize>r << 2);
        if (r >= rows) {
          for (let k = 0; k < kc; k++, d += 16) store<f32>(d, 0);
          continue;
        }
        let src = A + ((<usize>(i0 + ip + r) * lda + <usize>k0) << 2);
        for (let k = 0; k < kc; k++, d += 16, src += 4) store<f32>(d, alpha * load<f32>(src));
      }
      dst += <usize>kc << 4;
    }
  }
}

/** Packs op(B)[k0.., j0..] (kc x nc) into ceil(nc/8) panels of kc x 8, zero-padded. */
function packB(transB: bool, B: usize, ldb: usize, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    if (!transB && cols == NR) {
      let src = B + ((<usize>k0 * ldb + <usize>(j0 + jp)) << 2);
      for (let k = 0; k < kc; k++, dst += 32, src += ldb << 2) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let k = 0; k < kc; k++, dst += 32) {
      for (let c = 0; c < NR; c++) {
        let v: f32 = 0;
        if (c < cols) {
          const j = <usize>(j0 + jp + c), kk = <usize>(k0 + k);
          v = load<f32>(B + ((transB ? j * ldb + kk : kk * ldb + j) << 2));
        }
        store<f32>(dst + (<usize>c << 2), v);
      }
    }
  }
}

function scaleC(C: usize, ldc: usize, M: i32, N: i32, beta: f32): void {
  for (let i = 0; i < M; i++) {
    const row = C + ((<usize>i * ldc) << 2);
    for (let j = 0; j < N; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, beta == 0 ? 0 : beta * load<f32>(p));
    }
  }
}

/** C = alpha op(A) op(B) + beta C, row-major; beta == 0 means C is not read. */
export function f32_gemm_blocked(
  transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: i32,
  B: usize, ldb: i32, beta: f32, C: usize, ldc: i32, work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) { scaleC(C, <usize>ldc, M, N, beta); return; }
  const ldcB = <usize>ldc << 2;
  const packedA = (work + 15) & ~15;
  const packedB = packedA + (<usize>roundUp(min(M, MC), MR) * <usize>min(K, KC) << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const b = pc == 0 ? beta : <f32>1;
      packB(transB != 0, B, <usize>ldb, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(transA != 0, A, <usize>lda, ic, pc, mc, kc, alpha, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = packedB + (<usize>jr * <usize>kc << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = packedA + (<usize>ir * <usize>kc << 2);
            const c = C + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              f32_gemm_4x8_wasmsimd(kc, ap, bp, c, ldcB, b);
              continue;
            }
            f32_gemm_4x8_wasmsimd(kc, ap, bp, EDGE, NR << 2, 0);
            for (let i = 0; i < mr; i++) {
              for (let j = 0; j < nr; j++) {
                const p = c + <usize>i * ldcB + (<usize>j << 2);
                const t = load<f32>(EDGE + (<usize>(i * NR + j) << 2));
                store<f32>(p, b == 0 ? t : t + b * load<f32>(p));
              }
            }
          }
        }
      }
    }
  }
}
