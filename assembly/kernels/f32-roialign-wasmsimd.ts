// RoIAlign forward (torchvision/csrc/ops/cpu/roi_align_kernel.cpp, roi_align_common.h) in float32:
// per roi, every sampling point's four pixel offsets and bilinear weights are computed once into
// the workspace (they are shared by all channels), then each channel sums them per bin, four
// channels to a vector, in the C++ order: acc += ((w1*v1 + w2*v2) + w3*v3) + w4*v4.

/** Bytes per precomputed sample: four i32 pixel offsets, then their four f32 weights. */
const SAMPLE: usize = 32;

// @ts-ignore: decorator
@inline function roiStart(r: usize, at: i32, scale: f32, offset: f32): f32 {
  return load<f32>(r + (<usize>at << 2)) * scale - offset;
}

/** Sampling grid side: `sampling_ratio`, or ceil(roi size / bins) when it is <= 0. */
// @ts-ignore: decorator
@inline function gridSide(samplingRatio: i32, size: f32, bins: i32): i32 {
  return samplingRatio > 0 ? samplingRatio : <i32>Mathf.ceil(size / <f32>bins);
}

/** The roi's size along one axis (end - start), at least 1 unless `aligned`. */
// @ts-ignore: decorator
@inline function roiSize(r: usize, startAt: i32, scale: f32, offset: f32, aligned: bool): f32 {
  const size = roiStart(r, startAt + 2, scale, offset) - roiStart(r, startAt, scale, offset);
  return aligned ? size : max<f32>(size, 1);
}

/** Workspace bytes f32_roialign needs for these `k` rois ([k, 5] f32 rows). */
export function f32_roialign_workspace_wasmsimd(rois: usize, k: i32, scale: f32, pooledH: i32, pooledW: i32, samplingRatio: i32, aligned: bool): i32 {
  const offset: f32 = aligned ? 0.5 : 0;
  let most = 1;
  for (let n = 0; n < k; n++) {
    const r = rois + <usize>n * 20;
    const gh = gridSide(samplingRatio, roiSize(r, 2, scale, offset, aligned), pooledH);
    const gw = gridSide(samplingRatio, roiSize(r, 1, scale, offset, aligned), pooledW);
    most = max(most, gh * gw);
  }
  return most * pooledH * pooledW * <i32>SAMPLE;
}

/** pre_calc_for_bilinear_interpolate for one point: writes its record at `s`. */
// @ts-ignore: decorator
@inline function samplePoint(s: usize, height: i32, width: i32, y: f32, x: f32): void {
  if (!(y >= -1.0 && y <= <f32>height && x >= -1.0 && x <= <f32>width)) {
    // Outside the image by more than a pixel: reads pixel 0 with weight 0.
    memory.fill(s, 0, SAMPLE);
    return;
  }
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let yLow = <i32>y, xLow = <i32>x, yHigh: i32, xHigh: i32;
  if (yLow >= height - 1) {
    yHigh = yLow = height - 1;
    y = <f32>yLow;
  } else yHigh = yLow + 1;
  if (xLow >= width - 1) {
    xHigh = xLow = width - 1;
    x = <f32>xLow;
  } else xHigh = xLow + 1;
  const ly = y - <f32>yLow, lx = x - <f32>xLow;
  const hy: f32 = 1 - ly, hx: f32 = 1 - lx;
  store<i32>(s, yLow * width + xLow);
  store<i32>(s, yLow * width + xHigh, 4);
  store<i32>(s, yHigh * width + xLow, 8);
  store<i32>(s, yHigh * width + xHigh, 12);
  v128.store(s, f32x4(hy * hx, hy * lx, ly * hx, ly * lx), 16);
}

/** Bins of one channel plane: per sample, the four products in one multiply, added in order. */
// @ts-ignore: decorator
@inline function poolChannel(base: usize, samples: usize, bins: i32, per: i32, count: f32, dst: usize): void {
  let s = samples;
  for (let b = 0; b < bins; b++) {
    let acc: f32 = 0;
    for (let q = 0; q < per; q++, s += SAMPLE) {
      const v = f32x4(load<f32>(base + (<usize>load<i32>(s) << 2)), load<f32>(base + (<usize>load<i32>(s, 4) << 2)),
        load<f32>(base + (<usize>load<i32>(s, 8) << 2)), load<f32>(base + (<usize>load<i32>(s, 12) << 2)));
      const p = f32x4.mul(v128.load(s, 16), v);
      acc += ((f32x4.extract_lane(p, 0) + f32x4.extract_lane(p, 1)) + f32x4.extract_lane(p, 2)) + f32x4.extract_lane(p, 3);
    }
    store<f32>(dst + (<usize>b << 2), acc / count);
  }
}

