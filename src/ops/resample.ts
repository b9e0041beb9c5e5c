// Resampling rows: padding (constant, reflect, replicate, circular), upsampling (nearest,
// nearest-exact, linear, bilinear, trilinear, bicubic), adaptive average pooling (the "area" mode)
// and pixel (un)shuffle. All but the shuffles are separable: each spatial dim gets a tap table
// (per output coordinate: source indices and weights), applied one dim at a time. Index and
// weight arithmetic follows ATen's UpSample.h, including its float32 rounding, so that nearest
// neighbours land on the same source pixel as in PyTorch. float32 over one or two dims runs on the
// kernels f32_gather2d (one unit tap: padding, nearest) and f32_taps2d; alongDim is the reference.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { isFloating } from '../sdk/dtype.js';
import { DTypeError, OpError, ShapeError } from '../sdk/errors.js';
import { contiguous, empty, fromValues, numelOf, withBlocks, withValues } from './exec.js';
import type { OpDef } from './table.js';
import { gradAdaptiveAvgPool, gradConstantPad, gradPad, gradPadBySource, gradPixelShuffle, gradPixelUnshuffle, gradUpsample } from './resample-grads.js';

const f32 = Math.fround;
const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** For each of `size` output coordinates, `k` taps: source index (-1: the fill value) and weight. */
interface Taps {
  size: number;
  k: number;
  idx: Int32Array;
  w: Float64Array;
}

function taps(size: number, k: number, tap: (j: number, t: number) => [number, number]): Taps {
  const idx = new Int32Array(size * k), w = new Float64Array(size * k);
  for (let j = 0; j < size; j++)
    for (let t = 0; t < k; t++) [idx[j * k + t], w[j * k + t]] = tap(j, t);
  return { size, k, idx, w };
}

/** Applies `tp` along dim `d` of `v` (row-major, `shape`); returns the new values, updates `shape`. */
function alongDim(v: ArrayLike<number>, shape: number[], d: number, tp: Taps, fill: number): Float64Array {
  const inner = numelOf(shape.slice(d + 1)), outer = numelOf(shape.slice(0, d)), inSize = shape[d];
  const out = new Float64Array(outer * tp.size * inner);
  const { k, idx, w } = tp;
  for (let o = 0; o < outer; o++) {
    const src = o * inSize * inner;
    for (let j = 0; j < tp.size; j++) {
      const dst = (o * tp.size + j) * inner;
      if (inner === 1) {
        // The last dim: one accumulation per output element.
        let acc = 0;
        for (let t = j * k; t < j * k + k; t++) acc += w[t] * (idx[t] < 0 ? fill : v[src + idx[t]]);
        out[dst] = acc;
        continue;
      }
      for (let t = j * k; t < j * k + k; t++) {
        const wt = w[t];
        if (idx[t] < 0) for (let i = 0; i < inner; i++) out[dst + i] += wt * fill;
        else for (let i = 0, s = src + idx[t] * inner; i < inner; i++) out[dst + i] += wt * v[s + i];
      }
    }
  }
  shape[d] = tp.size;
  return out;
}

/** x resampled along its last `perDim.length` dims by the given tap tables (in x's dtype). */
function separable(x: Tensor, perDim: Taps[], fill = 0): Tensor {
  const shape = [...x.shape];
  const first = x.dim - perDim.length;
  const outShape = [...shape.slice(0, first), ...perDim.map((t) => t.size)];
  if (numelOf(outShape) === 0 || x.numel === 0) return fromValues(outShape, x.dtype, []);
  if (x.dtype === 'float32' && perDim.length <= 2) return separableF32(x, perDim, outShape, fill);
  let v = withValues(x, (src) => alongDim(src, shape, first, perDim[0], fill));
  for (let i = 1; i < perDim.length; i++) v = alongDim(v, shape, first + i, perDim[i], fill);
  return fromValues(outShape, x.dtype, v);
}

