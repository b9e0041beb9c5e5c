// torchvision's detection ops (torchvision/csrc/ops/cpu): nms and roi_align, as the custom ops
// `torch.ops.torchvision.*` that scripted detection models (Mask R-CNN) call. float32 runs on the
// kernels f32_nms and f32_roialign, whose float32 arithmetic follows the C++ kernels step by step
// (so boxes on a threshold are kept or dropped as in PyTorch); float64 on the TypeScript twins.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { DTYPES, isFloating } from '../sdk/dtype.js';
import { DTypeError, ShapeError } from '../sdk/errors.js';
import { contiguous, empty, fromValues, values } from './exec.js';
import type { OpDef } from './table.js';

function checkFloating(op: string, kernel: string, t: Tensor): void {
  if (!isFloating(t.dtype)) throw new DTypeError(op, `"${kernel}" not implemented for '${DTYPES[t.dtype].short}'`);
}

// ---- nms ----

/** Indices of the boxes kept, by descending score; a box goes when its IoU with a kept one > threshold. */
function nms(dets: Tensor, scores: Tensor, iouThreshold: number): Tensor {
  const op = 'torchvision::nms';
  if (dets.dim !== 2) throw new ShapeError(op, `boxes should be a 2d tensor, got ${dets.dim}D`);
  if (dets.shape[1] !== 4) throw new ShapeError(op, `boxes should have 4 elements in dimension 1, got ${dets.shape[1]}`);
  if (scores.dim !== 1) throw new ShapeError(op, `scores should be a 1d tensor, got ${scores.dim}D`);
  if (dets.shape[0] !== scores.shape[0]) throw new ShapeError(op, `boxes and scores should have same number of elements in dimension 0, got ${dets.shape[0]} and ${scores.shape[0]}`);
  if (dets.dtype !== scores.dtype) throw new DTypeError(op, 'dets should have the same type as scores');
  checkFloating(op, 'nms_kernel', dets);
  const n = dets.shape[0];
  if (n === 0) return empty([0], 'int64');
  const s = values(scores);
  // Stable descending order, NaN first as PyTorch's sort puts it.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (s[i] !== s[i] ? (s[j] !== s[j] ? 0 : -1) : s[j] !== s[j] ? 1 : s[j] - s[i]) || i - j);
  const keep = dets.dtype === 'float32' ? nmsF32(dets, order, iouThreshold) : nmsReference(values(dets), order, iouThreshold);
  return fromValues([keep.length], 'int64', keep);
}

function nmsF32(dets: Tensor, order: number[], threshold: number): number[] {
  const n = order.length, e = engine(), boxes = contiguous(dets);
  // One block: order (i32), areas (f32), keep (i32), suppressed (u8).
  const block = e.alloc(13 * n), areas = block + 4 * n, keep = block + 8 * n, suppressed = block + 12 * n;
  try {
    e.i32.set(order, block >> 2);
    const kept = e.k.f32_nms(boxes.ptr, block, n, threshold, areas, suppressed, keep);
    return Array.from(e.i32.subarray(keep >> 2, (keep >> 2) + kept));
  } finally {
    e.free(block);
    if (boxes !== dets) boxes.dispose();
  }
}

/** The float64 twin of f32_nms. */
function nmsReference(b: number[], order: number[], threshold: number): number[] {
  const n = order.length;
  const area = (i: number) => (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
  const suppressed = new Uint8Array(n), keep: number[] = [];
  for (let a = 0; a < n; a++) {
    const i = order[a];
    if (suppressed[i]) continue;
    keep.push(i);
    for (let c = a + 1; c < n; c++) {
      const j = order[c];
      if (suppressed[j]) continue;
      const w = Math.max(0, Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]));
      const h = Math.max(0, Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]));
      const inter = w * h;
      if (inter / (area(i) + area(j) - inter) > threshold) suppressed[j] = 1;
    }
  }
  return keep;
}

// ---- roi_align ----

