// Every fast convolution algorithm against a naive direct convolution (float64 sums in JS) over
// shapes that are not multiples of the tiles, N = 2, padding 0/1, with and without bias and
// activation. Error is measured relative to the output's scale: max |got - want| / max |want|.
// Bounds: 1e-5 for the GEMM-based and depthwise paths, 1e-4 for Winograd F(6x6, 3x3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { engine } from '../../src/engine/engine.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { conv2dFast, setConvFastOptions, chosenConvAlgorithm, type ConvAlgorithm, type ConvActivation } from '../../src/ops/conv-fast.js';

let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;

function tensor(shape: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const t = Tensor.empty(shape, dtype);
  const a = engine().array(dtype, t.ptr, t.numel) as Float32Array;
  for (let i = 0; i < a.length; i++) a[i] = rand();
  return t;
}
const data = (t: Tensor) => Array.from(engine().array('float32', t.ptr, t.numel) as Float32Array);

interface Conv { n: number; cin: number; h: number; w: number; cout: number; kh: number; kw: number; s: [number, number]; p: [number, number]; d: [number, number]; groups?: number; bias: boolean; act?: ConvActivation }

function naive(c: Conv, x: number[], w: number[], b: number[] | null): { out: Float64Array; oh: number; ow: number } {
  const groups = c.groups ?? 1, cpg = c.cin / groups, opg = c.cout / groups;
  const oh = Math.floor((c.h + 2 * c.p[0] - c.d[0] * (c.kh - 1) - 1) / c.s[0]) + 1;
  const ow = Math.floor((c.w + 2 * c.p[1] - c.d[1] * (c.kw - 1) - 1) / c.s[1]) + 1;
  const out = new Float64Array(c.n * c.cout * oh * ow);
  let i = 0;
  for (let n = 0; n < c.n; n++) for (let co = 0; co < c.cout; co++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    let s = b ? b[co] : 0;
    const g = Math.floor(co / opg);
    for (let ci = 0; ci < cpg; ci++) for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) {
      const iy = oy * c.s[0] - c.p[0] + ky * c.d[0], ix = ox * c.s[1] - c.p[1] + kx * c.d[1];
      if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
      s += x[((n * c.cin + g * cpg + ci) * c.h + iy) * c.w + ix] * w[((co * cpg + ci) * c.kh + ky) * c.kw + kx];
    }
    if (c.act?.kind === 'relu') s = Math.max(s, 0);
    if (c.act?.kind === 'clamp') s = Math.min(Math.max(s, c.act.min ?? -Infinity), c.act.max ?? Infinity);
    out[i++] = s;
  }
  return { out, oh, ow };
}

/** Runs conv2dFast with `algo` forced and returns the scale-relative error (null: not applicable). */
function relError(c: Conv, algo: ConvAlgorithm | null): number | null {
  setConvFastOptions({ force: algo });
  const x = tensor([c.n, c.cin, c.h, c.w]);
  const w = tensor([c.cout, c.cin / (c.groups ?? 1), c.kh, c.kw]);
  const b = c.bias ? tensor([c.cout]) : null;
  try {
    const y = conv2dFast(x, w, b, c.s, c.p, c.d, c.groups ?? 1, c.act);
    if (!y) return null;
    const want = naive(c, data(x), data(w), b && data(b));
    assert.equal(y.shape, [c.n, c.cout, want.oh, want.ow]);
    const got = data(y);
    let err = 0, scale = 1e-30;
    for (let i = 0; i < got.length; i++) {
      err = Math.max(err, Math.abs(got[i] - want.out[i]));
      scale = Math.max(scale, Math.abs(want.out[i]));
    }
    y.dispose();
    return err / scale;
  } finally {
    x.dispose();
    w.dispose();
    b?.dispose();
    setConvFastOptions({ force: null });
  }
}

