// Convolution rows (conv1d/conv2d, their 'same'/'valid' forms, conv_transpose, _convolution,
// convolution), pooling rows and dropout. `convolution()` checks arguments as PyTorch's
// check_shape_forward does and hands a 2-D problem to `conv2dKernel`, the one place where fast
// paths (NNPACK port: Winograd, direct depthwise) plug in beside the reference im2col + GEMM.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { DTYPES } from '../sdk/dtype.js';
import { DTypeError, OpError, ShapeError } from '../sdk/errors.js';
import { defaultGenerator } from '../sdk/random.js';
import { contiguous, empty, values } from './exec.js';
import { gemmF32 } from './linalg.js';
import { REDUCE_MEAN } from '../../assembly/kernels/opcodes.js';
import { conv2dFast } from './conv-fast.js';
import type { OpDef } from './table.js';
import { CONV_BACKWARD_OPS, gradAdaptiveAvgPool2d, gradAdaptiveMaxPool2d, gradAvgPool2d, gradConv, gradConvolution, gradConvolutionMode, gradConvTranspose, gradDropout, gradMaxPool2d, gradMaxPool2dWithIndices } from './conv-grads.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** An int or a 1-list repeated to `n` values, as PyTorch's expand_param_if_needed does. */
function expand(op: string, name: string, v: number | readonly number[], n: number): number[] {
  if (typeof v === 'number') return new Array(n).fill(v);
  if (v.length === 1) return new Array(n).fill(v[0]);
  if (v.length !== n) throw new OpError(op, `expected ${name} to be a single integer value or a list of ${n} values to match the convolution dimensions, but got ${name}=${fmt(v)}`);
  return [...v];
}

/** A 2-D convolution problem; padding may differ before and after ('same' with an even kernel). */
export interface Conv2dParams {
  stride: number[];
  padBefore: number[];
  padAfter: number[];
  dilation: number[];
  outputPadding: number[];
  groups: number;
  transposed: boolean;
}

function requireF32(op: string, ...ts: (Tensor | null)[]): void {
  for (const t of ts) {
    if (!t || t.dtype === 'float32') continue;
    if (DTYPES[t.dtype].kind !== 'float') throw new DTypeError(op, `"slow_conv2d_cpu" not implemented for '${DTYPES[t.dtype].short}'`);
    throw new DTypeError(op, `convolution supports float32 tensors only, but got ${t.dtype}`);
  }
}

/** PyTorch's check_shape_forward (Convolution.cpp), on the batched input. */
function checkShapeForward(op: string, x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams): void {
  const ws = w.shape;
  if (p.padBefore.some((v) => v < 0)) throw new OpError(op, 'negative padding is not supported');
  if (p.outputPadding.some((v) => v < 0)) throw new OpError(op, 'negative output_padding is not supported');
  if (p.stride.some((v) => v <= 0)) throw new OpError(op, 'non-positive stride is not supported');
  if (p.dilation.some((v) => v <= 0)) throw new OpError(op, 'dilation should be greater than zero');
  if (x.dim !== ws.length) throw new ShapeError(op, `Expected ${ws.length}-dimensional input for ${ws.length}-dimensional weight ${fmt(ws)}, but got ${x.dim}-dimensional input of size ${fmt(x.shape)} instead`);
  if (ws[0] < p.groups) throw new ShapeError(op, `Given groups=${p.groups}, expected weight to be at least ${p.groups} at dimension 0, but got weight of size ${fmt(ws)} instead`);
  if (ws[0] % p.groups !== 0) throw new ShapeError(op, `Given groups=${p.groups}, expected weight to be divisible by ${p.groups} at dimension 0, but got weight of size [${fmt(ws)}] instead`);
  const biasBad = (n: number) => bias && (bias.dim !== 1 || bias.shape[0] !== n);
  if (!p.transposed) {
    if (x.shape[1] !== ws[1] * p.groups)
      throw new ShapeError(op, `Given groups=${p.groups}, weight of size ${fmt(ws)}, expected input${fmt(x.shape)} to have ${ws[1] * p.groups} channels, but got ${x.shape[1]} channels instead`);
    if (biasBad(ws[0])) throw new ShapeError(op, `Given weight of size ${fmt(ws)}, expected bias to be 1-dimensional with ${ws[0]} elements, but got bias of size ${fmt(bias!.shape)} instead`);
    const padded = x.shape.slice(2).map((s, i) => s + p.padBefore[i] + p.padAfter[i]);
    const kernel = ws.slice(2).map((s, i) => p.dilation[i] * (s - 1) + 1);
    if (padded.some((s, i) => s < kernel[i]))
      throw new ShapeError(op, `Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${kernel.join(' x ')}). Kernel size can't be greater than actual input size`);
  } else {
    if (x.shape[1] !== ws[0]) throw new ShapeError(op, `Given transposed=1, weight of size ${fmt(ws)}, expected input${fmt(x.shape)} to have ${ws[0]} channels, but got ${x.shape[1]} channels instead`);
    if (biasBad(ws[1] * p.groups))
      throw new ShapeError(op, `Given transposed=1, weight of size ${fmt(ws)}, expected bias to be 1-dimensional with ${ws[1] * p.groups} elements, but got bias of size ${fmt(bias!.shape)} instead`);
  }
}

