// Derivatives of the convolution, pooling and dropout rows, and the backward rows they call
// (aten::convolution_backward, max_pool2d_with_indices_backward, avg_pool2d_backward,
// _adaptive_avg_pool2d_backward, adaptive_max_pool2d_backward), as derivatives.yaml does.
import { engine } from '../engine/engine.js';
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { contiguous, fromValues } from './exec.js';
import type { OpDef } from './table.js';
import { eq, logicalOr, mul, ne, reshape, scatterAdd, squeeze, unsqueeze, where, zeros, zerosLike } from '../autograd/calc.js';

type T = Tensor;

/** A float32 copy of `t`'s values in row-major order. */
function f32Copy(t: T): Float32Array {
  const c = contiguous(t);
  const out = (engine().array('float32', c.ptr, c.numel) as Float32Array).slice();
  if (c !== t) c.dispose();
  return out;
}

/** Per-dim parameter as 2-D (height, width): 1-D convolutions get a unit height. */
const hw = (v: number[], k: number, unit: number): [number, number] => (k === 1 ? [unit, v[0]] : [v[0], v[1] ?? v[0]]);
const shape4 = (t: T, k: number): number[] => (k === 1 ? [t.shape[0], t.shape[1], 1, t.shape[2]] : [...t.shape]);

/**
 * convolution_backward: one loop nest for both directions. A convolution relates a "big" tensor
 * (the input; the output when transposed) and a "small" one (the output; the input when
 * transposed): small[n, g*Sc+s, i, j] ~ big[n, g*Bc+b, i*stride - pad + kh*dil, ...] * w[g*Sc+s, b, kh, kw].
 */
function convolutionBackward(go: T, x: T, w: T, biasSizes: number[] | null, stride: number[], padding: number[], dilation: number[], transposed: boolean, _outputPadding: number[], groups: number): (T | null)[] {
  const k = w.dim - 2;
  const [sh, sw] = hw(stride, k, 1), [ph, pw] = hw(padding, k, 0), [dh, dw] = hw(dilation, k, 1);
  const xv = f32Copy(x), gv = f32Copy(go), wv = f32Copy(w);
  const N = x.shape[0], [W0, Bc, KH, KW] = shape4(w, k), G = groups, Sc = W0 / G;
  const [B, S] = transposed ? [gv, xv] : [xv, gv];
  const [, , BH, BW] = shape4(transposed ? go : x, k), [, , SH, SW] = shape4(transposed ? x : go, k);
  const gB = transposed ? null : new Float64Array(B.length), gS = transposed ? new Float64Array(S.length) : null;
  const gW = new Float64Array(wv.length);
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++)
      for (let s = 0; s < Sc; s++) {
        const sBase = ((n * G + g) * Sc + s) * SH * SW;
        for (let b = 0; b < Bc; b++) {
          const bBase = ((n * G + g) * Bc + b) * BH * BW, wBase = ((g * Sc + s) * Bc + b) * KH * KW;
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const wi = wBase + kh * KW + kw, wval = wv[wi];
              let acc = 0;
              for (let i = 0; i < SH; i++) {
                const ih = i * sh - ph + kh * dh;
                if (ih < 0 || ih >= BH) continue;
                for (let j = 0; j < SW; j++) {
                  const iw = j * sw - pw + kw * dw;
                  if (iw < 0 || iw >= BW) continue;
                  const bi = bBase + ih * BW + iw, si = sBase + i * SW + j;
                  acc += S[si] * B[bi];
                  if (gB) gB[bi] += S[si] * wval;
                  else gS![si] += B[bi] * wval;
                }
              }
              gW[wi] += acc;
            }
        }
      }
  let gb: T | null = null;
  if (biasSizes) {
    const C = go.shape[1], plane = gv.length / Math.max(1, N * C), sums = new Float64Array(C);
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0, o = (n * C + c) * plane; i < plane; i++) sums[c] += gv[o + i];
    gb = fromValues([C], 'float32', sums);
  }
  return [fromValues(x.shape, 'float32', (gB ?? gS)!), fromValues(w.shape, 'float32', gW), gb];
}

/** A convolution call's arguments, as every conv row's rule sees them. */
interface ConvCall {
  x: T;
  w: T;
  bias: T | null;
  stride: number | number[];
  padding: number | number[] | string;
  dilation: number | number[];
  transposed: boolean;
  outputPadding: number | number[];
  groups: number;
}

