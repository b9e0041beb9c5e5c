// torch.nn.functional padding, interpolation and pixel shuffle: PyTorch's Python signatures, and
// F.interpolate's choice of row from mode and input rank (torch/nn/functional.py).
import { callOp } from '../../../ops/dispatch.js';
import { ArgumentError, OpError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { pyfn } from '../../args.js';

const MODES = ['nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', 'nearest-exact'];

/** mode -> [row name per spatial rank 1..3 (null: that rank is not allowed)], and whether it interpolates. */
const ROWS: Record<string, (string | null)[]> = {
  nearest: ['aten::upsample_nearest1d', 'aten::upsample_nearest2d', 'aten::upsample_nearest3d'],
  'nearest-exact': ['aten::_upsample_nearest_exact1d', 'aten::_upsample_nearest_exact2d', 'aten::_upsample_nearest_exact3d'],
  area: ['aten::adaptive_avg_pool1d', 'aten::adaptive_avg_pool2d', 'aten::adaptive_avg_pool3d'],
  linear: ['aten::upsample_linear1d', null, null],
  bilinear: [null, 'aten::upsample_bilinear2d', null],
  bicubic: [null, 'aten::upsample_bicubic2d', null],
  trilinear: [null, null, 'aten::upsample_trilinear3d'],
};

const F = 'torch.nn.functional.interpolate';

const perDim = (v: number | number[], k: number, what: string, x: Tensor): number[] => {
  if (!Array.isArray(v)) return new Array(k).fill(v);
  if (v.length !== k)
    throw new ArgumentError(F, `Input and ${what} must have the same number of spatial dimensions, but got input with spatial dimensions of [${x.shape.slice(2).join(', ')}] and ${what} of [${v.join(', ')}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and ${what} in (o1, o2, ...,oK) format.`);
  return v;
};

const interpolate = pyfn(
  'interpolate',
  ['input', ['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null], ['recompute_scale_factor', null], ['antialias', false]],
  (a) => {
    const x: Tensor = a.input, mode: string = a.mode;
    if (!MODES.includes(mode)) throw new OpError(F, `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.dim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
    const interpolating = ['linear', 'bilinear', 'bicubic', 'trilinear'].includes(mode);
    if (!interpolating && a.align_corners !== null) throw new ArgumentError(F, 'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    const alignCorners = a.align_corners ?? false;
    const k = x.dim - 2;
    if (k < 1 || k > 3) throw new OpError(F, `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.dim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
    if (a.size !== null && a.scale_factor !== null) throw new ArgumentError(F, 'only one of size or scale_factor should be defined');
    if (a.size === null && a.scale_factor === null) throw new ArgumentError(F, 'either size or scale_factor should be defined');
    if (a.recompute_scale_factor && a.size !== null) throw new ArgumentError(F, 'recompute_scale_factor is not meaningful with an explicit size.');
    let size: number[] | null = a.size === null ? null : perDim(a.size, k, 'output size', x);
    let scales: number[] | null = a.scale_factor === null ? null : perDim(a.scale_factor, k, 'scale_factor', x);
    // "area" always needs an explicit size; recomputing gives it.
    if (scales && (a.recompute_scale_factor || mode === 'area')) {
      size = scales.map((s, i) => Math.floor(x.shape[2 + i] * s));
      scales = null;
    }
    if (a.antialias) throw new OpError(F, 'antialias=True is not supported');
    const row = ROWS[mode][k - 1];
    if (!row) {
      const need = ROWS[mode].findIndex((r) => r !== null) + 3;
      throw new OpError(F, `Got ${x.dim}D input, but ${mode} mode needs ${need}D input`);
    }
    if (mode === 'area') return callOp(row, [x, size]);
    return callOp(row, interpolating ? [x, size, alignCorners, scales] : [x, size, scales]);
  },
);

const upsample = pyfn('upsample', ['input', ['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null]], (a) => interpolate(a.input, a.size, a.scale_factor, a.mode, a.align_corners));
const upsample_nearest = pyfn('upsample_nearest', ['input', ['size', null], ['scale_factor', null]], (a) => interpolate(a.input, a.size, a.scale_factor, 'nearest'));
const upsample_bilinear = pyfn('upsample_bilinear', ['input', ['size', null], ['scale_factor', null]], (a) => interpolate(a.input, a.size, a.scale_factor, 'bilinear', true));

const pad = pyfn('pad', ['input', 'pad', ['mode', 'constant'], ['value', null]], (a) => callOp('aten::pad', [a.input, a.pad, a.mode, a.value]));

const pixel_shuffle = pyfn('pixel_shuffle', ['input', 'upscale_factor'], (a) => callOp('aten::pixel_shuffle', [a.input, a.upscale_factor]));
const pixel_unshuffle = pyfn('pixel_unshuffle', ['input', 'downscale_factor'], (a) => callOp('aten::pixel_unshuffle', [a.input, a.downscale_factor]));

const adaptive = (k: number) =>
  pyfn(`adaptive_avg_pool${k}d`, ['input', 'output_size'], (a) => callOp(`aten::adaptive_avg_pool${k}d`, [a.input, Array.isArray(a.output_size) ? a.output_size : new Array(k).fill(a.output_size)]));

/** torch.nn.functional entries of this group. */
export const FUNCTIONAL: Record<string, (...args: any[]) => any> = {
  pad,
  interpolate,
  upsample,
  upsample_nearest,
  upsample_bilinear,
  pixel_shuffle,
  pixel_unshuffle,
  adaptive_avg_pool1d: adaptive(1),
  adaptive_avg_pool3d: adaptive(3),
};
