// Matrix products: mm, bmm, matmul (PyTorch's 1-D, 2-D and broadcast-batched cases), addmm,
// baddbmm, addmv, linear, dot, mv. Every product is one batched GEMM: float32 runs the wasm
// `f32_gemm` (a transposed view becomes transA/transB, not a copy; `gemmF32Reference` is its
// boring twin, checked against it in the tests); other dtypes run a strided JS loop.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import type { DType } from '../sdk/dtype.js';
import { DTypeError, OpError, ShapeError } from '../sdk/errors.js';
import { broadcastShapes, contiguous, copyInto, empty, numelOf, offsets, storageArray } from './exec.js';
import { callOp } from './dispatch.js';
import type { OpDef } from './table.js';
import { gradAddmm, gradAddmv, gradBaddbmm, gradBmm, gradDot, gradLinear, gradMatmul, gradMm, gradMv } from './linalg-grads.js';

type Num = number | boolean;

// ---- the GEMM layer ----

/**
 * C = alpha * op(A) @ op(B) + beta * C over f32 memory, row-major, leading dims in elements;
 * op(X) is X or, when trans is 1, X stored transposed. beta = 0 means C is not read (BLAS).
 * This is the ABI of the wasm `f32_gemm`; the reference loop below has the same one.
 */
export function gemmF32(transA: number, transB: number, M: number, N: number, K: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): void {
  if (M === 0 || N === 0) return;
  const e = engine();
  const wsBytes = e.k.f32_gemm_workspace(M, N, K);
  const work = wsBytes > 0 ? e.alloc(wsBytes) : 0;
  try {
    e.k.f32_gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work);
  } finally {
    if (work) e.free(work);
  }
}

/** The scalar twin of f32_gemm (same arguments), accumulating in f64. */
export function gemmF32Reference(transA: number, transB: number, M: number, N: number, K: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): void {
  const f = engine().f32;
  const A = a >> 2, B = b >> 2, C = c >> 2;
  const [ars, acs] = transA ? [1, lda] : [lda, 1];
  const [brs, bcs] = transB ? [1, ldb] : [ldb, 1];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += f[A + i * ars + k * acs] * f[B + k * brs + j * bcs];
      const ci = C + i * ldc + j;
      f[ci] = beta === 0 ? alpha * s : alpha * s + beta * f[ci];
    }
  }
}

/** How gemm reads the last two dims of a view: row-major or transposed, with a leading dim; null: copy first. */
function layout(rows: number, cols: number, rs: number, cs: number): { trans: number; ld: number } | null {
  if ((cs === 1 || cols === 1) && (rows === 1 || rs >= Math.max(cols, 1))) return { trans: 0, ld: rows === 1 ? Math.max(cols, 1) : rs };
  if ((rs === 1 || rows === 1) && (cols === 1 || cs >= Math.max(rows, 1))) return { trans: 1, ld: cols === 1 ? Math.max(rows, 1) : cs };
  return null;
}

/** Element strides of the batch dims (all but the last two) of `t`, broadcast to `batch`. */
function batchStrides(t: Tensor, batch: readonly number[]): number[] {
  const off = batch.length - (t.dim - 2);
  return batch.map((_, i) => (i < off || t.shape[i - off] === 1 ? 0 : t.strides[i - off]));
}

/**
 * out = alpha * a @ b + beta * out for every batch index: a is [...ba, M, K], b is [...bb, K, N]
 * (any strides, batch dims broadcast), out is contiguous [...batch, M, N] (beta = 0: not read).
 */
function batchedGemm(a: Tensor, b: Tensor, out: Tensor, batch: readonly number[], alpha: number, beta: number): void {
  const M = a.shape[a.dim - 2], K = a.shape[a.dim - 1], N = b.shape[b.dim - 1];
  if (M * N * numelOf(batch) === 0) return;
  if (out.dtype !== 'float32') return batchedGemmGeneric(a, b, out, batch, alpha, beta);
  const la = layout(M, K, a.strides[a.dim - 2], a.strides[a.dim - 1]);
  const lb = layout(K, N, b.strides[b.dim - 2], b.strides[b.dim - 1]);
  const ca = la ? a : contiguous(a, true), cb = lb ? b : contiguous(b, true);
  const { trans: ta, ld: lda } = la ?? { trans: 0, ld: K };
  const { trans: tb, ld: ldb } = lb ?? { trans: 0, ld: N };
  const oa = offsets(batch, batchStrides(ca, batch), ca.offset), ob = offsets(batch, batchStrides(cb, batch), cb.offset);
  const pa = ca.storage.ptr, pb = cb.storage.ptr;
  for (let i = 0; i < oa.length; i++) gemmF32(ta, tb, M, N, K, alpha, pa + oa[i] * 4, lda, pb + ob[i] * 4, ldb, beta, out.ptr + i * M * N * 4, N);
  if (ca !== a) ca.dispose();
  if (cb !== b) cb.dispose();
}