const perDim = (v: number | number[], k: number): number[] => (typeof v === 'number' ? new Array(k).fill(v) : v.length === 1 ? new Array(k).fill(v[0]) : [...v]);

/** The rule of a conv row: unbatched inputs get a batch dim, 'same' padding's odd unit is padded explicitly. */
function convRule(read: (args: readonly any[]) => ConvCall): GradRule {
  return ([g], args) => {
    const c = read(args);
    const k = c.w.dim - 2;
    const unbatched = c.x.dim === c.w.dim - 1;
    let x = unbatched ? unsqueeze(c.x, 0) : c.x;
    const gy = unbatched ? unsqueeze(g!, 0) : g!;
    const dilation = perDim(c.dilation, k);
    let padding: number[];
    let extra: number[] = [];
    if (typeof c.padding === 'string') {
      const total = c.padding === 'same' ? c.w.shape.slice(2).map((s, i) => dilation[i] * (s - 1)) : new Array(k).fill(0);
      padding = total.map((t) => Math.floor(t / 2));
      // constant_pad_nd lists the last dim first: [w_before, w_after, h_before, h_after].
      extra = total.map((t, i) => [0, t - 2 * padding[i]]).reverse().flat();
      if (extra.some((v) => v)) x = callOp('aten::constant_pad_nd', [x, extra]);
      else extra = [];
    } else padding = perDim(c.padding, k);
    const [gx0, gw, gb] = callOp('aten::convolution_backward', [gy, x, c.w, c.bias ? [...c.bias.shape] : null, perDim(c.stride, k), padding, dilation, c.transposed, perDim(c.outputPadding, k), c.groups, [true, true, !!c.bias]]);
    let gx = extra.length ? callOp('aten::constant_pad_nd', [gx0, extra.map((v) => -v)]) : gx0;
    if (unbatched) gx = squeeze(gx, 0);
    return [gx, gw, c.bias ? gb : null, ...args.slice(3).map(() => null)];
  };
}

/** conv1d/conv2d (int or string padding). */
export const gradConv = convRule(([x, w, bias, stride, padding, dilation, groups]) => ({ x, w, bias, stride, padding, dilation, groups, transposed: false, outputPadding: 0 }));
export const gradConvTranspose = convRule(([x, w, bias, stride, padding, outputPadding, groups, dilation]) => ({ x, w, bias, stride, padding, dilation, groups, transposed: true, outputPadding }));
/** convolution, _convolution (both overloads). */
export const gradConvolution = convRule(([x, w, bias, stride, padding, dilation, transposed, outputPadding, groups]) => ({ x, w, bias, stride, padding, dilation, transposed, outputPadding, groups }));
export const gradConvolutionMode = convRule(([x, w, bias, stride, padding, dilation, groups]) => ({ x, w, bias, stride, padding, dilation, groups, transposed: false, outputPadding: 0 }));

// ---- pooling ----

/** Gradients routed to the arg-max positions (indices are h * W + w within each plane). */
function toArgmax(go: T, x: T, indices: T): T {
  const HW = x.shape[x.dim - 1] * x.shape[x.dim - 2], P = x.numel / Math.max(HW, 1), O = go.numel / Math.max(P, 1);
  return reshape(scatterAdd(zeros([P, HW]), 1, reshape(indices, [P, O]), reshape(go, [P, O])), x.shape);
}

function avgPool2dBackward(go: T, x: T, kernel: number[], stride: number[], padding: number[], _ceil: boolean, countIncludePad: boolean, divisor: number | null): T {
  const [kh, kw] = hw(kernel, 2, 1), [sh, sw] = stride.length ? hw(stride, 2, 1) : [kh, kw], [ph, pw] = hw(padding, 2, 0);
  const H = x.shape[x.dim - 2], W = x.shape[x.dim - 1], OH = go.shape[go.dim - 2], OW = go.shape[go.dim - 1];
  const gv = f32Copy(go), out = new Float64Array(x.numel), planes = x.numel / (H * W);
  for (let p = 0; p < planes; p++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        let h0 = oh * sh - ph, w0 = ow * sw - pw;
        let h1 = Math.min(h0 + kh, H + ph), w1 = Math.min(w0 + kw, W + pw);
        const padded = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, H);
        w1 = Math.min(w1, W);
        if (h0 >= h1 || w0 >= w1) continue;
        const v = gv[(p * OH + oh) * OW + ow] / (divisor ?? (countIncludePad ? padded : (h1 - h0) * (w1 - w0)));
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) out[(p * H + h) * W + w] += v;
      }
  return fromValues(x.shape, 'float32', out);
}

