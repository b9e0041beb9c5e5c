// torchvision's detection ops (torchvision/csrc/ops/cpu): nms and roi_align, as the custom ops
// `torch.ops.torchvision.*` that scripted detection models (Mask R-CNN) call. Arithmetic follows
// the CPU kernels step by step in the input's precision (Math.fround for float32), so boxes that
// sit on a threshold are kept or dropped as PyTorch does.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { DTYPES, isFloating } from '../sdk/dtype.js';
import { DTypeError, ShapeError } from '../sdk/errors.js';
import { contiguous, empty, fromValues, values } from './exec.js';
import type { OpDef, Tag } from './table.js';

type Round = (x: number) => number;
const roundOf = (t: Tensor): Round => (t.dtype === 'float32' ? Math.fround : (x) => x);

/** Indices of the boxes kept, by descending score; a box goes when its IoU with a kept one > threshold. */
function nms(dets: Tensor, scores: Tensor, iouThreshold: number): Tensor {
  const op = 'torchvision::nms';
  if (dets.dim !== 2) throw new ShapeError(op, `boxes should be a 2d tensor, got ${dets.dim}D`);
  if (dets.shape[1] !== 4) throw new ShapeError(op, `boxes should have 4 elements in dimension 1, got ${dets.shape[1]}`);
  if (scores.dim !== 1) throw new ShapeError(op, `scores should be a 1d tensor, got ${scores.dim}D`);
  if (dets.shape[0] !== scores.shape[0]) throw new ShapeError(op, `boxes and scores should have same number of elements in dimension 0, got ${dets.shape[0]} and ${scores.shape[0]}`);
  if (dets.dtype !== scores.dtype) throw new DTypeError(op, 'dets should have the same type as scores');
  const n = dets.shape[0];
  if (n === 0) return empty([0], 'int64');
  const f = roundOf(dets);
  const b = values(dets), s = values(scores);
  const x1 = (i: number) => b[4 * i], y1 = (i: number) => b[4 * i + 1], x2 = (i: number) => b[4 * i + 2], y2 = (i: number) => b[4 * i + 3];
  const areas = Float64Array.from({ length: n }, (_, i) => f(f(x2(i) - x1(i)) * f(y2(i) - y1(i))));
  // Stable descending order, NaN first as PyTorch's sort puts it.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (s[i] !== s[i] ? (s[j] !== s[j] ? 0 : -1) : s[j] !== s[j] ? 1 : s[j] - s[i]) || i - j);
  const suppressed = new Uint8Array(n);
  const keep: number[] = [];
  for (let a = 0; a < n; a++) {
    const i = order[a];
    if (suppressed[i]) continue;
    keep.push(i);
    for (let c = a + 1; c < n; c++) {
      const j = order[c];
      if (suppressed[j]) continue;
      const w = Math.max(0, f(Math.min(x2(i), x2(j)) - Math.max(x1(i), x1(j))));
      const h = Math.max(0, f(Math.min(y2(i), y2(j)) - Math.max(y1(i), y1(j))));
      const inter = f(w * h);
      if (f(inter / f(f(areas[i] + areas[j]) - inter)) > iouThreshold) suppressed[j] = 1;
    }
  }
  return fromValues([keep.length], 'int64', keep);
}

/** Where one sampling point reads: four pixel offsets and their bilinear weights (all 0 outside). */
interface Sample { p: [number, number, number, number]; w: [number, number, number, number] }

/** torchvision's pre_calc_for_bilinear_interpolate for one point (y, x) of an H x W plane. */
function samplePoint(f: Round, height: number, width: number, y: number, x: number): Sample {
  if (!(y >= -1 && y <= height && x >= -1 && x <= width)) return { p: [0, 0, 0, 0], w: [0, 0, 0, 0] };
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let yLow = Math.trunc(y), xLow = Math.trunc(x), yHigh: number, xHigh: number;
  if (yLow >= height - 1) {
    yHigh = yLow = height - 1;
    y = yLow;
  } else yHigh = yLow + 1;
  if (xLow >= width - 1) {
    xHigh = xLow = width - 1;
    x = xLow;
  } else xHigh = xLow + 1;
  const ly = f(y - yLow), lx = f(x - xLow), hy = f(1 - ly), hx = f(1 - lx);
  return {
    p: [yLow * width + xLow, yLow * width + xHigh, yHigh * width + xLow, yHigh * width + xHigh],
    w: [f(hy * hx), f(hy * lx), f(ly * hx), f(ly * lx)],
  };
}