/** separable for float32 and one or two dims: the planes are [outer, H, W] (H = 1 for one dim). */
function separableF32(x: Tensor, perDim: Taps[], outShape: number[], fill: number): Tensor {
  const [th, tw] = perDim.length === 2 ? perDim : [taps(1, 1, () => [0, 1]), perDim[0]];
  const W = x.shape[x.dim - 1], H = perDim.length === 2 ? x.shape[x.dim - 2] : 1;
  const planes = x.numel / (H * W);
  const k = engine().k, xc = contiguous(x), out = empty(outShape, 'float32');
  const unit = (t: Taps) => t.k === 1 && t.w.every((v) => v === 1);
  try {
    withBlocks([th.idx, th.w, tw.idx, tw.w, new Float32Array(W)], (ri, rw, ci, cw, tmp) => {
      if (unit(th) && unit(tw)) k.f32_gather2d(xc.ptr, out.ptr, planes, H, W, th.size, tw.size, ri, ci, fill);
      else k.f32_taps2d(xc.ptr, out.ptr, planes, H, W, th.size, tw.size, th.k, ri, rw, tw.k, ci, cw, tmp, fill);
    });
  } finally {
    if (xc !== x) xc.dispose();
  }
  return out;
}

// ---- padding ----

type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Where output coordinate `j` reads from, for an input of `n` padded by `l` before and `r` after. */
const PAD_SOURCE: Record<PadMode, (j: number, n: number, l: number, r: number) => number> = {
  constant: (j, n, l) => (j - l >= 0 && j - l < n ? j - l : -1),
  reflect: (j, n, l) => {
    const i = Math.abs(j - l);
    return i < n ? i : 2 * (n - 1) - i;
  },
  replicate: (j, n, l) => Math.min(Math.max(j - l, 0), n - 1),
  // Negative pads crop first; the wrap-around then reads the cropped part (as ATen's _pad_circular).
  circular: (j, n, l, r) => {
    const crop = Math.max(-l, 0), m = n - crop - Math.max(-r, 0);
    return crop + ((((j - Math.max(l, 0)) % m) + m) % m);
  },
};

/** Pads (or crops, for negative amounts) the last pad.length/2 dims; pad lists the last dim first. */
function padWith(x: Tensor, pad: number[], mode: PadMode, fill = 0): Tensor {
  const m = pad.length / 2;
  const perDim: Taps[] = [];
  for (let i = 0; i < m; i++) {
    const n = x.shape[x.dim - m + i];
    const l = pad[2 * (m - 1 - i)], r = pad[2 * (m - 1 - i) + 1];
    perDim.push(taps(n + l + r, 1, (j) => [PAD_SOURCE[mode](j, n, l, r), 1]));
  }
  return separable(x, perDim, fill);
}

function constantPadNd(x: Tensor, pad: number[], value: number): Tensor {
  const op = 'aten::constant_pad_nd';
  if (pad.length % 2 !== 0) throw new ShapeError(op, `Length of pad must be even but instead it equals ${pad.length}`);
  if (pad.length / 2 > x.dim) throw new ShapeError(op, `Length of pad should be no more than twice the number of dimensions of the input. Pad length is ${pad.length} while the input has ${x.dim} dimensions.`);
  const m = pad.length / 2;
  for (let i = 0; i < m; i++) {
    const d = x.dim - 1 - i, l = pad[2 * i], r = pad[2 * i + 1];
    if (x.shape[d] + l + r < 0)
      throw new ShapeError(op, `The input size ${x.shape[d]}, plus negative padding ${l} and ${r} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`);
  }
  return padWith(x, pad, 'constant', value);
}

const ARG_NO = ['#4', '#6', '#8'];
const DIM_NAMES = ['W', 'H', 'D'];