function sweep(algo: ConvAlgorithm, cases: Conv[], tol: number): void {
  for (const c of cases) {
    const e = relError(c, algo);
    assert.ok(e !== null, `${algo} should apply to ${JSON.stringify(c)}`);
    assert.ok(e! <= tol, `${algo} ${JSON.stringify(c)}: rel error ${e} > ${tol}`);
  }
}

const conv = (cin: number, h: number, w: number, cout: number, k: [number, number], o: Partial<Conv> = {}): Conv =>
  ({ n: 2, cin, h, w, cout, kh: k[0], kw: k[1], s: [1, 1], p: [0, 0], d: [1, 1], bias: true, ...o });

test('winograd F(6x6,3x3) matches direct convolution (rel 1e-4 of output scale)', () => {
  const cases: Conv[] = [];
  for (const [cin, cout] of [[1, 1], [3, 5], [8, 8], [13, 6], [32, 9]]) {
    for (const [h, w] of [[3, 3], [8, 8], [7, 11], [20, 17], [14, 29]]) {
      for (const pad of [0, 1]) if (h + 2 * pad >= 3) cases.push(conv(cin, h, w, cout, [3, 3], { p: [pad, pad], bias: (cin + h) % 2 === 0 }));
    }
  }
  cases.push(conv(130, 13, 13, 66, [3, 3], { p: [1, 1] }), conv(4, 9, 9, 4, [3, 3], { p: [1, 0] }));
  sweep('winograd', cases, 1e-4);
});

test('1x1 as GEMM matches direct convolution', () => {
  sweep('gemm1x1', [conv(1, 1, 1, 1, [1, 1]), conv(3, 5, 7, 5, [1, 1]), conv(16, 8, 8, 24, [1, 1], { bias: false }),
    conv(67, 9, 13, 33, [1, 1]), conv(320, 7, 7, 13, [1, 1])], 1e-5);
});

test('1x1 GEMM tails of 1..7 pixels (transposed 4x4t/4x1t kernels, padded 8-wide panel) match direct convolution', () => {
  // hw % 8 = 1 (7x7), 2, 3, 4 (14x14), 5, 7; K not a multiple of 4 (the 4x1t remainder), cout % 4 != 0.
  sweep('gemm1x1', [conv(9, 7, 7, 6, [1, 1]), conv(13, 1, 10, 7, [1, 1], { bias: false }), conv(5, 3, 5, 3, [1, 1], { act: { kind: 'relu' } }),
    conv(30, 14, 14, 9, [1, 1], { act: { kind: 'clamp', min: 0, max: 0.5 } }), conv(4, 3, 7, 5, [1, 1]), conv(22, 5, 3, 2, [1, 1]),
    conv(3, 1, 4, 1, [1, 1], { bias: false })], 1e-5);
});

test('1x1 GEMM over several pixel chunks (each packed before the weight panels run) matches direct convolution', () => {
  // Chunks are 65536 / cin pixels: 64 here for cin 1024 (169 = 2 full chunks + 41, tail 1), 32 for cin 2048 (77: tail 5).
  sweep('gemm1x1', [conv(1024, 13, 13, 6, [1, 1]), conv(2048, 11, 7, 5, [1, 1], { act: { kind: 'relu' } })], 1e-4);
});

test('implicit GEMM (stride_w 1) matches direct convolution', () => {
  sweep('direct', [conv(3, 12, 13, 32, [9, 9], { p: [4, 4] }), conv(32, 17, 19, 3, [9, 9]), conv(5, 10, 9, 7, [3, 3], { p: [1, 1], bias: false }),
    conv(4, 11, 12, 6, [3, 5], { p: [2, 1], d: [2, 1] }), conv(6, 9, 10, 5, [3, 3], { s: [2, 1], p: [1, 1] }),
    conv(7, 6, 5, 9, [1, 1], { p: [1, 1] }), conv(8, 8, 8, 8, [3, 3], { d: [2, 2], p: [2, 2] })], 1e-5);
});