/** Pixel `at` (byte offset) of four planes `stride` bytes apart, one per lane. */
// @ts-ignore: decorator
@inline function gather4(base: usize, stride: usize, at: usize): v128 {
  return f32x4(load<f32>(base + at), load<f32>(base + stride + at), load<f32>(base + 2 * stride + at), load<f32>(base + 3 * stride + at));
}

/** poolChannel for four channels at once, a channel per lane: the same operations in the same order. */
// @ts-ignore: decorator
@inline function poolChannels4(base: usize, stride: usize, samples: usize, bins: i32, per: i32, count: f32, dst: usize, dstStride: usize): void {
  let s = samples;
  const div = f32x4.splat(count);
  for (let b = 0; b < bins; b++) {
    let acc = f32x4.splat(0);
    for (let q = 0; q < per; q++, s += SAMPLE) {
      let t = f32x4.mul(v128.load32_splat(s, 16), gather4(base, stride, <usize>load<i32>(s) << 2));
      t = f32x4.add(t, f32x4.mul(v128.load32_splat(s, 20), gather4(base, stride, <usize>load<i32>(s, 4) << 2)));
      t = f32x4.add(t, f32x4.mul(v128.load32_splat(s, 24), gather4(base, stride, <usize>load<i32>(s, 8) << 2)));
      t = f32x4.add(t, f32x4.mul(v128.load32_splat(s, 28), gather4(base, stride, <usize>load<i32>(s, 12) << 2)));
      acc = f32x4.add(acc, t);
    }
    acc = f32x4.div(acc, div);
    const o = dst + (<usize>b << 2);
    store<f32>(o, f32x4.extract_lane(acc, 0));
    store<f32>(o + dstStride, f32x4.extract_lane(acc, 1));
    store<f32>(o + 2 * dstStride, f32x4.extract_lane(acc, 2));
    store<f32>(o + 3 * dstStride, f32x4.extract_lane(acc, 3));
  }
}

/**
 * out [k, channels, pooledH, pooledW] from input [N, channels, height, width] and rois [k, 5]
 * (batch index, x1, y1, x2, y2; the caller checked the batch indices). `workspace` holds
 * f32_roialign_workspace bytes.
 */
export function f32_roialign_wasmsimd(input: usize, channels: i32, height: i32, width: i32, rois: usize, k: i32, scale: f32,
  pooledH: i32, pooledW: i32, samplingRatio: i32, aligned: bool, workspace: usize, out: usize): void {
  const offset: f32 = aligned ? 0.5 : 0;
  const plane = <usize>height * <usize>width, bins = pooledH * pooledW;
  for (let n = 0; n < k; n++) {
    const r = rois + <usize>n * 20;
    const startW = roiStart(r, 1, scale, offset), startH = roiStart(r, 2, scale, offset);
    const roiW = roiSize(r, 1, scale, offset, aligned), roiH = roiSize(r, 2, scale, offset, aligned);
    const binH = roiH / <f32>pooledH, binW = roiW / <f32>pooledW;
    const gridH = gridSide(samplingRatio, roiH, pooledH), gridW = gridSide(samplingRatio, roiW, pooledW);
    const per = gridH * gridW;
    const count = <f32>max(per, 1);
    let s = workspace;
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        for (let iy = 0; iy < gridH; iy++) {
          const yy = startH + <f32>ph * binH + (<f32>iy + 0.5) * binH / <f32>gridH;
          for (let ix = 0; ix < gridW; ix++, s += SAMPLE) {
            samplePoint(s, height, width, yy, startW + <f32>pw * binW + (<f32>ix + 0.5) * binW / <f32>gridW);
          }
        }
      }
    }
    const image = input + ((<usize>load<f32>(r) * <usize>channels * plane) << 2);
    const dst = out + ((<usize>n * <usize>channels * <usize>bins) << 2);
    let c = 0;
    for (; c + 4 <= channels; c += 4) poolChannels4(image + ((<usize>c * plane) << 2), plane << 2, workspace, bins, per, count, dst + ((<usize>(c * bins)) << 2), <usize>bins << 2);
    for (; c < channels; c++) poolChannel(image + ((<usize>c * plane) << 2), workspace, bins, per, count, dst + ((<usize>(c * bins)) << 2));
  }
}