/** reflection_pad{k}d / replication_pad{k}d: k spatial dims, PyTorch's checks. */
function modePad(mode: 'reflect' | 'replicate', k: number) {
  const op = `aten::${mode === 'reflect' ? 'reflection' : 'replication'}_pad${k}d`;
  return (x: Tensor, pad: number[]): Tensor => {
    if (pad.length !== 2 * k) throw new ShapeError(op, `padding size is expected to be ${2 * k}, but got: ${pad.length}`);
    const nonEmpty = x.shape.slice(1).every((d) => d > 0);
    if ((x.dim !== k + 1 && x.dim !== k + 2) || !nonEmpty)
      throw new ShapeError(op, `Expected ${k + 1}D or ${k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${shapeText(x.shape)}`);
    const outs: number[] = [];
    for (let i = 0; i < k; i++) {
      const d = x.dim - 1 - i, n = x.shape[d], l = pad[2 * i], r = pad[2 * i + 1];
      if (mode === 'reflect' && !(l < n && r < n))
        throw new ShapeError(op, `Argument ${ARG_NO[i]}: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${d} of input ${shapeText(x.shape)}`);
      outs.push(n + l + r);
    }
    if (outs.some((o) => o < 1)) {
      const names = DIM_NAMES.slice(0, k).reverse(), ins = x.shape.slice(x.dim - k), o = outs.reverse();
      throw new ShapeError(op, `input (${names.map((nm, i) => `${nm}: ${ins[i]}`).join(', ')}) is too small. Calculated output ${names.map((nm, i) => `${nm}: ${o[i]}`).join(' ')}`);
    }
    return padWith(x, pad, mode);
  };
}

function padCircular(x: Tensor, pad: number[]): Tensor {
  const op = 'aten::_pad_circular';
  const m = pad.length / 2, lead = x.dim - m;
  if (pad.length % 2 !== 0 || (lead !== 1 && lead !== 2))
    throw new ShapeError(op, `Invalid padding size, expected 1 or 2 non-padded dimensions, which would be equivalent to padding of length ${(x.dim - 1) * 2} or ${(x.dim - 2) * 2} respectively but got ${pad.length}`);
  for (let i = 0; i < m; i++) {
    const n = x.shape[x.dim - 1 - i], l = pad[2 * i], r = pad[2 * i + 1];
    if (l > n || r > n) throw new ShapeError(op, 'Padding value causes wrapping around more than once.');
    if (n + l + r < 0) throw new ShapeError(op, 'Negative padding value is resulting in an empty dimension');
  }
  return padWith(x, pad, 'circular');
}

const MODE_PADS = {
  reflect: [1, 2, 3].map((k) => modePad('reflect', k)),
  replicate: [1, 2, 3].map((k) => modePad('replicate', k)),
};