/** float32: f32_roialign precomputes each roi's samples in a workspace and pools every channel. */
function roiAlignF32(x: Tensor, rois: Tensor, out: Tensor, scale: number, pooledH: number, pooledW: number, samplingRatio: number, aligned: boolean): void {
  const e = engine(), [, channels, height, width] = x.shape, k = rois.shape[0];
  const r = contiguous(rois);
  const workspace = e.alloc(e.k.f32_roialign_workspace(r.ptr, k, scale, pooledH, pooledW, samplingRatio, aligned));
  try {
    e.k.f32_roialign(x.ptr, channels, height, width, r.ptr, k, scale, pooledH, pooledW, samplingRatio, aligned, workspace, out.ptr);
  } finally {
    e.free(workspace);
    if (r !== rois) r.dispose();
  }
}

/** The float64 twin of f32_roialign, sample by sample. */
function roiAlignReference(x: Tensor, rois: Tensor, out: Tensor, scale: number, pooledH: number, pooledW: number, samplingRatio: number, aligned: boolean): void {
  const [, channels, height, width] = x.shape, plane = height * width, bins = pooledH * pooledW, r = values(rois);
  const e = engine(), src = e.array(x.dtype, x.ptr, x.numel), dst = e.array(out.dtype, out.ptr, out.numel);
  /** Bilinear read of channel plane `base` at (y, x), as torchvision's pre_calc (0 when over a pixel outside). */
  const read = (base: number, y: number, xx: number): number => {
    if (!(y >= -1 && y <= height && xx >= -1 && xx <= width)) return 0;
    y = Math.max(y, 0);
    xx = Math.max(xx, 0);
    const y0 = Math.min(Math.trunc(y), height - 1), x0 = Math.min(Math.trunc(xx), width - 1);
    const y1 = Math.min(y0 + 1, height - 1), x1 = Math.min(x0 + 1, width - 1);
    const ly = y0 === height - 1 ? 0 : y - y0, lx = x0 === width - 1 ? 0 : xx - x0;
    const at = (yy: number, xi: number) => Number(src[base + yy * width + xi]);
    return (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x1) + ly * (1 - lx) * at(y1, x0) + ly * lx * at(y1, x1);
  };
  const offset = aligned ? 0.5 : 0;
  for (let n = 0; n < rois.shape[0]; n++) {
    const [b, x1, y1, x2, y2] = r.slice(5 * n, 5 * n + 5).map((v, i) => (i ? v * scale - offset : v));
    const roiW = aligned ? x2 - x1 : Math.max(x2 - x1, 1), roiH = aligned ? y2 - y1 : Math.max(y2 - y1, 1);
    const binH = roiH / pooledH, binW = roiW / pooledW;
    const gridH = samplingRatio > 0 ? samplingRatio : Math.ceil(roiH / pooledH), gridW = samplingRatio > 0 ? samplingRatio : Math.ceil(roiW / pooledW);
    const count = Math.max(gridH * gridW, 1);
    for (let c = 0; c < channels; c++) {
      const base = (b * channels + c) * plane;
      for (let ph = 0; ph < pooledH; ph++) for (let pw = 0; pw < pooledW; pw++) {
        let acc = 0;
        for (let iy = 0; iy < gridH; iy++) for (let ix = 0; ix < gridW; ix++) {
          acc += read(base, y1 + ph * binH + ((iy + 0.5) * binH) / gridH, x1 + pw * binW + ((ix + 0.5) * binW) / gridW);
        }
        dst[((n * channels + c) * pooledH + ph) * pooledW + pw] = acc / count;
      }
    }
  }
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
  checkFloating(op, 'roi_align_forward_kernel', input);
  const [images, channels] = input.shape, k = rois.shape[0];
  // The kernels trust the batch indices; a bad one must not read outside the input.
  const r = values(rois);
  for (let n = 0; n < k; n++) {
    const b = r[5 * n];
    if (!(Math.trunc(b) >= 0 && Math.trunc(b) < images)) throw new ShapeError(op, `roi ${n} has batch index ${b}, but input has ${images} images`);
  }
  const out = empty([k, channels, pooledH, pooledW], input.dtype);
  if (out.numel === 0) return out;
  const x = contiguous(input);
  try {
    (x.dtype === 'float32' ? roiAlignF32 : roiAlignReference)(x, rois, out, spatialScale, pooledH, pooledW, samplingRatio, aligned);
  } finally {
    if (x !== input) x.dispose();
  }
  return out;
}

export const DETECTION_OPS: OpDef[] = [
  { schema: 'torchvision::nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor', tags: ['opaque', 'nograd'], impl: nms },
  { schema: 'torchvision::roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor', tags: ['opaque'], impl: roiAlign },
];