test('implicit GEMM with at most 3 output channels (the 3x16 kernel) matches direct convolution', () => {
  sweep('direct', [conv(32, 24, 40, 3, [9, 9], { p: [4, 4] }), conv(5, 9, 16, 2, [3, 3], { p: [1, 1], bias: false }),
    conv(7, 6, 37, 1, [3, 3], { act: { kind: 'clamp', min: -0.3, max: 0.4 } }), conv(4, 8, 33, 3, [5, 5], { p: [2, 2], d: [1, 2], act: { kind: 'relu' } })], 1e-5);
});

test('residual epilogue: clamp(conv + r) on every algorithm', () => {
  const cases: [ConvAlgorithm, Conv][] = [['winograd', conv(6, 13, 14, 7, [3, 3], { p: [1, 1] })], ['gemm1x1', conv(6, 9, 7, 7, [1, 1])],
    ['direct', conv(6, 9, 21, 3, [3, 3], { p: [1, 1] })], ['im2col', conv(6, 9, 7, 7, [3, 3], { s: [2, 2], p: [1, 1] })],
    ['dw3x3', conv(6, 9, 7, 6, [3, 3], { groups: 6, p: [1, 1] })]];
  for (const [algo, c] of cases) {
    setConvFastOptions({ force: algo });
    const x = tensor([c.n, c.cin, c.h, c.w]), w = tensor([c.cout, c.cin / (c.groups ?? 1), c.kh, c.kw]), b = tensor([c.cout]);
    const want = naive(c, data(x), data(w), data(b));
    const r = tensor([c.n, c.cout, want.oh, want.ow]);
    try {
      const y = conv2dFast(x, w, b, c.s, c.p, c.d, c.groups ?? 1, { kind: 'clamp', min: -0.5, max: 1 }, r)!;
      const got = data(y), rv = data(r);
      // The same bounds as above, relative to the convolution's scale.
      const tol = (algo === 'winograd' ? 1e-4 : 1e-5) * Math.max(...want.out.map(Math.abs));
      for (let i = 0; i < got.length; i++) {
        const e = Math.min(1, Math.max(-0.5, want.out[i] + rv[i]));
        assert.ok(Math.abs(got[i] - e) <= tol, `${algo} [${i}]: ${got[i]} != ${e}`);
      }
      y.dispose();
      assert.is(conv2dFast(x, w, b, c.s, c.p, c.d, c.groups ?? 1, undefined, tensor([1, c.cout, want.oh, want.ow])), null, 'residual of another shape');
    } finally {
      [x, w, b, r].forEach((t) => t.dispose());
      setConvFastOptions({ force: null });
    }
  }
});

test('reflection padding (padMode reflect) matches a conv of the reflect-padded image, on every dense algorithm', () => {
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const cases: [ConvAlgorithm, Conv][] = [['winograd', conv(5, 13, 11, 6, [3, 3], { p: [1, 1] })], ['direct', conv(3, 12, 17, 4, [9, 9], { p: [4, 4] })],
    ['direct', conv(6, 14, 20, 3, [9, 9], { p: [4, 4] })], ['im2col', conv(4, 15, 16, 8, [3, 3], { s: [2, 2], p: [1, 1] })]];
  for (const [algo, c] of cases) {
    setConvFastOptions({ force: algo });
    const x = tensor([c.n, c.cin, c.h, c.w]), w = tensor([c.cout, c.cin, c.kh, c.kw]), b = tensor([c.cout]);
    const [H, W] = [c.h + 2 * c.p[0], c.w + 2 * c.p[1]], xv = data(x), padded: number[] = [];
    for (let p = 0; p < c.n * c.cin; p++) for (let y = 0; y < H; y++) for (let z = 0; z < W; z++) {
      padded.push(xv[(p * c.h + reflect(y - c.p[0], c.h)) * c.w + reflect(z - c.p[1], c.w)]);
    }
    const want = naive({ ...c, h: H, w: W, p: [0, 0] }, padded, data(w), data(b));
    try {
      const got = data(conv2dFast(x, w, b, c.s, c.p, c.d, 1, undefined, null, 'reflect')!);
      const scale = Math.max(...want.out.map(Math.abs)), tol = (algo === 'winograd' ? 1e-4 : 1e-5) * scale;
      assert.is(got.length, want.out.length);
      for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want.out[i]) <= tol, `${algo} [${i}]: ${got[i]} != ${want.out[i]}`);
    } finally {
      [x, w, b].forEach((t) => t.dispose());
      setConvFastOptions({ force: null });
    }
  }
});