/** aten::pad: F.pad's dispatch onto the per-mode rows. */
function pad(x: Tensor, p: number[], mode: string, value: number | null): Tensor {
  const op = 'aten::pad';
  if (p.length % 2 !== 0) throw new ShapeError(op, 'Padding length must be divisible by 2');
  if (p.length > x.dim * 2) throw new ShapeError(op, `Padding length should be less than or equal to two times the input dimension but got padding length ${p.length} and input of dimension ${x.dim}`);
  if (mode === 'constant') return constantPadNd(x, p, value ?? 0);
  if (mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') throw new OpError(op, `Unrecognised padding mode ${mode}`);
  if (value !== null && value !== 0) throw new OpError(op, `Padding mode "${mode}" doesn't take in value argument`);
  const k = p.length / 2;
  if (k >= 1 && k <= 3 && (x.dim === k + 1 || x.dim === k + 2)) return mode === 'circular' ? padCircular(x, p) : MODE_PADS[mode][k - 1](x, p);
  throw new OpError(op, 'Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
}

// ---- interpolation (ATen UpSample.h) ----

type Interp = 'nearest' | 'nearest-exact' | 'linear' | 'cubic';

/** compute_scales_value: 1/scale when the caller gave one, else in/out (float32). */
const scaleValue = (scale: number | null, inSize: number, outSize: number) => (scale !== null && scale > 0 ? f32(1 / scale) : f32(inSize / outSize));

function areaScale(inSize: number, outSize: number, alignCorners: boolean, scale: number | null): number {
  if (alignCorners) return outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : 0;
  return scaleValue(scale, inSize, outSize);
}

function sourceIndex(scale: number, j: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return f32(scale * j);
  const s = f32(scale * (j + 0.5) - 0.5);
  return !cubic && s < 0 ? 0 : s;
}

/** Cubic convolution weights for fraction t (A = -0.75, as PyTorch). */
function cubicWeights(t: number): number[] {
  const A = -0.75;
  const c1 = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
  const c2 = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  return [c2(t + 1), c1(t), c1(1 - t), c2(2 - t)];
}

function interpTaps(kind: Interp, n: number, out: number, alignCorners: boolean, scale: number | null): Taps {
  switch (kind) {
    case 'nearest': {
      const s = scaleValue(scale, n, out);
      const src = (j: number) => (out === n ? j : out === 2 * n ? j >> 1 : Math.min(Math.floor(f32(j * s)), n - 1));
      return taps(out, 1, (j) => [src(j), 1]);
    }
    case 'nearest-exact': {
      const s = scaleValue(scale, n, out);
      return taps(out, 1, (j) => [Math.min(Math.floor(f32((j + 0.5) * s)), n - 1), 1]);
    }
    case 'linear': {
      if (out === n) return taps(out, 1, (j) => [j, 1]);
      const s = areaScale(n, out, alignCorners, scale);
      return taps(out, 2, (j, t) => {
        const real = sourceIndex(s, j, alignCorners, false);
        const i0 = Math.min(Math.floor(real), n - 1);
        const lambda = Math.min(Math.max(f32(real - i0), 0), 1);
        return t === 0 ? [i0, 1 - lambda] : [i0 < n - 1 ? i0 + 1 : i0, lambda];
      });
    }
    case 'cubic': {
      const s = areaScale(n, out, alignCorners, scale);
      return taps(out, 4, (j, t) => {
        const real = sourceIndex(s, j, alignCorners, true);
        const i0 = Math.min(Math.floor(real), n - 1);
        const lambda = Math.min(Math.max(f32(real - i0), 0), 1);
        return [Math.min(Math.max(i0 - 1 + t, 0), n - 1), cubicWeights(lambda)[t]];
      });
    }
  }
}

/** Output sizes from output_size or scale_factors (the `.vec` overloads): floor(in * scale). */
function outputSizes(op: string, x: Tensor, k: number, size: number[] | null, scales: number[] | null): number[] {
  if (size && scales) throw new OpError(op, 'Must specify exactly one of output_size and scale_factors');
  if (size) return size;
  if (!scales) throw new OpError(op, 'Must specify exactly one of output_size and scale_factors');
  if (scales.length !== k) throw new ShapeError(op, `expected ${k} scale factors, but got ${scales.length}`);
  return scales.map((s, i) => Math.floor(x.shape[x.dim - k + i] * s));
}

function upsample(op: string, kind: Interp, x: Tensor, size: number[], alignCorners: boolean, scales: (number | null)[]): Tensor {
  const k = size.length;
  if (x.dim !== k + 2) throw new ShapeError(op, `It is expected input_size equals to ${k + 2}, but got size ${x.dim}`);
  if (kind !== 'nearest' && kind !== 'nearest-exact' && !isFloating(x.dtype)) throw new DTypeError(op, `"${op.slice(6)}" not implemented for '${x.dtype}'`);
  const ins = x.shape.slice(2);
  if (ins.some((d) => d <= 0) || size.some((d) => d <= 0)) {
    const names = DIM_NAMES.slice(0, k).reverse();
    throw new ShapeError(op, `Input and output sizes should be greater than 0, but got input (${names.map((n, i) => `${n}: ${ins[i]}`).join(', ')}) output (${names.map((n, i) => `${n}: ${size[i]}`).join(', ')})`);
  }
  return separable(x, size.map((o, i) => interpTaps(kind, ins[i], o, alignCorners, scales[i])));
}

/** The plain (per-dim scales) and `.vec` (output_size or scale_factors) rows of one upsampling op. */
function upsampleRows(kind: Interp, k: number, aligned: boolean, plainSchema: string, vecSchema: string): OpDef[] {
  const op = plainSchema.slice(0, plainSchema.indexOf('('));
  const plain = (x: Tensor, size: number[], ...rest: any[]) => (aligned ? upsample(op, kind, x, size, rest[0], rest.slice(1)) : upsample(op, kind, x, size, false, rest));
  const vec = (x: Tensor, size: number[] | null, ...rest: any[]) => {
    const [alignCorners, scales] = aligned ? [rest[0] as boolean, rest[1] as number[] | null] : [false, rest[0] as number[] | null];
    return upsample(op, kind, x, outputSizes(op, x, k, size, scales), alignCorners, scales ?? new Array(k).fill(null));
  };
  return [
    { schema: plainSchema, tags: ['opaque'], grad: gradUpsample(op, k, aligned, false), impl: plain },
    { schema: vecSchema, tags: ['opaque'], grad: gradUpsample(op, k, aligned, true), impl: vec },
  ];
}

// ---- adaptive average pooling ----

/** Adaptive windows: [floor(j*n/out), ceil((j+1)*n/out)), averaged; k taps cover the widest window. */
function adaptiveTaps(n: number, out: number): Taps {
  const start = (j: number) => Math.floor((j * n) / out), end = (j: number) => Math.ceil(((j + 1) * n) / out);
  let k = 1;
  for (let j = 0; j < out; j++) k = Math.max(k, end(j) - start(j));
  return taps(out, k, (j, t) => (start(j) + t < end(j) ? [start(j) + t, 1 / (end(j) - start(j))] : [start(j), 0]));
}

function adaptiveAvgPool(k: number) {
  const op = `aten::adaptive_avg_pool${k}d`;
  return (x: Tensor, size: number[]): Tensor => {
    if (size.length !== k) throw new ShapeError(op, `adaptive_avg_pool${k}d: output_size must be ${k}`);
    if ((x.dim !== k + 1 && x.dim !== k + 2) || x.shape.slice(x.dim - k).some((d) => d <= 0))
      throw new ShapeError(op, `adaptive_avg_pool${k}d(): Expected ${k + 1}D or ${k + 2}D tensor, but got ${shapeText(x.shape)}`);
    if (!isFloating(x.dtype)) throw new DTypeError(op, `"adaptive_avg_pool${k}d" not implemented for '${x.dtype}'`);
    return separable(x, size.map((o, i) => adaptiveTaps(x.shape[x.dim - k + i], o)));
  };
}

// ---- pixel shuffle ----

/** pixel_shuffle (up) moves r*r channels into an r x r block; pixel_unshuffle does the reverse. */
function shuffle(up: boolean) {
  const name = up ? 'pixel_shuffle' : 'pixel_unshuffle', op = `aten::${name}`;
  return (x: Tensor, r: number): Tensor => {
    if (x.dim < 3) throw new ShapeError(op, `${name} expects input to have at least 3 dimensions, but got input with ${x.dim} dimension(s)`);
    if (r <= 0) throw new OpError(op, `${name} expects a positive ${up ? 'upscale' : 'downscale'}_factor, but got ${r}`);
    const [C, H, W] = x.shape.slice(-3);
    if (up && C % (r * r) !== 0) throw new ShapeError(op, `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${C} is not divisible by ${r * r}`);
    if (!up && (H % r !== 0 || W % r !== 0))
      throw new ShapeError(op, `pixel_unshuffle expects ${H % r ? 'height' : 'width'} to be divisible by downscale_factor, but input.size(${H % r ? -2 : -1})=${H % r ? H : W} is not divisible by ${r}`);
    const lead = x.shape.slice(0, -3);
    const outShape = up ? [...lead, C / (r * r), H * r, W * r] : [...lead, C * r * r, H / r, W / r];
    // Work in the shuffled (large spatial) layout: [B, c, h, i, w, j] <-> [B, c, i, j, h, w].
    const [c, h, w] = up ? [C / (r * r), H, W] : [C, H / r, W / r];
    const B = numelOf(lead);
    const out = withValues(x, (v) => {
      const res = new Float64Array(v.length);
      let p = 0;
      for (let b = 0; b < B; b++)
        for (let ci = 0; ci < c; ci++)
          for (let hi = 0; hi < h; hi++)
            for (let i = 0; i < r; i++)
              for (let wi = 0; wi < w; wi++)
                for (let j = 0; j < r; j++, p++) {
                  const q = ((((b * c + ci) * r + i) * r + j) * h + hi) * w + wi;
                  if (up) res[p] = v[q];
                  else res[q] = v[p];
                }
      return res;
    });
    return fromValues(outShape, x.dtype, out);
  };
}

export const RESAMPLE_OPS: OpDef[] = [
  { schema: 'aten::constant_pad_nd(Tensor self, SymInt[] pad, Scalar value=0) -> Tensor', tags: ['movement'], grad: gradConstantPad, impl: constantPadNd },
  { schema: 'aten::reflection_pad1d(Tensor self, SymInt[2] padding) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::reflection_pad1d'), impl: MODE_PADS.reflect[0] },
  { schema: 'aten::reflection_pad2d(Tensor self, SymInt[4] padding) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::reflection_pad2d'), impl: MODE_PADS.reflect[1] },
  { schema: 'aten::reflection_pad3d(Tensor self, SymInt[6] padding) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::reflection_pad3d'), impl: MODE_PADS.reflect[2] },
  { schema: 'aten::replication_pad1d(Tensor self, SymInt[2] padding) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::replication_pad1d'), impl: MODE_PADS.replicate[0] },
  { schema: 'aten::replication_pad2d(Tensor self, SymInt[4] padding) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::replication_pad2d'), impl: MODE_PADS.replicate[1] },
  { schema: 'aten::replication_pad3d(Tensor self, SymInt[6] padding) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::replication_pad3d'), impl: MODE_PADS.replicate[2] },
  { schema: 'aten::_pad_circular(Tensor self, SymInt[] pad) -> Tensor', tags: ['movement'], grad: gradPadBySource('aten::_pad_circular'), impl: padCircular },
  { schema: 'aten::pad(Tensor self, SymInt[] pad, str mode="constant", float? value=None) -> Tensor', tags: ['movement'], grad: gradPad, impl: pad },
  ...upsampleRows('nearest', 1, false,
    'aten::upsample_nearest1d(Tensor self, SymInt[1] output_size, float? scales=None) -> Tensor',
    'aten::upsample_nearest1d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('nearest', 2, false,
    'aten::upsample_nearest2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('nearest', 3, false,
    'aten::upsample_nearest3d(Tensor self, SymInt[3] output_size, float? scales_d=None, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::upsample_nearest3d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('nearest-exact', 1, false,
    'aten::_upsample_nearest_exact1d(Tensor self, SymInt[1] output_size, float? scales=None) -> Tensor',
    'aten::_upsample_nearest_exact1d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('nearest-exact', 2, false,
    'aten::_upsample_nearest_exact2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::_upsample_nearest_exact2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('nearest-exact', 3, false,
    'aten::_upsample_nearest_exact3d(Tensor self, SymInt[3] output_size, float? scales_d=None, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::_upsample_nearest_exact3d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('linear', 1, true,
    'aten::upsample_linear1d(Tensor self, SymInt[1] output_size, bool align_corners, float? scales=None) -> Tensor',
    'aten::upsample_linear1d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('linear', 2, true,
    'aten::upsample_bilinear2d(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('linear', 3, true,
    'aten::upsample_trilinear3d(Tensor self, SymInt[3] output_size, bool align_corners, float? scales_d=None, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::upsample_trilinear3d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor'),
  ...upsampleRows('cubic', 2, true,
    'aten::upsample_bicubic2d(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::upsample_bicubic2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor'),
  { schema: 'aten::adaptive_avg_pool1d(Tensor self, int[1] output_size) -> Tensor', tags: ['opaque'], grad: gradAdaptiveAvgPool('aten::adaptive_avg_pool1d', 1), impl: adaptiveAvgPool(1) },
  { schema: 'aten::adaptive_avg_pool3d(Tensor self, SymInt[3] output_size) -> Tensor', tags: ['opaque'], grad: gradAdaptiveAvgPool('aten::adaptive_avg_pool3d', 3), impl: adaptiveAvgPool(3) },
  { schema: 'aten::pixel_shuffle(Tensor self, int upscale_factor) -> Tensor', tags: ['movement'], grad: gradPixelShuffle, impl: shuffle(true) },
  { schema: 'aten::pixel_unshuffle(Tensor self, int downscale_factor) -> Tensor', tags: ['movement'], grad: gradPixelUnshuffle, impl: shuffle(false) },
  ...aaRows('linear',
    'aten::_upsample_bilinear2d_aa(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::_upsample_bilinear2d_aa.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor'),
  ...aaRows('cubic',
    'aten::_upsample_bicubic2d_aa(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> Tensor',
    'aten::_upsample_bicubic2d_aa.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor'),
];

