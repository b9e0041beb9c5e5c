import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { OpError } from '../../src/sdk/errors.js';
import { callOp } from '../../src/ops/dispatch.js';
import { throwsLike, f32 } from './helpers.js';

const F = torch.nn.functional;
// [1, 1, 3, 4] with distinct values.
const img = [[Array.from({ length: 3 }, (_, h) => Array.from({ length: 4 }, (_, w) => h * 10 + w))]];

test('constant pad fills with value and crops with negative amounts', () => {
  const x = f32(img);
  const p = (F.pad(x, [1, -1, 0, 1], 'constant', 7) as Tensor).toArray()[0][0];
  assert.equal(p, [
    [7, ...img[0][0][0].slice(0, 3)],
    [7, ...img[0][0][1].slice(0, 3)],
    [7, ...img[0][0][2].slice(0, 3)],
    [7, 7, 7, 7],
  ]);
});

test('reflect, replicate and circular pads read the mirrored, clamped and wrapped columns', () => {
  // A 2-element pad needs a 2-D or 3-D input in these modes, as in PyTorch.
  const x = f32(img[0]);
  const row = img[0][0][0];
  const at = (t: Tensor) => (t.toArray() as number[][][])[0][0];
  assert.equal(at(F.pad(x, [2, 1], 'reflect')), [row[2], row[1], ...row, row[2]]);
  assert.equal(at(F.pad(x, [2, 1], 'replicate')), [row[0], row[0], ...row, row[3]]);
  assert.equal(at(F.pad(x, [2, 1], 'circular')), [row[2], row[3], ...row, row[0]]);
  // Replicate with cropping (the opinfo "replicate_negative" variant): crop two on the left, add one.
  assert.equal(at(F.pad(x, [-2, 1], 'replicate')), [row[2], row[3], row[3]]);
});

test("padding errors are PyTorch's", () => {
  throwsLike(
    () => F.pad(f32([[[[1, 2], [3, 4]]]]), [2, 2, 0, 0], 'reflect'),
    OpError,
    /Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(2, 2\) at dimension 3 of input \[1, 1, 2, 2\]/,
  );
  throwsLike(() => F.pad(f32(img), [1, 1, 3, 0], 'reflect'), OpError, /Argument #6: .* padding \(3, 0\) at dimension 2 of input \[1, 1, 3, 4\]/);
  throwsLike(() => F.pad(f32(img), [1, 1], 'reflect', 2), OpError, /Padding mode "reflect" doesn't take in value argument/);
  throwsLike(() => F.pad(f32(img), [1]), OpError, /Padding length must be divisible by 2/);
  throwsLike(() => F.pad(f32(img[0]), [5, 0], 'circular'), OpError, /Padding value causes wrapping around more than once/);
  throwsLike(() => F.pad(f32(img), [1, 1], 'replicate'), OpError, /Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now/);
  throwsLike(() => callOp('aten::constant_pad_nd', [f32(img), [-3, -2]]), OpError, /negative output size, which is invalid. Check dimension 3 of your input/);
});

test('nearest x2 repeats each pixel; align_corners linear keeps the end points', () => {
  const x = f32(img);
  const up = (F.interpolate(x, { scale_factor: 2 }) as Tensor).toArray()[0][0];
  assert.equal(up.length, 6);
  up.forEach((r: number[], h: number) => assert.equal(r, img[0][0][h >> 1].flatMap((v) => [v, v])));
  const lin = (F.interpolate(f32([[[0, 3]]]), { size: 4, mode: 'linear', align_corners: true }) as Tensor).toArray()[0][0];
  assert.equal(lin, [0, 1, 2, 3]);
});

test('area mode is adaptive average pooling', () => {
  const x = f32([[[1, 2, 3, 4, 5, 6]]]);
  assert.equal((F.interpolate(x, { size: 3, mode: 'area' }) as Tensor).toArray(), [[[1.5, 3.5, 5.5]]]);
});

test("interpolate's argument errors", () => {
  const x = f32(img);
  throwsLike(() => F.interpolate(x, [2, 2], 2), OpError, /only one of size or scale_factor should be defined/);
  throwsLike(() => F.interpolate(x), OpError, /either size or scale_factor should be defined/);
  throwsLike(() => F.interpolate(x, { size: [2, 2], align_corners: true }), OpError, /align_corners option can only be set with the interpolating modes/);
  throwsLike(() => F.interpolate(f32(img[0]), { size: 2, mode: 'bilinear' }), OpError, /Got 3D input, but bilinear mode needs 4D input/);
  throwsLike(() => F.interpolate(x, { size: [2] }), OpError, /Input and output size must have the same number of spatial dimensions/);
});

test('pixel_unshuffle inverts pixel_shuffle; shuffle moves channels into blocks', () => {
  const x = torch.arange(2 * 8 * 2 * 3, { dtype: 'float32' }).reshape([2, 8, 2, 3]) as Tensor;
  const s = F.pixel_shuffle(x, 2) as Tensor;
  assert.equal(s.shape, [2, 2, 4, 6]);
  // out[0, 0, 0:2, 0:2] holds channels 0..3 at pixel (0, 0).
  const o = s.toArray()[0][0];
  assert.equal([o[0][0], o[0][1], o[1][0], o[1][1]], [0, 6, 12, 18]);
  assert.equal((F.pixel_unshuffle(s, 2) as Tensor).toArray(), x.toArray());
  throwsLike(() => F.pixel_shuffle(f32(img), 2), OpError, /divisible by the square of upscale_factor, but input.size\(-3\)=1 is not divisible by 4/);
});

test.run();
