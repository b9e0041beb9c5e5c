// The torchscript fixtures' inputs and PyTorch outputs, and the whole-network error measure.
import { readFileSync } from 'node:fs';
import type { Tensor } from '../../src/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';

export const fixtureDir = '../shared/fixtures/torchscript/';

/** `<case>.<name>.npy` of ../shared/fixtures/torchscript as a tensor. */
export const npy = (name: string): Tensor => tensorFromNpy(new Uint8Array(readFileSync(`${fixtureDir}${name}.npy`)));

/** max |actual - expected| / max |expected| over all elements (shapes must be equal). */
export function relativeError(actual: Tensor, expected: Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) throw new Error(`shape [${actual.shape}] vs expected [${expected.shape}]`);
  const a = actual.dataSync() as Float32Array, e = expected.dataSync() as Float32Array;
  let err = 0, scale = 0;
  for (let i = 0; i < e.length; i++) {
    err = Math.max(err, Math.abs(a[i] - e[i]));
    scale = Math.max(scale, Math.abs(e[i]));
  }
  return Number.isNaN(err) ? Infinity : err / scale;
}