test('im2col + GEMM (strided) matches direct convolution', () => {
  sweep('im2col', [conv(3, 15, 17, 32, [3, 3], { s: [2, 2], p: [1, 1] }), conv(32, 20, 19, 64, [3, 3], { s: [2, 2], p: [1, 1], bias: false }),
    conv(5, 11, 9, 3, [1, 1], { s: [2, 2] }), conv(4, 21, 22, 5, [9, 9], { s: [2, 3], p: [4, 4] }),
    conv(3, 12, 13, 6, [3, 3], { s: [1, 2], d: [2, 1], p: [2, 0] }), conv(40, 30, 30, 8, [3, 3])], 1e-5);
});

test('depthwise 3x3 (stride 1, 2; padding 0, 1) matches direct convolution', () => {
  const cases: Conv[] = [];
  for (const s of [1, 2]) for (const pad of [0, 1]) for (const [h, w] of [[3, 3], [7, 9], [14, 13], [5, 18]]) {
    cases.push(conv(5, h, w, 5, [3, 3], { groups: 5, s: [s, s], p: [pad, pad], bias: (h + s) % 2 === 1 }));
  }
  sweep('dw3x3', cases, 1e-5);
});

test('depthwise 3x3 with padding 1 read in place: every width 1..21 (first, interior, staged last vectors), heights 1..4', () => {
  const cases: Conv[] = [];
  for (const s of [1, 2]) for (let w = 1; w <= 21; w++) for (const h of [1, 2, 3, 4]) {
    if ((w + h) % 2 === 0 || w > 12) cases.push(conv(3, h, w, 3, [3, 3], { groups: 3, s: [s, s], p: [1, 1], bias: w % 3 !== 0, act: w % 4 === 0 ? { kind: 'clamp', min: 0, max: 0.6 } : undefined }));
  }
  sweep('dw3x3', cases, 1e-5);
});

test('fused activations: relu and clamp (ReLU6) on every algorithm', () => {
  const relu: ConvActivation = { kind: 'relu' }, relu6: ConvActivation = { kind: 'clamp', min: 0, max: 6 };
  sweep('winograd', [conv(6, 13, 14, 7, [3, 3], { p: [1, 1], act: relu })], 1e-4);
  sweep('gemm1x1', [conv(6, 9, 7, 7, [1, 1], { act: relu6 })], 1e-5);
  sweep('direct', [conv(6, 9, 7, 7, [5, 5], { p: [2, 2], act: relu })], 1e-5);
  sweep('im2col', [conv(6, 9, 7, 7, [3, 3], { s: [2, 2], act: relu6 })], 1e-5);
  sweep('dw3x3', [conv(6, 9, 7, 6, [3, 3], { groups: 6, p: [1, 1], act: { kind: 'clamp', min: -0.5, max: 0.5 } })], 1e-5);
});

test('measured selection picks an applicable algorithm and remembers it', () => {
  const c = conv(16, 20, 20, 16, [3, 3], { p: [1, 1] });
  const e = relError(c, null);
  assert.ok(e !== null && e <= 1e-4, `auto: rel error ${e}`);
  const algo = chosenConvAlgorithm([2, 16, 20, 20], [16, 16, 3, 3], [1, 1], [1, 1], [1, 1], 1);
  assert.ok(algo === 'winograd' || algo === 'direct', `chose ${algo}`);
});