// ---- antialiased interpolation (ATen UpSampleKernel.cpp, _compute_weights_aa) ----

/** PIL's filters: the triangle (bilinear) and Keys' cubic with a = -0.5 (bicubic), on |x|. */
function aaFilter(kind: 'linear' | 'cubic', x: number): number {
  x = Math.abs(x);
  if (kind === 'linear') return x < 1 ? 1 - x : 0;
  return x < 1 ? (1.5 * x - 2.5) * x * x + 1 : x < 2 ? ((-0.5 * x + 2.5) * x - 4) * x + 2 : 0;
}

/** Taps that average every source pixel under the filter stretched by the downscale factor (normalised). */
function aaTaps(kind: 'linear' | 'cubic', n: number, out: number, alignCorners: boolean, scale: number | null): Taps {
  const s = areaScale(n, out, alignCorners, scale);
  const half = kind === 'linear' ? 1 : 2;
  const support = s >= 1 ? f32(half * s) : half, inv = s >= 1 ? 1 / s : 1;
  const k = Math.ceil(support) * 2 + 1;
  const idx = new Int32Array(out * k), w = new Float64Array(out * k);
  for (let j = 0; j < out; j++) {
    const center = f32(s * (j + 0.5));
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.max(Math.min(Math.trunc(center + support + 0.5), n) - xmin, 0), k);
    let total = 0;
    for (let t = 0; t < k; t++) {
      idx[j * k + t] = Math.min(xmin + t, n - 1);
      if (t < xsize) total += w[j * k + t] = aaFilter(kind, (t + xmin - center + 0.5) * inv);
    }
    if (total !== 0) for (let t = 0; t < xsize; t++) w[j * k + t] /= total;
  }
  return { size: out, k, idx, w };
}