/** Any-dtype strided loop (float64, integers); the result is written in out's dtype. */
function batchedGemmGeneric(a: Tensor, b: Tensor, out: Tensor, batch: readonly number[], alpha: number, beta: number): void {
  const M = a.shape[a.dim - 2], K = a.shape[a.dim - 1], N = b.shape[b.dim - 1];
  const [ars, acs] = a.strides.slice(-2), [brs, bcs] = b.strides.slice(-2);
  const oa = offsets(batch, batchStrides(a, batch), a.offset), ob = offsets(batch, batchStrides(b, batch), b.offset);
  const A = storageArray(a) as any, B = storageArray(b) as any;
  const C = engine().array(out.dtype, out.ptr, out.numel) as any;
  const int64 = out.dtype === 'int64', integral = out.dtype !== 'float64';
  for (let t = 0; t < oa.length; t++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += Number(A[oa[t] + i * ars + k * acs]) * Number(B[ob[t] + k * brs + j * bcs]);
        const ci = (t * M + i) * N + j;
        let v = beta === 0 ? alpha * s : alpha * s + beta * Number(C[ci]);
        if (integral) v = Math.trunc(v);
        C[ci] = int64 ? BigInt(v) : v;
      }
    }
  }
}

// ---- checks, phrased like PyTorch's ----

const CPP_NAME: Record<DType, string> = { float32: 'float', float64: 'double', int64: 'long int', int32: 'int', uint8: 'unsigned char', bool: 'bool' };

function sameDtype(op: string, a: Tensor, b: Tensor): DType {
  if (a.dtype !== b.dtype) throw new DTypeError(op, `expected m1 and m2 to have the same dtype, but got: ${CPP_NAME[a.dtype]} != ${CPP_NAME[b.dtype]}`);
  if (a.dtype === 'bool') throw new DTypeError(op, `"addmm_impl_cpu_" not implemented for 'Bool'`);
  return a.dtype;
}

function requireDim(op: string, t: Tensor, dim: number, what: string): void {
  if (t.dim !== dim) throw new ShapeError(op, `${what} must be a ${dim === 2 ? 'matrix' : `${dim}D tensor`}`);
}

/** [R, C] viewed as gemm's [M, K] (1-D tensors: a row [1, K] or a column [K, 1]). */
const asRow = (t: Tensor) => t.asStrided([1, t.shape[0]], [0, t.strides[0]]);
const asCol = (t: Tensor) => t.asStrided([t.shape[0], 1], [t.strides[0], 0]);

/** alpha * a @ b (+ beta * init, broadcast to the result) into a new tensor of `shape`. */
function product(a: Tensor, b: Tensor, batch: readonly number[], shape: readonly number[], dtype: DType, alpha: Num, beta: Num, init: Tensor | null): Tensor {
  const out = empty(shape, dtype);
  const bt = init && Number(beta) !== 0 ? Number(beta) : 0;
  if (bt !== 0) copyInto(out, init!);
  const K = a.shape[a.dim - 1];
  if (K === 0) {
    // An empty inner dim: the product is zero, what remains is beta * init.
    const view = engine().array(dtype, out.ptr, out.numel) as any;
    for (let i = 0; i < out.numel; i++) view[i] = bt === 0 ? (dtype === 'int64' ? 0n : 0) : dtype === 'int64' ? BigInt(Math.trunc(Number(view[i]) * bt)) : Number(view[i]) * bt;
    return out;
  }
  const rows = b.dim === 2 ? foldRows(a) : null;
  if (rows) {
    batchedGemm(rows, b, out, [], Number(alpha), bt);
    rows.dispose();
  } else batchedGemm(a, b, out, batch, Number(alpha), bt);
  return out;
}

/** [...batch, M, K] as one [batch*M, K] matrix when its dims merge (one GEMM instead of one per batch). */
function foldRows(a: Tensor): Tensor | null {
  const d = a.dim;
  if (d <= 2) return null;
  let stride = a.strides[d - 2] * a.shape[d - 2];
  for (let i = d - 3; i >= 0; stride *= a.shape[i--]) if (a.shape[i] !== 1 && a.strides[i] !== stride) return null;
  return a.asStrided([numelOf(a.shape.slice(0, -1)), a.shape[d - 1]], [a.strides[d - 2], a.strides[d - 1]]);
}

function mm(a: Tensor, b: Tensor): Tensor {
  return addmm(null, a, b, 0, 1, 'aten::mm');
}