/**
 * RoIAlign: each output bin averages a grid of bilinear samples (`sampling_ratio` per side, or
 * ceil(roi size / bins) when <= 0); `aligned` shifts boxes by half a pixel. rois are
 * [K, 5] rows (batch index, x1, y1, x2, y2) in input coordinates before `spatial_scale`.
 */
function roiAlign(input: Tensor, rois: Tensor, spatialScale: number, pooledH: number, pooledW: number, samplingRatio: number, aligned: boolean): Tensor {
  const op = 'torchvision::roi_align';
  if (input.dim !== 4) throw new ShapeError(op, `input should be a 4d tensor [N, C, H, W], got ${input.dim}D`);
  if (rois.dim !== 2 || rois.shape[1] !== 5) throw new ShapeError(op, 'rois must have shape as Tensor[K, 5]');
  if (input.dtype !== rois.dtype) throw new DTypeError(op, 'input should have the same type as rois');
  if (!isFloating(input.dtype)) throw new DTypeError(op, `"roi_align_forward_kernel" not implemented for '${DTYPES[input.dtype].short}'`);
  const [, channels, height, width] = input.shape;
  const k = rois.shape[0];
  const out = empty([k, channels, pooledH, pooledW], input.dtype);
  if (out.numel === 0) return out;
  const f = roundOf(input);
  const r = values(rois);
  const x = contiguous(input);
  const scale = f(spatialScale), offset = aligned ? 0.5 : 0;
  const plane = height * width, bins = pooledH * pooledW;
  const e = engine();
  const src = e.array(x.dtype, x.ptr, x.numel) as Float32Array | Float64Array;
  const dst = e.array(out.dtype, out.ptr, out.numel) as Float32Array | Float64Array;
  for (let n = 0; n < k; n++) {
    const batch = Math.trunc(r[5 * n]);
    if (!(batch >= 0 && batch < input.shape[0])) throw new ShapeError(op, `roi ${n} has batch index ${r[5 * n]}, but input has ${input.shape[0]} images`);
    const startW = f(f(r[5 * n + 1] * scale) - offset), startH = f(f(r[5 * n + 2] * scale) - offset);
    let roiW = f(f(f(r[5 * n + 3] * scale) - offset) - startW), roiH = f(f(f(r[5 * n + 4] * scale) - offset) - startH);
    if (!aligned) {
      roiW = Math.max(roiW, 1);
      roiH = Math.max(roiH, 1);
    }
    const binH = f(roiH / pooledH), binW = f(roiW / pooledW);
    const gridH = samplingRatio > 0 ? samplingRatio : Math.ceil(f(roiH / pooledH));
    const gridW = samplingRatio > 0 ? samplingRatio : Math.ceil(f(roiW / pooledW));
    const count = Math.max(gridH * gridW, 1);
    const samples: Sample[] = [];
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        for (let iy = 0; iy < gridH; iy++) {
          const yy = f(f(startH + f(ph * binH)) + f(f((iy + 0.5) * binH) / gridH));
          for (let ix = 0; ix < gridW; ix++) {
            const xx = f(f(startW + f(pw * binW)) + f(f((ix + 0.5) * binW) / gridW));
            samples.push(samplePoint(f, height, width, yy, xx));
          }
        }
      }
    }
    const per = gridH * gridW;
    for (let c = 0; c < channels; c++) {
      const base = (batch * channels + c) * plane, o = (n * channels + c) * bins;
      for (let bin = 0; bin < bins; bin++) {
        let acc = 0;
        for (let q = bin * per; q < (bin + 1) * per; q++) {
          const { p, w } = samples[q];
          acc = f(acc + f(f(f(f(w[0] * src[base + p[0]]) + f(w[1] * src[base + p[1]])) + f(w[2] * src[base + p[2]])) + f(w[3] * src[base + p[3]])));
        }
        dst[o + bin] = acc / count;
      }
    }
  }
  if (x !== input) x.dispose();
  return out;
}

const NOGRAD: readonly Tag[] = ['opaque', 'nograd'];

export const DETECTION_OPS: OpDef[] = [
  { schema: 'torchvision::nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor', tags: NOGRAD, impl: nms },
  { schema: 'torchvision::roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor', tags: ['opaque'], impl: roiAlign },
];