/** Output spatial size of a 2-D (transposed) convolution. */
function outputSize(x: Tensor, w: Tensor, p: Conv2dParams): number[] {
  return [0, 1].map((i) => {
    const n = x.shape[2 + i], kk = p.dilation[i] * (w.shape[2 + i] - 1) + 1;
    return p.transposed ? (n - 1) * p.stride[i] - p.padBefore[i] - p.padAfter[i] + kk + p.outputPadding[i] : Math.floor((n + p.padBefore[i] + p.padAfter[i] - kk) / p.stride[i]) + 1;
  });
}

/**
 * Convolution of a batched input with 1 or 2 spatial dims (what aten::convolution accepts).
 * `padding` is per dim, or PyTorch's 'same' / 'valid'.
 */
export function convolution(op: string, x: Tensor, w: Tensor, bias: Tensor | null, stride: number | number[], padding: number | number[] | string, dilation: number | number[], transposed: boolean, outputPadding: number | number[], groups: number): Tensor {
  const k = w.dim - 2;
  if (k <= 0) throw new ShapeError(op, 'weight should have at least three dimensions');
  if (groups <= 0) throw new OpError(op, 'non-positive groups is not supported');
  const p: Conv2dParams = { stride: expand(op, 'stride', stride, k), padBefore: [], padAfter: [], dilation: expand(op, 'dilation', dilation, k), outputPadding: expand(op, 'output_padding', outputPadding, k), groups, transposed };
  if (typeof padding === 'string') {
    if (padding === 'valid') padding = 0;
    else if (padding !== 'same') throw new OpError(op, `Invalid padding string: '${padding}'`);
    else {
      if (x.dim !== w.dim) throw new ShapeError(op, `Expected ${w.dim}-dimensional input for ${w.dim}-dimensional weight${fmt(w.shape)}, but got ${x.dim}-dimensional input of size ${fmt(x.shape)} instead`);
      if (p.stride.some((s) => s !== 1)) throw new OpError(op, "padding='same' is not supported for strided convolutions");
      // The total padding d*(k-1) is split with the odd unit after, as PyTorch's convolution_same does.
      const total = w.shape.slice(2).map((s, i) => p.dilation[i] * (s - 1));
      p.padBefore = total.map((t) => Math.floor(t / 2));
      p.padAfter = total.map((t, i) => t - p.padBefore[i]);
    }
  }
  if (typeof padding !== 'string') p.padBefore = p.padAfter = expand(op, 'padding', padding, k);
  checkShapeForward(op, x, w, bias, p);
  if (k > 2) throw new OpError(op, `only 1-D and 2-D convolutions are supported, got a ${k}-D weight ${fmt(w.shape)}`);
  requireF32(op, x, w, bias);
  if (k === 2) return conv2dChecked(op, x, w, bias, p);
  // 1-D runs as 2-D with a unit height (PyTorch's view1d_as_2d).
  const x2 = x.asStrided([x.shape[0], x.shape[1], 1, x.shape[2]], [x.strides[0], x.strides[1], 0, x.strides[2]]);
  const w2 = w.asStrided([w.shape[0], w.shape[1], 1, w.shape[2]], [w.strides[0], w.strides[1], 0, w.strides[2]]);
  const unit = (v: number[], u: number) => [u, ...v];
  const p2: Conv2dParams = { ...p, stride: unit(p.stride, 1), padBefore: unit(p.padBefore, 0), padAfter: unit(p.padAfter, 0), dilation: unit(p.dilation, 1), outputPadding: unit(p.outputPadding, 0) };
  const out4 = conv2dChecked(op, x2, w2, bias, p2);
  x2.dispose();
  w2.dispose();
  const out = out4.asStrided([out4.shape[0], out4.shape[1], out4.shape[3]], [out4.strides[0], out4.strides[1], out4.strides[3]]);
  out4.dispose();
  return out;
}