function adaptiveAvgPool2dBackward(go: T, x: T): T {
  const H = x.shape[x.dim - 2], W = x.shape[x.dim - 1], OH = go.shape[go.dim - 2], OW = go.shape[go.dim - 1];
  const gv = f32Copy(go), out = new Float64Array(x.numel), planes = x.numel / (H * W);
  const start = (o: number, O: number, I: number) => Math.floor((o * I) / O), end = (o: number, O: number, I: number) => Math.ceil(((o + 1) * I) / O);
  for (let p = 0; p < planes; p++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const h0 = start(oh, OH, H), h1 = end(oh, OH, H), w0 = start(ow, OW, W), w1 = end(ow, OW, W);
        const v = gv[(p * OH + oh) * OW + ow] / ((h1 - h0) * (w1 - w0));
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) out[(p * H + h) * W + w] += v;
      }
  return fromValues(x.shape, 'float32', out);
}

export const gradMaxPool2d: GradRule = ([g], [x, k, s, p, d, ceil]) => {
  const [, idx] = callOp('aten::max_pool2d_with_indices', [x, k, s, p, d, ceil]);
  return [callOp('aten::max_pool2d_with_indices_backward', [g, x, k, s, p, d, ceil, idx])];
};
export const gradMaxPool2dWithIndices: GradRule = ([g], [x, k, s, p, d, ceil], [, idx]) => [g ? callOp('aten::max_pool2d_with_indices_backward', [g, x, k, s, p, d, ceil, idx]) : null];
export const gradAvgPool2d: GradRule = ([g], [x, ...rest]) => [callOp('aten::avg_pool2d_backward', [g, x, ...rest])];
export const gradAdaptiveAvgPool2d: GradRule = ([g], [x]) => [callOp('aten::_adaptive_avg_pool2d_backward', [g, x])];
export const gradAdaptiveMaxPool2d: GradRule = ([g], [x], [, idx]) => [g ? callOp('aten::adaptive_max_pool2d_backward', [g, x, idx]) : null];

/**
 * dropout: the mask is read back from the output (kept where the output is nonzero); where the
 * input was exactly 0 the mask is unknown and the element counts as kept.
 */
export const gradDropout: GradRule = ([g], [x, p, train], [y]) => {
  if (!train || p === 0) return [g, null, null];
  if (p === 1) return [zerosLike(g!), null, null];
  return [where(logicalOr(ne(y, 0), eq(x, 0)), mul(g!, 1 / (1 - p)), 0), null, null];
};

export const CONV_BACKWARD_OPS: OpDef[] = [
  { schema: 'aten::convolution_backward(Tensor grad_output, Tensor input, Tensor weight, SymInt[]? bias_sizes, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups, bool[3] output_mask) -> (Tensor, Tensor, Tensor)', tags: ['opaque'], impl: convolutionBackward },
  { schema: 'aten::max_pool2d_with_indices_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, int[2] padding, int[2] dilation, bool ceil_mode, Tensor indices) -> Tensor', tags: ['opaque'], impl: (go: T, x: T, _k: number[], _s: number[], _p: number[], _d: number[], _c: boolean, idx: T) => toArgmax(go, x, idx) },
  { schema: 'aten::avg_pool2d_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, int[2] padding, bool ceil_mode, bool count_include_pad, int? divisor_override) -> Tensor', tags: ['opaque'], impl: avgPool2dBackward },
  { schema: 'aten::_adaptive_avg_pool2d_backward(Tensor grad_output, Tensor self) -> Tensor', tags: ['opaque'], impl: adaptiveAvgPool2dBackward },
  { schema: 'aten::adaptive_max_pool2d_backward(Tensor grad_output, Tensor self, Tensor indices) -> Tensor', tags: ['opaque'], impl: toArgmax },
];
