import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { values } from '../../src/ops/exec.js';
import { engine } from '../../src/engine/engine.js';
import { ArgumentError, OpError, ShapeError } from '../../src/sdk/errors.js';
import { close, throwsLike } from './helpers.js';

const F = torch.nn.functional;
torch.manual_seed(0);

interface Geometry {
  stride?: number[];
  pad?: number[]; // before
  padAfter?: number[];
  dilation?: number[];
  groups?: number;
  outputPadding?: number[];
}

/** Direct 2-D convolution by definition (the independent twin of im2col + GEMM). */
function naiveConv(x: Tensor, w: Tensor, bias: Tensor | null, g: Geometry): { shape: number[]; data: number[] } {
  const [N, , H, W] = x.shape, [O, Cg, KH, KW] = w.shape;
  const [sh, sw] = g.stride ?? [1, 1], [ph, pw] = g.pad ?? [0, 0], [qh, qw] = g.padAfter ?? g.pad ?? [0, 0], [dh, dw] = g.dilation ?? [1, 1];
  const groups = g.groups ?? 1, Og = O / groups;
  const OH = Math.floor((H + ph + qh - dh * (KH - 1) - 1) / sh) + 1, OW = Math.floor((W + pw + qw - dw * (KW - 1) - 1) / sw) + 1;
  const xv = values(x), wv = values(w), bv = bias ? values(bias) : null, data: number[] = [];
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let s = bv ? bv[o] : 0;
    const gi = Math.floor(o / Og);
    for (let c = 0; c < Cg; c++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const ih = oh * sh - ph + i * dh, iw = ow * sw - pw + j * dw;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      s += xv[((n * x.shape[1] + gi * Cg + c) * H + ih) * W + iw] * wv[((o * Cg + c) * KH + i) * KW + j];
    }
    data.push(s);
  }
  return { shape: [N, O, OH, OW], data };
}

/** Transposed convolution by definition: every input pixel scatters kernel * value. */
function naiveConvTranspose(x: Tensor, w: Tensor, bias: Tensor | null, g: Geometry): { shape: number[]; data: number[] } {
  const [N, Cin, H, W] = x.shape, [, Og, KH, KW] = w.shape;
  const [sh, sw] = g.stride ?? [1, 1], [ph, pw] = g.pad ?? [0, 0], [dh, dw] = g.dilation ?? [1, 1], [oph, opw] = g.outputPadding ?? [0, 0];
  const groups = g.groups ?? 1, Cg = Cin / groups, O = Og * groups;
  const OH = (H - 1) * sh - 2 * ph + dh * (KH - 1) + oph + 1, OW = (W - 1) * sw - 2 * pw + dw * (KW - 1) + opw + 1;
  const xv = values(x), wv = values(w), bv = bias ? values(bias) : null;
  const data = new Array(N * O * OH * OW).fill(0).map((_, i) => (bv ? bv[Math.floor(i / (OH * OW)) % O] : 0));
  for (let n = 0; n < N; n++) for (let c = 0; c < Cin; c++) for (let ih = 0; ih < H; ih++) for (let iw = 0; iw < W; iw++) {
    const gi = Math.floor(c / Cg), v = xv[((n * Cin + c) * H + ih) * W + iw];
    for (let co = 0; co < Og; co++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const oh = ih * sh - ph + i * dh, ow = iw * sw - pw + j * dw;
      if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
      data[((n * O + gi * Og + co) * OH + oh) * OW + ow] += v * wv[((c * Og + co) * KH + i) * KW + j];
    }
  }
  return { shape: [N, O, OH, OW], data };
}

/** Asserts the op's output has the definition's shape and values. */
function matches(got: Tensor, want: { shape: number[]; data: number[] }, tol = 1e-4): void {
  assert.equal(got.shape, want.shape);
  close(values(got), want.data, tol);
}