function conv2dChecked(op: string, x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams): Tensor {
  const [N, C] = x.shape;
  if (N !== 0 && C !== 0 && x.numel === 0) throw new ShapeError(op, `Only zero batch or zero channel inputs are supported, but got input shape: ${fmt(x.shape)}`);
  if (p.transposed && p.outputPadding.some((v, i) => v >= p.stride[i] && v >= p.dilation[i]))
    throw new OpError(op, `output padding must be smaller than either stride or dilation, but got output_padding_height: ${p.outputPadding[0]} output_padding_width: ${p.outputPadding[1]} stride_height: ${p.stride[0]} stride_width: ${p.stride[1]} dilation_height: ${p.dilation[0]} dilation_width: ${p.dilation[1]}`);
  const [OH, OW] = outputSize(x, w, p);
  if (OH < 1 || OW < 1) throw new ShapeError(op, `Given input size per channel: (${x.shape[2]} x ${x.shape[3]}). Calculated output size per channel: (${OH} x ${OW}). Output size is too small`);
  // The NNPACK port first (Winograd, 1x1 GEMM, depthwise, implicit GEMM); null when it has no path.
  const symmetric = p.padBefore.every((v, i) => v === p.padAfter[i]);
  const fast = !p.transposed && symmetric ? conv2dFast(x, w, bias, p.stride as [number, number], p.padBefore as [number, number], p.dilation as [number, number], p.groups) : null;
  if (fast) return fast;
  const O = p.transposed ? w.shape[1] * p.groups : w.shape[0];
  const out = empty([N, O, OH, OW], 'float32');
  if (out.numel === 0) return out;
  fillBias(out, bias);
  conv2dKernel(x, w, out, p);
  return out;
}

/** Each output channel starts at its bias (or zero); the GEMMs accumulate onto it. */
function fillBias(out: Tensor, bias: Tensor | null): void {
  const [N, O, OH, OW] = out.shape, P = OH * OW;
  const b = bias ? values(bias) : null;
  const f = engine().array('float32', out.ptr, out.numel) as Float32Array;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) f.fill(b ? b[o] : 0, (n * O + o) * P, (n * O + o + 1) * P);
}

/**
 * out (contiguous [N, O, OH, OW], holding the bias) += conv(x, w). The dispatcher: fast kernels
 * for special shapes go here, in front of the general im2col + GEMM path.
 */
export function conv2dKernel(x: Tensor, w: Tensor, out: Tensor, p: Conv2dParams): void {
  const wc = contiguous(w);
  if (p.transposed) convTranspose2dGemm(x, wc, out, p);
  else conv2dGemm(x, wc, out, p);
  if (wc !== w) wc.dispose();
}

/** im2col per (image, group), then weight[g] [Og, Cg*kh*kw] @ cols [Cg*kh*kw, OH*OW]. */
function conv2dGemm(x: Tensor, w: Tensor, out: Tensor, p: Conv2dParams): void {
  const [N, , H, W] = x.shape, [O, Cg, kh, kw] = w.shape, [, , OH, OW] = out.shape;
  const g = p.groups, Og = O / g, KK = Cg * kh * kw, P = OH * OW;
  if (KK === 0) return;
  const e = engine();
  // A 1x1 unit-stride unpadded conv reads the input planes directly as the GEMM's B.
  const direct = kh === 1 && kw === 1 && p.stride.every((s) => s === 1) && p.padBefore.every((v) => v === 0) && p.padAfter.every((v) => v === 0) && x.strides[3] === 1 && (H === 1 || x.strides[2] === W) && x.strides[1] >= P;
  const cols = direct ? 0 : e.alloc(KK * P * 4);
  try {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < g; gi++) {
        const base = x.offset + n * x.strides[0] + gi * Cg * x.strides[1];
        if (!direct) im2col(x, base, Cg, H, W, kh, kw, OH, OW, p, cols);
        const b = direct ? x.storage.ptr + base * 4 : cols, ldb = direct ? x.strides[1] : P;
        gemmF32(0, 0, Og, P, KK, 1, w.ptr + gi * Og * KK * 4, KK, b, ldb, 1, out.ptr + (n * O + gi * Og) * P * 4, P);
      }
    }
  } finally {
    if (cols) e.free(cols);
  }
}