/** The plain and `.vec` rows of one antialiased 2-d upsampling op (float inputs, [N, C, H, W]). */
function aaRows(kind: 'linear' | 'cubic', plainSchema: string, vecSchema: string): OpDef[] {
  const op = plainSchema.slice(0, plainSchema.indexOf('('));
  const run = (x: Tensor, size: number[], alignCorners: boolean, scales: (number | null)[]) => {
    if (x.dim !== 4) throw new ShapeError(op, `It is expected input_size equals to 4, but got size ${x.dim}`);
    if (!isFloating(x.dtype)) throw new DTypeError(op, `"${op.slice(6)}" not implemented for '${x.dtype}'`);
    if (x.shape.slice(2).some((d) => d <= 0) || size.some((d) => d <= 0)) {
      throw new ShapeError(op, `Input and output sizes should be greater than 0, but got input (H: ${x.shape[2]}, W: ${x.shape[3]}) output (H: ${size[0]}, W: ${size[1]})`);
    }
    return separable(x, size.map((o, i) => aaTaps(kind, x.shape[2 + i], o, alignCorners, scales[i])));
  };
  return [
    { schema: plainSchema, tags: ['opaque'], impl: (x: Tensor, size: number[], ac: boolean, sh: number | null, sw: number | null) => run(x, size, ac, [sh, sw]) },
    { schema: vecSchema, tags: ['opaque'], impl: (x: Tensor, size: number[] | null, ac: boolean, scales: number[] | null) => run(x, outputSizes(op, x, 2, size, scales), ac, scales ?? [null, null]) },
  ];
}