test('conv2d matches the definition: stride, padding, dilation, groups, bias, 1x1', () => {
  const cases: [number[], number[], Geometry][] = [
    [[2, 3, 7, 6], [4, 3, 3, 3], {}],
    [[1, 4, 9, 8], [6, 2, 3, 2], { stride: [2, 1], pad: [1, 2], dilation: [2, 1], groups: 2 }],
    [[2, 3, 5, 5], [5, 3, 1, 1], {}],
    [[1, 6, 6, 6], [6, 1, 3, 3], { pad: [1, 1], groups: 6 }],
  ];
  for (const [xs, ws, g] of cases) {
    const x = torch.randn(xs), w = torch.randn(ws), b = torch.randn([ws[0]]);
    const out = torch.conv2d(x, w, b, g.stride ?? 1, g.pad ?? 0, g.dilation ?? 1, g.groups ?? 1);
    matches(out, naiveConv(x, w, b, g));
  }
});

test("padding='same' splits an even kernel's padding with the extra unit after; 'valid' is none", () => {
  const x = torch.randn([1, 2, 6, 5]), w = torch.randn([3, 2, 4, 2]);
  const same = F.conv2d(x, w, null, { padding: 'same', dilation: [1, 2] });
  assert.equal(same.shape, [1, 3, 6, 5]);
  matches(same, naiveConv(x, w, null, { pad: [1, 1], padAfter: [2, 1], dilation: [1, 2] }));
  assert.equal(F.conv2d(x, w, null, 1, 'valid').shape, [1, 3, 3, 4]);
  throwsLike(() => F.conv2d(x, w, null, 2, 'same'), OpError, "padding='same' is not supported for strided convolutions");
});

test('conv1d runs as a unit-height conv2d; unbatched inputs keep their rank', () => {
  const x = torch.randn([2, 3, 9]), w = torch.randn([4, 3, 3]);
  const out = torch.conv1d(x, w, null, 2, 1);
  assert.equal(out.shape, [2, 4, 5]);
  const as2d = torch.conv2d(x.asStrided([2, 3, 1, 9], [27, 9, 9, 1]), w.asStrided([4, 3, 1, 3], [9, 3, 3, 1]), null, [1, 2], [0, 1]);
  assert.equal(values(out), values(as2d));
  assert.equal(torch.conv2d(torch.randn([3, 5, 5]), torch.randn([2, 3, 3, 3])).shape, [2, 3, 3]);
});

test('conv_transpose2d matches the definition (output_padding, groups, dilation)', () => {
  const cases: [number[], number[], Geometry][] = [
    [[1, 2, 4, 3], [2, 3, 3, 3], { stride: [2, 2], pad: [1, 1], outputPadding: [1, 1] }],
    [[2, 4, 3, 3], [4, 2, 2, 3], { stride: [3, 2], pad: [1, 2], outputPadding: [2, 1], dilation: [2, 2], groups: 2 }],
  ];
  for (const [xs, ws, g] of cases) {
    const x = torch.randn(xs), w = torch.randn(ws), b = torch.randn([ws[1] * (g.groups ?? 1)]);
    const out = F.conv_transpose2d(x, w, b, { stride: g.stride, padding: g.pad, output_padding: g.outputPadding, groups: g.groups ?? 1, dilation: g.dilation ?? 1 });
    matches(out, naiveConvTranspose(x, w, b, g));
  }
  // The traced form: aten::_convolution with transposed=true.
  const x = torch.randn([1, 2, 4, 3]), w = torch.randn([2, 3, 3, 3]);
  const traced = torch._convolution(x, w, null, [2, 2], [1, 1], [1, 1], true, [1, 1], 1, false, false, true, true);
  matches(traced, naiveConvTranspose(x, w, null, { stride: [2, 2], pad: [1, 1], outputPadding: [1, 1] }));
});