/** cols[(c*kh + i)*kw + j][oh*OW + ow] = x[c, oh*sh - ph + i*dh, ow*sw - pw + j*dw] (0 in the padding). */
function im2col(x: Tensor, base: number, C: number, H: number, W: number, kh: number, kw: number, OH: number, OW: number, p: Conv2dParams, cols: number): void {
  const e = engine();
  const desc = e.writeDesc([C, H, W, kh, kw, OH, OW, ...p.stride, ...p.padBefore, ...p.dilation, x.strides[1], x.strides[2], x.strides[3]]);
  e.k.f32_im2col(x.storage.ptr + base * 4, cols, desc);
}

/** Per (image, group): cols = weight[g]^T [Og*kh*kw, Cg] @ x[g] [Cg, H*W], then col2im adds cols into out. */
function convTranspose2dGemm(x0: Tensor, w: Tensor, out: Tensor, p: Conv2dParams): void {
  const planes = x0.strides[3] === 1 && (x0.shape[2] === 1 || x0.strides[2] === x0.shape[3]) && x0.strides[1] >= x0.shape[2] * x0.shape[3];
  const x = planes ? x0 : contiguous(x0, true);
  const [N, Cin, H, W] = x.shape, [, Og, kh, kw] = w.shape, [, O, OH, OW] = out.shape;
  const g = p.groups, Cg = Cin / g, M = Og * kh * kw, P = H * W;
  const e = engine();
  const cols = Cg > 0 ? e.alloc(M * P * 4) : 0;
  try {
    for (let n = 0; n < N && Cg > 0; n++) {
      for (let gi = 0; gi < g; gi++) {
        const xb = x.ptr + (n * x.strides[0] + gi * Cg * x.strides[1]) * 4;
        gemmF32(1, 0, M, P, Cg, 1, w.ptr + gi * Cg * M * 4, M, xb, x.strides[1], 0, cols, P);
        col2im(cols, Og, H, W, kh, kw, OH, OW, p, (out.ptr >> 2) + (n * O + gi * Og) * OH * OW);
      }
    }
  } finally {
    if (cols) e.free(cols);
    if (x !== x0) x.dispose();
  }
}

function col2im(cols: number, C: number, H: number, W: number, kh: number, kw: number, OH: number, OW: number, p: Conv2dParams, outBase: number): void {
  const f = engine().f32;
  const [sh, sw] = p.stride, [ph, pw] = p.padBefore, [dh, dw] = p.dilation;
  let r = cols >> 2;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let ih = 0; ih < H; ih++, r += W) {
          const oh = ih * sh - ph + i * dh;
          if (oh < 0 || oh >= OH) continue;
          const row = outBase + (c * OH + oh) * OW;
          for (let iw = 0; iw < W; iw++) {
            const ow = iw * sw - pw + j * dw;
            if (ow >= 0 && ow < OW) f[row + ow] += f[r + iw];
          }
        }
      }
    }
  }
}

/** conv1d/conv2d accept an unbatched input (one dim less than the weight). */
function convNd(name: string, k: number, x: Tensor, w: Tensor, bias: Tensor | null, stride: number[], padding: number[] | string, dilation: number[], groups: number, transposed = false, outputPadding: number[] = [0]): Tensor {
  const op = `aten::${name}`;
  if (x.dim !== k + 1 && x.dim !== k + 2)
    throw new ShapeError(op, `Expected ${k + 1}D (unbatched) or ${k + 2}D (batched) input to ${name}, but got input of size: ${fmt(x.shape)}`);
  if (x.dim === k + 2) return convolution(op, x, w, bias, stride, padding, dilation, transposed, outputPadding, groups);
  const xb = x.asStrided([1, ...x.shape], [0, ...x.strides]);
  const ob = convolution(op, xb, w, bias, stride, padding, dilation, transposed, outputPadding, groups);
  xb.dispose();
  const out = ob.asStrided(ob.shape.slice(1), ob.strides.slice(1));
  ob.dispose();
  return out;
}

// ---- pooling ----

/** A pooling `int[2]` argument (an int or 1- or 2-list), with max_pool2d's wording on a bad length. */
function pair(op: string, name: string, v: number | number[], what: string): number[] {
  if (typeof v === 'number') return [v, v];
  if (v.length === 1) return [v[0], v[0]];
  if (v.length !== 2) throw new OpError(op, `${op.slice(6)}: ${name} must ${what}`);
  return [...v];
}