function addmm(self: Tensor | null, a: Tensor, b: Tensor, beta: Num, alpha: Num, op = 'aten::addmm'): Tensor {
  requireDim(op, a, 2, op === 'aten::mm' ? 'self' : 'mat1');
  requireDim(op, b, 2, 'mat2');
  if (a.shape[1] !== b.shape[0]) throw new ShapeError(op, `mat1 and mat2 shapes cannot be multiplied (${a.shape.join('x')} and ${b.shape.join('x')})`);
  const dtype = sameDtype(op, a, b);
  return product(a, b, [], [a.shape[0], b.shape[1]], dtype, alpha, beta, self);
}

function bmm(a: Tensor, b: Tensor): Tensor {
  return baddbmm(null, a, b, 0, 1, 'aten::bmm');
}

function baddbmm(self: Tensor | null, a: Tensor, b: Tensor, beta: Num, alpha: Num, op = 'aten::baddbmm'): Tensor {
  requireDim(op, a, 3, 'batch1');
  requireDim(op, b, 3, 'batch2');
  const [B, M, K] = a.shape;
  if (b.shape[0] !== B || b.shape[1] !== K) throw new ShapeError(op, `Expected size for first two dimensions of batch2 tensor to be: [${B}, ${K}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  const dtype = sameDtype(op, a, b);
  return product(a, b, [B], [B, M, b.shape[2]], dtype, alpha, beta, self);
}

function addmv(self: Tensor | null, m: Tensor, v: Tensor, beta: Num, alpha: Num, op = 'aten::addmv'): Tensor {
  if (m.dim !== 2 || v.dim !== 1) throw new ShapeError(op, `vector + matrix @ vector expected, got ${self?.dim ?? 1}, ${m.dim}, ${v.dim}`);
  if (m.shape[1] !== v.shape[0]) throw new ShapeError(op, `size mismatch, got input (${m.shape[0]}), mat (${m.shape.join('x')}), vec (${v.shape[0]})`);
  const dtype = sameDtype(op, m, v);
  const col = asCol(v);
  const out = product(m, col, [], [m.shape[0]], dtype, alpha, beta, self);
  col.dispose();
  return out;
}

function dot(a: Tensor, b: Tensor): Tensor {
  const op = 'aten::dot';
  if (a.dim !== 1 || b.dim !== 1) throw new ShapeError(op, `1D tensors expected, but got ${a.dim}D and ${b.dim}D tensors`);
  if (a.dtype !== b.dtype) throw new DTypeError(op, `dot : expected both vectors to have same dtype, but found ${capitalize(a.dtype)} and ${capitalize(b.dtype)}`);
  if (a.shape[0] !== b.shape[0])
    throw new ShapeError(op, `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  const row = asRow(a), col = asCol(b);
  const out = product(row, col, [], [], a.dtype, 1, 0, null);
  row.dispose();
  col.dispose();
  return out;
}

const capitalize = (d: DType) => ({ float32: 'Float', float64: 'Double', int64: 'Long', int32: 'Int', uint8: 'Byte', bool: 'Bool' })[d];

/** torch.matmul: dot, mv, vector-matrix, mm, and batched products with broadcast batch dims. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const op = 'aten::matmul';
  if (a.dim === 0 || b.dim === 0) throw new OpError(op, `both arguments to matmul need to be at least 1D, but they are ${a.dim}D and ${b.dim}D`);
  if (a.dim === 1 && b.dim === 1) return dot(a, b);
  if (a.dim === 2 && b.dim === 1) return addmv(null, a, b, 0, 1, op);
  if (a.dim <= 2 && b.dim <= 2) {
    const row = a.dim === 1 ? asRow(a) : a;
    const out = addmm(null, row, b, 0, 1, op);
    if (row === a) return out;
    row.dispose();
    const flat = out.asStrided([out.shape[1]], [1], 0);
    out.dispose();
    return flat;
  }
  const a2 = a.dim === 1 ? asRow(a) : a, b2 = b.dim === 1 ? asCol(b) : b;
  const M = a2.shape[a2.dim - 2], K = a2.shape[a2.dim - 1], N = b2.shape[b2.dim - 1];
  if (b2.shape[b2.dim - 2] !== K) {
    const batch = Math.max(numelOf(a2.shape.slice(0, -2)), numelOf(b2.shape.slice(0, -2)));
    throw new ShapeError(op, `Expected size for first two dimensions of batch2 tensor to be: [${batch}, ${K}] but got: [${batch}, ${b2.shape[b2.dim - 2]}].`);
  }
  const dtype = sameDtype(op, a2, b2);
  const batch = broadcastShapes(op, a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const shape = [...batch, ...(a.dim === 1 ? [] : [M]), ...(b.dim === 1 ? [] : [N])];
  const out = product(a2, b2, batch, shape, dtype, 1, 0, null);
  if (a2 !== a) a2.dispose();
  if (b2 !== b) b2.dispose();
  return out;
}

// Up to this many rows of x, float32 linear reads W in place (f32_gemv_rows): the GEMM would pack
// W's transpose on every call, a strided pass over all of W that costs more than the product.
const GEMV_MAX_ROWS = 8;

/** x @ w^T + bias by f32_gemv_rows for a few rows of float32 x, or null where the GEMM path must run. */
function linearFewRows(x: Tensor, w: Tensor, bias: Tensor | null): Tensor | null {
  const K = w.shape[1], N = w.shape[0], rows = numelOf(x.shape.slice(0, -1));
  if (x.dtype !== 'float32' || w.dtype !== 'float32' || rows > GEMV_MAX_ROWS || rows === 0 || !w.isContiguous()) return null;
  if (bias && (bias.dtype !== 'float32' || bias.dim !== 1 || bias.shape[0] !== N || bias.strides[0] !== 1)) return null;
  const xr = x.dim === 2 ? x : foldRows(x);
  if (!xr || (xr.shape[1] > 1 && xr.strides[1] !== 1)) return null;
  const out = empty([...x.shape.slice(0, -1), N], 'float32');
  engine().k.f32_gemv_rows_wasmsimd(rows, N, K, xr.ptr, rows > 1 ? xr.strides[0] : K, w.ptr, bias ? bias.ptr : 0, out.ptr, N);
  if (xr !== x) xr.dispose();
  return out;
}

/** y = x @ w^T + bias; w may be 1-D (a dot product per row). */
export function linear(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
  const wt = w.dim === 2 ? w.asStrided([w.shape[1], w.shape[0]], [w.strides[1], w.strides[0]]) : w;
  if (x.dim === 0) throw new OpError('aten::linear', `both arguments to linear need to be at least 1D, but they are 0D and ${w.dim}D`);
  let out: Tensor;
  if (x.dim >= 2 && w.dim === 2) {
    const K = x.shape[x.dim - 1];
    if (wt.shape[0] !== K) {
      const rows = numelOf(x.shape.slice(0, -1));
      throw new ShapeError('aten::linear', `mat1 and mat2 shapes cannot be multiplied (${rows}x${K} and ${wt.shape.join('x')})`);
    }
    const dtype = sameDtype('aten::linear', x, wt);
    const batch = x.shape.slice(0, -2);
    const fast = linearFewRows(x, w, bias);
    if (fast) {
      if (wt !== w) wt.dispose();
      return fast;
    }
    out = product(x, wt, batch, [...x.shape.slice(0, -1), wt.shape[1]], dtype, 1, bias ? 1 : 0, bias);
  } else {
    const prod = matmul(x, wt);
    out = bias ? callOp('aten::add', [prod, bias]) : prod;
    if (bias) prod.dispose();
  }
  if (wt !== w) wt.dispose();
  return out;
}

const OPAQUE = ['opaque'] as const;

export const LINALG_OPS: OpDef[] = [
  { schema: 'aten::mm(Tensor self, Tensor mat2) -> Tensor', tags: OPAQUE, grad: gradMm, impl: mm },
  { schema: 'aten::bmm(Tensor self, Tensor mat2) -> Tensor', tags: OPAQUE, grad: gradBmm, impl: bmm },
  { schema: 'aten::matmul(Tensor self, Tensor other) -> Tensor', tags: OPAQUE, grad: gradMatmul, impl: matmul },
  { schema: 'aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor', tags: OPAQUE, grad: gradAddmm, impl: (s: Tensor, a: Tensor, b: Tensor, beta: Num, alpha: Num) => addmm(s, a, b, beta, alpha) },
  { schema: 'aten::baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor', tags: OPAQUE, grad: gradBaddbmm, impl: (s: Tensor, a: Tensor, b: Tensor, beta: Num, alpha: Num) => baddbmm(s, a, b, beta, alpha) },
  { schema: 'aten::addmv(Tensor self, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1) -> Tensor', tags: OPAQUE, grad: gradAddmv, impl: (s: Tensor, m: Tensor, v: Tensor, beta: Num, alpha: Num) => addmv(s, m, v, beta, alpha) },
  { schema: 'aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor', tags: OPAQUE, grad: gradLinear, impl: linear },
  { schema: 'aten::dot(Tensor self, Tensor tensor) -> Tensor', tags: OPAQUE, grad: gradDot, impl: dot },
  { schema: 'aten::mv(Tensor self, Tensor vec) -> Tensor', tags: OPAQUE, grad: gradMv, impl: (m: Tensor, v: Tensor) => addmv(null, m, v, 0, 1, 'aten::mv') },
];