test('convolution errors read like PyTorch', () => {
  const x = torch.randn([1, 4, 5, 5]);
  throwsLike(() => torch.conv2d(x, torch.randn([8, 3, 3, 3])), ShapeError, 'Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 5, 5] to have 3 channels, but got 4 channels instead');
  throwsLike(() => torch.conv2d(torch.randn([1, 3, 2, 2]), torch.randn([8, 3, 3, 3])), ShapeError, 'Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can\'t be greater than actual input size');
  throwsLike(() => torch.conv2d(x, torch.randn([6, 2, 3, 3]), null, 1, 0, 1, 4), ShapeError, 'Given groups=4, expected weight to be divisible by 4 at dimension 0');
  throwsLike(() => torch.conv2d(x, torch.randn([2, 1, 3, 3]), null, 1, 0, 1, 4), ShapeError, 'expected weight to be at least 4 at dimension 0');
  throwsLike(() => torch.conv2d(x, torch.randn([8, 4, 3, 3]), null, 1, -1), OpError, 'negative padding is not supported');
  throwsLike(() => torch.conv2d(x, torch.randn([8, 4, 3, 3]), null, 0), OpError, 'non-positive stride is not supported');
  throwsLike(() => torch.conv2d(x, torch.randn([8, 4, 3, 3]), null, 1, 0, 1, 0), OpError, 'non-positive groups is not supported');
  throwsLike(() => torch.conv2d(x, torch.randn([8, 4, 3, 3]), torch.randn([7])), ShapeError, 'expected bias to be 1-dimensional with 8 elements');
  throwsLike(() => torch.conv2d(torch.randn([4, 5]), torch.randn([8, 4, 3, 3])), ShapeError, 'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [4, 5]');
  throwsLike(() => F.conv_transpose2d(torch.randn([1, 3, 0, 4]), torch.randn([3, 2, 3, 3])), ShapeError, 'Only zero batch or zero channel inputs are supported, but got input shape: [1, 3, 0, 4]');
  throwsLike(() => F.conv_transpose2d(torch.randn([1, 2, 3, 3]), torch.randn([2, 2, 3, 3]), null, { output_padding: 1 }), OpError, 'output padding must be smaller than either stride or dilation');
});

test('zero batch gives an empty output; zero channels give the bias', () => {
  assert.equal(torch.conv2d(torch.randn([0, 3, 5, 5]), torch.randn([4, 3, 3, 3])).shape, [0, 4, 3, 3]);
  const b = torch.randn([2]);
  const out = torch.conv2d(torch.randn([1, 0, 4, 4]), torch.randn([2, 0, 3, 3]), b);
  assert.equal(out.shape, [1, 2, 2, 2]);
  const bv = values(b);
  assert.equal(values(out), [bv[0], bv[0], bv[0], bv[0], bv[1], bv[1], bv[1], bv[1]]);
});

test('max_pool2d: ceil_mode shapes, NaN wins, indices point at the maxima', () => {
  const x = torch.randn([2, 3, 7, 6]);
  const [v, i] = F.max_pool2d(x, 3, { stride: 2, ceil_mode: true, padding: 1, return_indices: true });
  assert.equal(v.shape, [2, 3, 4, 4]);
  assert.is(i.dtype, 'int64');
  const xv = values(x), vv = values(v), iv = values(i);
  for (let k = 0; k < vv.length; k++) assert.is(vv[k], xv[Math.floor(k / 16) * 42 + iv[k]]);
  assert.equal(F.max_pool2d(x, 2).shape, [2, 3, 3, 3]);
  assert.equal(F.max_pool2d(torch.randn([3, 7, 6]), [3, 2], { dilation: [1, 2] }).shape, [3, 2, 2]);
  const nan = torch.tensor([[[1, NaN], [3, 4]]]);
  assert.ok(Number.isNaN(values(F.max_pool2d(nan, 2))[0]));
  throwsLike(() => F.max_pool2d(x, 2, 1, 2), OpError, 'pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1');
  throwsLike(() => F.max_pool2d(torch.randn([2, 2]), 2), ShapeError, 'Expected 3D or 4D (batch mode) tensor');
});

test('avg_pool2d: count_include_pad, divisor_override, ceil_mode', () => {
  const x = torch.ones([1, 1, 4, 4]);
  assert.equal(values(F.avg_pool2d(x, 3, 1, 1, false, false)), new Array(16).fill(1));
  const incl = values(F.avg_pool2d(x, 3, 1, 1));
  assert.is(incl[0], Math.fround(4 / 9));
  assert.is(incl[5], 1);
  assert.equal(values(F.avg_pool2d(x, 2, { divisor_override: 2 })), [2, 2, 2, 2]);
  assert.equal(F.avg_pool2d(torch.randn([1, 2, 5, 5]), 2, { ceil_mode: true }).shape, [1, 2, 3, 3]);
  throwsLike(() => F.avg_pool2d(x, 2, { divisor_override: 0 }), OpError, 'divisor must be not zero');
});