/** PyTorch's pooling_output_shape: floor (or ceil, starting inside the input) with checks. */
function poolOut(op: string, size: number, k: number, pad: number, stride: number, dil: number, ceil: boolean): number {
  if (stride === 0) throw new OpError(op, 'stride should not be zero');
  if (pad < 0) throw new OpError(op, `pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.floor(((k - 1) * dil + 1) / 2)) throw new OpError(op, `pad should be at most half of effective kernel size, but got pad=${pad}, kernel_size=${k} and dilation=${dil}`);
  let out = Math.floor((size + 2 * pad - dil * (k - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

interface Pool2d {
  x: Tensor;
  planes: number; // N * C
  C: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  /** The output shape, 3-D or 4-D like the input. */
  shape: number[];
  /** Element offset of plane `i` of x. */
  plane(i: number): number;
}

function pool2dInput(op: string, x: Tensor, osize: (H: number, W: number) => [number, number], check: (C: number, H: number, W: number, OH: number, OW: number) => void): Pool2d {
  if (x.dim !== 3 && x.dim !== 4) throw new ShapeError(op, `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${fmt(x.shape)}`);
  requireF32(op, x);
  const [N, C, H, W] = x.dim === 4 ? x.shape : [1, ...x.shape];
  const [OH, OW] = osize(H, W);
  check(C, H, W, OH, OW);
  const batched = x.dim === 4;
  const [sn, sc] = batched ? x.strides : [0, x.strides[0]];
  return {
    x, planes: N * C, C, H, W, OH, OW,
    shape: batched ? [N, C, OH, OW] : [C, OH, OW],
    plane: (i) => x.offset + Math.floor(i / C) * sn + (i % C) * sc,
  };
}

function poolShapeCheck(op: string, x: Tensor, k: number[], s: number[], p: number[], d: number[]) {
  return (C: number, H: number, W: number, OH: number, OW: number) => {
    if (k[0] <= 0 || k[1] <= 0) throw new OpError(op, `kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
    if (s[0] <= 0 || s[1] <= 0) throw new OpError(op, `stride should be greater than zero, but got dH: ${s[0]} dW: ${s[1]}`);
    if (d[0] <= 0 || d[1] <= 0) throw new OpError(op, `dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`);
    const valid = x.shape[x.dim - 3] !== 0 && x.shape[x.dim - 2] !== 0 && x.shape[x.dim - 1] !== 0;
    if (!valid) throw new ShapeError(op, `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${fmt(x.shape)}`);
    if (Math.floor(k[1] / 2) < p[1] || Math.floor(k[0] / 2) < p[0]) throw new OpError(op, `pad should be smaller than or equal to half of kernel size, but got padW = ${p[1]}, padH = ${p[0]}, kW = ${k[1]}, kH = ${k[0]}`);
    if (OW < 1 || OH < 1) throw new ShapeError(op, `Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${OH}x${OW}). Output size is too small`);
  };
}

/** Visits each output cell: fn(plane, oh, ow, outIndex). */
/**
 * Runs a kernel of f32-pool2d-wasmsimd.ts over pl's planes (made contiguous) with its parameter
 * block: planes, H, W, OH, OW, kernel, stride, padding, dilation, then `extra`.
 */
function poolKernel(pl: Pool2d, k: number[], s: number[], p: number[], d: number[], extra: number[], run: (x: number, desc: number) => void): void {
  const xc = contiguous(pl.x);
  const e = engine();
  run(xc.ptr, e.writeDesc([pl.planes, pl.H, pl.W, pl.OH, pl.OW, ...k, ...s, ...p, ...d, ...extra]));
  if (xc !== pl.x) xc.dispose();
}

function eachOutput(pl: Pool2d, fn: (src: Float32Array, base: number, oh: number, ow: number) => void): void {
  const src = engine().f32, xb = pl.x.storage.ptr >> 2;
  for (let i = 0; i < pl.planes; i++) {
    const base = xb + pl.plane(i);
    for (let oh = 0; oh < pl.OH; oh++) for (let ow = 0; ow < pl.OW; ow++) fn(src, base, oh, ow);
  }
}

