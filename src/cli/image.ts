// Images for image-to-image models: PNG/JPEG files to NCHW float tensors in the model's value
// range, and output tensors (clamped to that range) back to PNG.
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { Tensor } from '../sdk/tensor.js';
import { fromTypedArray } from '../sdk/creation.js';
import { values } from '../ops/exec.js';
import { UsageError } from './args.js';

export interface Rgba { width: number; height: number; data: Uint8Array }

/** `0-255` (fast-neural-style models) or `0-1` (most torchvision-style models). */
export type PixelRange = 255 | 1;

export function parseRange(s: string | undefined): PixelRange {
  if (s === undefined || s === '0-255') return 255;
  if (s === '0-1') return 1;
  throw new UsageError(`--range must be 0-255 or 0-1, got '${s}'`);
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

export function decodeImage(bytes: Uint8Array, name: string): Rgba {
  try {
    if (isPng(bytes)) {
      const p = pngjs.PNG.sync.read(Buffer.from(bytes));
      return { width: p.width, height: p.height, data: new Uint8Array(p.data) };
    }
    if (isJpeg(bytes)) {
      const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return { width: j.width, height: j.height, data: j.data };
    }
  } catch (e) {
    throw new UsageError(`image '${name}' cannot be decoded: ${(e as Error).message}`);
  }
  throw new UsageError(`'${name}' is not a PNG or JPEG image`);
}

/** RGBA pixels -> a [1, 3, H, W] float32 tensor with values in [0, range]. */
export function imageToTensor(img: Rgba, range: PixelRange): Tensor {
  const { width: w, height: h, data } = img;
  const plane = w * h;
  const out = new Float32Array(3 * plane);
  const scale = range / 255;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = data[4 * i + c] * scale;
  }
  return fromTypedArray(out, [1, 3, h, w]);
}

/** A [1, C, H, W] or [C, H, W] tensor (C = 1 or 3) -> RGBA, clamped to [0, range]. */
export function tensorToImage(t: Tensor, range: PixelRange): Rgba {
  const shape = t.shape.length === 4 && t.shape[0] === 1 ? t.shape.slice(1) : t.shape;
  if (shape.length !== 3 || (shape[0] !== 1 && shape[0] !== 3)) {
    throw new UsageError(`the model's output of shape [${t.shape.join(', ')}] is not an image ([1, 3, H, W] or [1, 1, H, W])`);
  }
  const [c, h, w] = shape;
  const v = values(t) as number[];
  const plane = w * h;
  const data = new Uint8Array(4 * plane);
  const scale = 255 / range;
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < 3; k++) {
      const x = v[(c === 3 ? k : 0) * plane + i];
      data[4 * i + k] = Math.round(Math.min(Math.max(x, 0), range) * scale);
    }
    data[4 * i + 3] = 255;
  }
  return { width: w, height: h, data };
}

export function encodePng(img: Rgba): Uint8Array {
  const png = new pngjs.PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return pngjs.PNG.sync.write(png);
}