test('unmeasured selection follows the rule', () => {
  setConvFastOptions({ measure: false });
  try {
    assert.ok(relError(conv(8, 10, 10, 8, [3, 3], { s: [2, 2] }), null)! <= 1e-5);
    assert.is(chosenConvAlgorithm([2, 8, 10, 10], [8, 8, 3, 3], [2, 2], [0, 0], [1, 1], 1), 'im2col');
    assert.ok(relError(conv(8, 11, 10, 8, [3, 3], { p: [1, 1] }), null)! <= 1e-4);
    assert.is(chosenConvAlgorithm([2, 8, 11, 10], [8, 8, 3, 3], [1, 1], [1, 1], [1, 1], 1), 'winograd');
  } finally {
    setConvFastOptions({ measure: true });
  }
});

test('packed weights follow the weight tensor, and no memory leaks per call', () => {
  const x = tensor([1, 8, 12, 12]);
  const w1 = tensor([8, 8, 3, 3]), w2 = tensor([8, 8, 3, 3]);
  setConvFastOptions({ force: 'winograd' });
  try {
    const a1 = conv2dFast(x, w1, null, [1, 1], [1, 1], [1, 1], 1)!;
    const before = engine().stats().bytesLive;
    const a2 = conv2dFast(x, w2, null, [1, 1], [1, 1], [1, 1], 1)!;
    const a1again = conv2dFast(x, w1, null, [1, 1], [1, 1], [1, 1], 1)!;
    assert.equal(data(a1again), data(a1));
    assert.not.equal(data(a2), data(a1));
    const c = { n: 1, cin: 8, h: 12, w: 12, cout: 8, kh: 3, kw: 3, s: [1, 1], p: [1, 1], d: [1, 1], bias: false } as Conv;
    const want = naive(c, data(x), data(w2), null).out;
    const got = data(a2);
    assert.ok(got.every((v, i) => Math.abs(v - want[i]) <= 1e-4 * 10));
    a1again.dispose();
    // An in-place write to w1 (as load_state_dict's copy_ does) must repack.
    const w1v = engine().array('float32', w1.ptr, w1.numel) as Float32Array;
    for (let i = 0; i < w1v.length; i++) w1v[i] = -w1v[i];
    const negated = conv2dFast(x, w1, null, [1, 1], [1, 1], [1, 1], 1)!;
    const first = data(a1);
    assert.ok(data(negated).every((v, i) => Math.abs(v + first[i]) <= 1e-5), 'repacked after in-place write');
    negated.dispose();
    // a2 and w2's packed weights are new since `before`; nothing else may stay allocated.
    const packed = engine().k.winograd_6x3_packed_size(8, 8) * 4;
    assert.ok(engine().stats().bytesLive - before <= a2.numel * 4 + packed, 'scratch freed');
    a1.dispose();
    a2.dispose();
  } finally {
    setConvFastOptions({ force: null });
    x.dispose();
    w1.dispose();
    w2.dispose();
  }
});

test('returns null where no fast path applies', () => {
  const x = tensor([1, 4, 6, 6]);
  const xd = tensor([1, 4, 6, 6], 'float64');
  const wg = tensor([4, 2, 3, 3]), w = tensor([4, 4, 3, 3]), wd = tensor([4, 1, 5, 5]);
  assert.is(conv2dFast(x, wg, null, [1, 1], [0, 0], [1, 1], 2), null);
  assert.is(conv2dFast(xd, w, null, [1, 1], [0, 0], [1, 1], 1), null);
  assert.is(conv2dFast(x, wd, null, [1, 1], [2, 2], [1, 1], 4), null);
  for (const t of [x, xd, wg, w, wd]) t.dispose();
});

test.run();