/** Max over each window; NaN wins (as `val > max || isnan(val)`); indices are h * W + w in the plane. */
function maxPool(pl: Pool2d, window: (oh: number, ow: number) => [number, number, number, number, number, number]): [Tensor, Tensor] {
  const out = empty(pl.shape, 'float32'), idx = empty(pl.shape, 'int64');
  const vals = new Float32Array(out.numel), inds = new Array<number>(out.numel);
  const [hs, ws] = pl.x.strides.slice(-2);
  let o = 0;
  eachOutput(pl, (src, base, oh, ow) => {
    const [h0, h1, dh, w0, w1, dw] = window(oh, ow);
    let best = -Infinity, at = h0 * pl.W + w0;
    for (let h = h0; h < h1; h += dh) {
      for (let w = w0; w < w1; w += dw) {
        const v = src[base + h * hs + w * ws];
        if (v > best || Number.isNaN(v)) {
          best = v;
          at = h * pl.W + w;
        }
      }
    }
    vals[o] = best;
    inds[o++] = at;
  });
  (engine().array('float32', out.ptr, out.numel) as Float32Array).set(vals);
  const iv = engine().array('int64', idx.ptr, idx.numel) as BigInt64Array;
  for (let i = 0; i < inds.length; i++) iv[i] = BigInt(inds[i]);
  return [out, idx];
}

function maxPool2dWithIndices(x: Tensor, kernel: number[], stride: number[], padding: number | number[], dilation: number | number[], ceil: boolean): [Tensor, Tensor] {
  const op = 'aten::max_pool2d';
  const k = pair(op, 'kernel_size', kernel, 'either be a single int, or a tuple of two ints');
  const s = stride.length === 0 ? k : pair(op, 'stride', stride, 'either be omitted, a single int, or a tuple of two ints');
  const p = pair(op, 'padding', padding, 'either be a single int, or a tuple of two ints');
  const d = pair(op, 'dilation', dilation, 'be either a single int, or a tuple of two ints');
  const pl = pool2dInput(op, x, (H, W) => [poolOut(op, H, k[0], p[0], s[0], d[0], ceil), poolOut(op, W, k[1], p[1], s[1], d[1], ceil)], poolShapeCheck(op, x, k, s, p, d));
  const out = empty(pl.shape, 'float32'), idx = empty(pl.shape, 'int64');
  poolKernel(pl, k, s, p, d, [], (xp, desc) => engine().k.f32_maxpool2d(xp, out.ptr, idx.ptr, desc));
  return [out, idx];
}

function avgPool2d(x: Tensor, kernel: number[], stride: number[], padding: number | number[], ceil: boolean, countIncludePad: boolean, divisor: number | null): Tensor {
  const op = 'aten::avg_pool2d';
  const k = pair(op, 'kernel_size', kernel, 'either be a single int, or a tuple of two ints');
  const s = stride.length === 0 ? k : pair(op, 'stride', stride, 'either be omitted, a single int, or a tuple of two ints');
  const p = pair(op, 'padding', padding, 'either be a single int, or a tuple of two ints');
  if (divisor === 0) throw new OpError(op, 'divisor must be not zero');
  const pl = pool2dInput(op, x, (H, W) => [poolOut(op, H, k[0], p[0], s[0], 1, ceil), poolOut(op, W, k[1], p[1], s[1], 1, ceil)], poolShapeCheck(op, x, k, s, p, [1, 1]));
  const out = empty(pl.shape, 'float32');
  poolKernel(pl, k, s, p, [1, 1], [countIncludePad ? 1 : 0, divisor === null ? 0 : 1, divisor ?? 0], (xp, desc) => engine().k.f32_avgpool2d(xp, out.ptr, desc));
  return out;
}

/** Adaptive pooling: window [floor(o*I/O), ceil((o+1)*I/O)) per output index. */
function adaptiveInput(name: string, x: Tensor, size: number[]): Pool2d {
  const op = `aten::${name}`;
  if (size.length !== 2) throw new OpError(op, `${name}: output_size must be 2`);
  if (size.some((v) => v < 0)) throw new OpError(op, `${name}: elements of output_size must be greater than or equal to 0 but received {${size.join(', ')}}`);
  if (x.dim !== 3 && x.dim !== 4) throw new ShapeError(op, `${name}(): Expected 3D or 4D tensor, but got: ${fmt(x.shape)}`);
  for (let i = x.dim - 3; i < x.dim; i++)
    if (x.shape[i] === 0) throw new ShapeError(op, `${name}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${fmt(x.shape)} with dimension ${i} being empty`);
  return pool2dInput(op, x, () => [size[0], size[1]], () => {});
}