test('adaptive pools: window bounds, None keeps a size, indices', () => {
  const x = torch.randn([2, 3, 7, 5]);
  assert.equal(F.adaptive_avg_pool2d(x, [null, 3]).shape, [2, 3, 7, 3]);
  assert.equal(F.adaptive_avg_pool2d(x, 1).shape, [2, 3, 1, 1]);
  const mean = values(F.adaptive_avg_pool2d(x, 1)), xv = values(x);
  const first = xv.slice(0, 35).reduce((a, b) => a + b, 0) / 35;
  assert.ok(Math.abs(mean[0] - first) < 1e-5);
  const [v, i] = F.adaptive_max_pool2d(x, [2, 3], true);
  assert.equal(v.shape, [2, 3, 2, 3]);
  const vv = values(v), iv = values(i);
  for (let k = 0; k < vv.length; k++) assert.is(vv[k], xv[Math.floor(k / 6) * 35 + iv[k]]);
  assert.instance(F.adaptive_max_pool2d(x, 2), Tensor);
  throwsLike(() => F.adaptive_avg_pool2d(torch.randn([1, 0, 4, 4]), 2), ShapeError, 'with dimension 1 being empty');
});

test('dropout: identity in eval, scaled mask in training, whole channels for feature_dropout', () => {
  const x = torch.ones([4, 8, 3, 3]);
  assert.is(F.dropout(x, 0.5, false), x);
  const y = values(F.dropout(x, 0.5));
  assert.ok(y.every((v) => v === 0 || v === 2));
  assert.ok(y.some((v) => v === 0) && y.some((v) => v === 2));
  assert.ok(values(F.dropout(x, 1)).every((v) => v === 0));
  const z = values(F.dropout2d(x, 0.5));
  for (let c = 0; c < 32; c++) assert.is(new Set(z.slice(c * 9, c * 9 + 9)).size, 1);
  throwsLike(() => F.dropout(x, 1.5), OpError, 'dropout probability has to be between 0 and 1, but got 1.5');
});

test('functional signatures: positional, keyword, inplace and bad keywords', () => {
  const x = torch.tensor([-2, -0.5, 0.5, 8]);
  assert.equal(values(F.leaky_relu(x, 0.5)), [-1, -0.25, 0.5, 8]);
  assert.equal(values(F.hardtanh(x, { min_val: -1, max_val: 1 })), [-1, -0.5, 0.5, 1]);
  assert.equal(values(F.relu6(x)), [0, 0, 0.5, 6]);
  const y = torch.tensor([-1, 2]);
  assert.is(F.relu(y, { inplace: true }), y);
  assert.equal(values(y), [0, 2]);
  throwsLike(() => F.relu(x, { inplce: true }), ArgumentError, "relu() got an unexpected keyword argument 'inplce'");
  throwsLike(() => F.linear(x), ArgumentError, "missing required argument 'weight'");
  const s = F.softmax(torch.randn([2, 3]), { dim: 1 });
  const sv = values(s);
  assert.ok(Math.abs(sv[0] + sv[1] + sv[2] - 1) < 1e-6);
});

test('scratch (im2col columns, GEMM workspace, pool indices) is freed', () => {
  const x = torch.randn([2, 4, 9, 9]);
  const before = engine().stats().blocksLive;
  torch.tidy(() => {
    F.conv2d(x, torch.randn([6, 2, 3, 3]), torch.randn([6]), 2, 1, 1, 2);
    F.conv_transpose2d(x, torch.randn([4, 3, 3, 3]), null, 2, 1, 1);
    F.max_pool2d(x, 3);
    F.adaptive_max_pool2d(x, 2);
  });
  assert.is(engine().stats().blocksLive, before);
});

test.run();