const start = (o: number, O: number, I: number) => Math.floor((o * I) / O);
const end = (o: number, O: number, I: number) => Math.ceil(((o + 1) * I) / O);

function adaptiveAvgPool2d(x: Tensor, size: number[]): Tensor {
  const pl = adaptiveInput('adaptive_avg_pool2d', x, size);
  const out = empty(pl.shape, 'float32');
  if (pl.OH === 1 && pl.OW === 1 && out.numel > 0) {
    // Global pooling: the mean of each plane.
    const xc = contiguous(x);
    engine().k.f32_reduce(REDUCE_MEAN, xc.ptr, out.ptr, pl.planes, pl.H * pl.W, 1);
    if (xc !== x) xc.dispose();
    return out;
  }
  const vals = new Float32Array(out.numel);
  const [hs, ws] = x.strides.slice(-2);
  let o = 0;
  eachOutput(pl, (src, base, oh, ow) => {
    const h0 = start(oh, pl.OH, pl.H), h1 = end(oh, pl.OH, pl.H), w0 = start(ow, pl.OW, pl.W), w1 = end(ow, pl.OW, pl.W);
    let sum = 0;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum += src[base + h * hs + w * ws];
    vals[o++] = sum / ((h1 - h0) * (w1 - w0));
  });
  (engine().array('float32', out.ptr, out.numel) as Float32Array).set(vals);
  return out;
}

function adaptiveMaxPool2d(x: Tensor, size: number[]): [Tensor, Tensor] {
  const pl = adaptiveInput('adaptive_max_pool2d', x, size);
  return maxPool(pl, (oh, ow) => [start(oh, pl.OH, pl.H), end(oh, pl.OH, pl.H), 1, start(ow, pl.OW, pl.W), end(ow, pl.OW, pl.W), 1]);
}

// ---- dropout ----

/** Zeroes elements (or whole feature maps) with probability p, scaling survivors by 1/(1-p). */
function dropout(name: string, x: Tensor, p: number, train: boolean): Tensor {
  const op = `aten::${name}`;
  if (p < 0 || p > 1) throw new OpError(op, `dropout probability has to be between 0 and 1, but got ${p}`);
  if (!train || p === 0 || x.numel === 0) return x;
  const feature = name === 'feature_dropout';
  if (feature && x.dim < 2) throw new ShapeError(op, 'Feature dropout requires at least 2 dimensions in the input');
  requireF32(op, x);
  const src = contiguous(x);
  const out = empty(x.shape, 'float32');
  const group = feature ? x.numel / (x.shape[0] * x.shape[1]) : 1;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = new Float32Array(x.numel / group);
  for (let i = 0; i < mask.length; i++) mask[i] = defaultGenerator.uniform() < 1 - p ? scale : 0;
  const a = engine().array('float32', src.ptr, src.numel) as Float32Array, b = engine().array('float32', out.ptr, out.numel) as Float32Array;
  for (let i = 0; i < b.length; i++) b[i] = a[i] * mask[Math.floor(i / group)];
  if (src !== x) src.dispose();
  return out;
}

const OPAQUE = ['opaque'] as const;

type Ints = number[];
type T = Tensor;
type B = Tensor | null;

export const CONV_OPS: OpDef[] = [
  { schema: 'aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=[1, 1], SymInt[2] padding=[0, 0], SymInt[2] dilation=[1, 1], SymInt groups=1) -> Tensor', tags: OPAQUE, grad: gradConv, impl: (x: T, w: T, b: B, s: Ints, p: Ints, d: Ints, g: number) => convNd('conv2d', 2, x, w, b, s, p, d, g) },
  { schema: 'aten::conv2d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=[1, 1], str padding="valid", SymInt[2] dilation=[1, 1], SymInt groups=1) -> Tensor', tags: OPAQUE, grad: gradConv, impl: (x: T, w: T, b: B, s: Ints, p: string, d: Ints, g: number) => convNd('conv2d', 2, x, w, b, s, p, d, g) },
  { schema: 'aten::conv1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=[1], SymInt[1] padding=[0], SymInt[1] dilation=[1], SymInt groups=1) -> Tensor', tags: OPAQUE, grad: gradConv, impl: (x: T, w: T, b: B, s: Ints, p: Ints, d: Ints, g: number) => convNd('conv1d', 1, x, w, b, s, p, d, g) },
  { schema: 'aten::conv1d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=[1], str padding="valid", SymInt[1] dilation=[1], SymInt groups=1) -> Tensor', tags: OPAQUE, grad: gradConv, impl: (x: T, w: T, b: B, s: Ints, p: string, d: Ints, g: number) => convNd('conv1d', 1, x, w, b, s, p, d, g) },
  { schema: 'aten::conv_transpose2d.input(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=[1, 1], SymInt[2] padding=[0, 0], SymInt[2] output_padding=[0, 0], SymInt groups=1, SymInt[2] dilation=[1, 1]) -> Tensor', tags: OPAQUE, grad: gradConvTranspose, impl: (x: T, w: T, b: B, s: Ints, p: Ints, op: Ints, g: number, d: Ints) => convNd('conv_transpose2d', 2, x, w, b, s, p, d, g, true, op) },
  { schema: 'aten::conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=[1], SymInt[1] padding=[0], SymInt[1] output_padding=[0], SymInt groups=1, SymInt[1] dilation=[1]) -> Tensor', tags: OPAQUE, grad: gradConvTranspose, impl: (x: T, w: T, b: B, s: Ints, p: Ints, op: Ints, g: number, d: Ints) => convNd('conv_transpose1d', 1, x, w, b, s, p, d, g, true, op) },
  { schema: 'aten::convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups) -> Tensor', tags: OPAQUE, grad: gradConvolution, impl: (x: T, w: T, b: B, s: Ints, p: Ints, d: Ints, tr: boolean, op: Ints, g: number) => convolution('aten::convolution', x, w, b, s, p, d, tr, op, g) },
  { schema: 'aten::_convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups, bool benchmark, bool deterministic, bool cudnn_enabled, bool allow_tf32) -> Tensor', tags: OPAQUE, grad: gradConvolution, impl: (x: T, w: T, b: B, s: Ints, p: Ints, d: Ints, tr: boolean, op: Ints, g: number) => convolution('aten::_convolution', x, w, b, s, p, d, tr, op, g) },
  { schema: 'aten::_convolution.deprecated(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, int[] output_padding, SymInt groups, bool benchmark, bool deterministic, bool cudnn_enabled) -> Tensor', tags: OPAQUE, grad: gradConvolution, impl: (x: T, w: T, b: B, s: Ints, p: Ints, d: Ints, tr: boolean, op: Ints, g: number) => convolution('aten::_convolution', x, w, b, s, p, d, tr, op, g) },
  { schema: 'aten::_convolution_mode(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, str padding, SymInt[] dilation, SymInt groups) -> Tensor', tags: OPAQUE, grad: gradConvolutionMode, impl: (x: T, w: T, b: B, s: Ints, p: string, d: Ints, g: number) => convolution('aten::_convolution_mode', x, w, b, s, p, d, false, 0, g) },
  { schema: 'aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor', tags: OPAQUE, grad: gradMaxPool2d, impl: (x: T, k: Ints, s: Ints, p: Ints, d: Ints, c: boolean) => {
    const [out, idx] = maxPool2dWithIndices(x, k, s, p, d, c);
    idx.dispose();
    return out;
  } },
  { schema: 'aten::max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)', tags: OPAQUE, grad: gradMaxPool2dWithIndices, impl: maxPool2dWithIndices },
  { schema: 'aten::avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor', tags: OPAQUE, grad: gradAvgPool2d, impl: avgPool2d },
  { schema: 'aten::adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor', tags: OPAQUE, grad: gradAdaptiveAvgPool2d, impl: adaptiveAvgPool2d },
  { schema: 'aten::_adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor', tags: OPAQUE, grad: gradAdaptiveAvgPool2d, impl: adaptiveAvgPool2d },
  { schema: 'aten::adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor)', tags: OPAQUE, grad: gradAdaptiveMaxPool2d, impl: adaptiveMaxPool2d },
  { schema: 'aten::dropout(Tensor input, float p, bool train) -> Tensor', tags: ['random'], grad: gradDropout, impl: (x: T, p: number, t: boolean) => dropout('dropout', x, p, t) },
  { schema: 'aten::feature_dropout(Tensor input, float p, bool train) -> Tensor', tags: ['random'], grad: gradDropout, impl: (x: T, p: number, t: boolean) => dropout('feature_dropout', x, p, t) },
  ...CONV_BACKWARD_OPS,
];
