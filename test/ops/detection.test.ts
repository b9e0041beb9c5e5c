import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { values } from '../../src/ops/exec.js';
import { OpError } from '../../src/sdk/errors.js';
import { Generator } from '../../src/sdk/random.js';

const tv = torch.ops.torchvision;
const f32 = (v: any) => torch.tensor(v, 'float32') as Tensor;
const i64 = (v: any) => torch.tensor(v, 'int64') as Tensor;
const throwsMsg = (fn: () => unknown, re: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, OpError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
};
const close = (got: number[], want: number[], tol = 1e-5) => {
  assert.is(got.length, want.length);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * (1 + Math.abs(want[i])), `element ${i}: ${g} vs ${want[i]}`));
};

// ---- nms -------------------------------------------------------------------------------------

/** Greedy NMS by definition: visit boxes by descending score, drop those overlapping a kept one. */
function bruteNms(boxes: number[][], scores: number[], thr: number): number[] {
  const iou = (a: number[], b: number[]) => {
    const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])), h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const area = (x: number[]) => (x[2] - x[0]) * (x[3] - x[1]);
    return (w * h) / (area(a) + area(b) - w * h);
  };
  const keep: number[] = [];
  for (const i of scores.map((_, k) => k).sort((a, b) => scores[b] - scores[a] || a - b)) {
    if (keep.every((k) => iou(boxes[k], boxes[i]) <= thr)) keep.push(i);
  }
  return keep;
}

test('nms keeps the same boxes, in score order, as greedy suppression by definition', () => {
  const g = new Generator(7);
  for (const thr of [0.1, 0.3, 0.5, 0.7]) {
    const boxes = Array.from({ length: 60 }, () => {
      const x = g.uniform() * 50, y = g.uniform() * 50;
      return [x, y, x + 5 + g.uniform() * 20, y + 5 + g.uniform() * 20].map(Math.fround);
    });
    const scores = boxes.map(() => Math.fround(g.uniform()));
    const keep = tv.nms(f32(boxes), f32(scores), thr) as Tensor;
    assert.is(keep.dtype, 'int64');
    assert.equal(values(keep), bruteNms(boxes, scores, thr), `threshold ${thr}`);
  }
});

test('nms: identical boxes keep the first of equal scores; disjoint boxes all stay', () => {
  const same = [[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]];
  assert.equal(values(tv.nms(f32(same), f32([0.5, 0.9, 0.9]), 0.5)), [1]);
  const apart = [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]];
  assert.equal(values(tv.nms(f32(apart), f32([0.1, 0.3, 0.2]), 0.0)), [1, 2, 0]);
  // IoU exactly 1/3 (area 2 overlap 1 with two unit-area halves): only "> threshold" suppresses.
  const half = [[0, 0, 2, 1], [1, 0, 3, 1]];
  assert.equal(values(tv.nms(f32(half), f32([1, 0.5]), 0.5)), [0, 1]);
  assert.equal(values(tv.nms(f32(half), f32([1, 0.5]), 0.3)), [0]);
});

test('nms on float64 boxes (the TypeScript loop) keeps what the float32 kernel keeps', () => {
  const g = new Generator(5);
  const boxes = Array.from({ length: 80 }, () => {
    const x = g.uniform() * 40, y = g.uniform() * 40;
    return [x, y, x + 3 + g.uniform() * 15, y + 3 + g.uniform() * 15];
  });
  const scores = boxes.map(() => g.uniform());
  const keep = (dtype: string) => values(tv.nms(torch.tensor(boxes, dtype), torch.tensor(scores, dtype), 0.4) as Tensor);
  assert.equal(keep('float64'), keep('float32'));
  assert.equal(keep('float64'), bruteNms(boxes, scores, 0.4));
});

test('nms on no boxes is an empty int64 tensor; bad shapes and dtypes are refused', () => {
  const none = tv.nms(torch.zeros([0, 4]), torch.zeros([0]), 0.5) as Tensor;
  assert.equal([...none.shape], [0]);
  assert.is(none.dtype, 'int64');
  throwsMsg(() => tv.nms(torch.zeros([3, 5]), torch.zeros([3]), 0.5), /boxes should have 4 elements in dimension 1, got 5/);
  throwsMsg(() => tv.nms(torch.zeros([3, 4]), torch.zeros([2]), 0.5), /same number of elements in dimension 0, got 3 and 2/);
  throwsMsg(() => tv.nms(torch.zeros([3, 4]), torch.zeros([3], { dtype: 'float64' }), 0.5), /same type as scores/);
});

// ---- roi_align -------------------------------------------------------------------------------

/** An [N, C, H, W] image whose pixel (y, x) of image n, channel c is a*x + b*y + n*100 + c*10. */
function linearImage(n: number, c: number, h: number, w: number, a: number, b: number, dtype = 'float32'): Tensor {
  return torch.tensor(Array.from({ length: n }, (_, ni) => Array.from({ length: c }, (_, ci) =>
    Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => a * x + b * y + ni * 100 + ci * 10)))), dtype);
}

test('roi_align of a linear image is the plane at each bin centre (bilinear is exact on planes)', () => {
  const [a, b] = [0.75, -2];
  // Boxes well inside the image so no sample is clamped; spatial_scale 0.5 halves the coordinates.
  // 6 channels: the float32 kernel pools four channels per vector and the rest one by one.
  const rois = [[1, 6, 8, 30, 20], [0, 10.5, 4.25, 17, 33]];
  for (const dtype of ['float32', 'float64']) {
    const img = linearImage(2, 6, 20, 24, a, b, dtype);
    for (const aligned of [true, false]) for (const sr of [0, 2, 3]) {
      const out = tv.roi_align(img, torch.tensor(rois, dtype), 0.5, 3, 4, sr, aligned) as Tensor;
      assert.equal([...out.shape], [2, 6, 3, 4]);
      assert.is(out.dtype, dtype);
      const want: number[] = [];
      for (const [n, x1, y1, x2, y2] of rois) {
        const off = aligned ? 0.5 : 0;
        const sx = x1 * 0.5 - off, sy = y1 * 0.5 - off, bw = ((x2 - x1) * 0.5) / 4, bh = ((y2 - y1) * 0.5) / 3;
        for (let c = 0; c < 6; c++) for (let ph = 0; ph < 3; ph++) for (let pw = 0; pw < 4; pw++) {
          want.push(a * (sx + (pw + 0.5) * bw) + b * (sy + (ph + 0.5) * bh) + n * 100 + c * 10);
        }
      }
      close(values(out), want, 1e-5);
    }
  }
});

test('roi_align of a constant image averages the constant over the samples inside the image', () => {
  const img = torch.full([1, 2, 8, 8], 3.5) as Tensor;
  // Aligned box (-2, -3)-(9.5, 10): bins of 2.3 x 2.6 pixels, 3 x 3 samples each; a sample more
  // than one pixel outside the image reads 0, one within a pixel of it reads the clamped border.
  const out = values(tv.roi_align(img, f32([[0, -2, -3, 9.5, 10]]), 1, 5, 5, 0, true) as Tensor);
  const inside = (v: number, size: number) => v >= -1 && v <= size;
  const want: number[] = [];
  for (let c = 0; c < 2; c++) for (let ph = 0; ph < 5; ph++) for (let pw = 0; pw < 5; pw++) {
    let n = 0;
    for (let iy = 0; iy < 3; iy++) for (let ix = 0; ix < 3; ix++) {
      const y = -3.5 + ph * 2.6 + ((iy + 0.5) * 2.6) / 3, x = -2.5 + pw * 2.3 + ((ix + 0.5) * 2.3) / 3;
      if (inside(y, 8) && inside(x, 8)) n++;
    }
    want.push((3.5 * n) / 9);
  }
  close(out, want);
  assert.ok(want.some((v) => v === 0) && want.some((v) => v === 3.5) && want.some((v) => v > 0 && v < 3.5));
  // An empty aligned box has no samples (zeros); an unaligned one is forced to 1 x 1 pixels.
  close(values(tv.roi_align(img, f32([[0, 4, 4, 4, 4]]), 1, 2, 2, 0, true) as Tensor), Array(8).fill(0));
  close(values(tv.roi_align(img, f32([[0, 4, 4, 4, 4]]), 1, 2, 2, 0, false) as Tensor), Array(8).fill(3.5));
});

test('roi_align: the float32 kernel and the float64 loop agree on random images and boxes', () => {
  const g = new Generator(11);
  const img = Array.from({ length: 2 * 5 * 9 * 11 }, () => g.uniform() * 4 - 2);
  const rois = Array.from({ length: 30 }, (_, i) => {
    const x = g.uniform() * 50 - 5, y = g.uniform() * 40 - 5;
    return [i % 2, x, y, x + g.uniform() * 30, y + g.uniform() * 30];
  });
  for (const [scale, sr, aligned] of [[0.25, 2, false], [0.2, 0, true], [0.3, 1, true]] as const) {
    const run = (dtype: string) => values(tv.roi_align(torch.tensor(img, dtype).reshape([2, 5, 9, 11]), torch.tensor(rois, dtype), scale, 7, 5, sr, aligned) as Tensor);
    close(run('float32'), run('float64'), 1e-4);
  }
});

test('roi_align checks its rois', () => {
  const img = torch.zeros([1, 1, 4, 4]);
  throwsMsg(() => tv.roi_align(img, torch.zeros([2, 4]), 1, 2, 2, 0, true), /rois must have shape as Tensor\[K, 5\]/);
  throwsMsg(() => tv.roi_align(img, torch.zeros([2, 5], { dtype: 'float64' }), 1, 2, 2, 0, true), /same type as rois/);
  throwsMsg(() => tv.roi_align(img, f32([[3, 0, 0, 1, 1]]), 1, 2, 2, 0, true), /batch index 3/);
  assert.equal([...(tv.roi_align(img, torch.zeros([0, 5]), 1, 2, 2, 0, true) as Tensor).shape], [0, 1, 2, 2]);
});

// ---- unique ----------------------------------------------------------------------------------

test('_unique2 returns sorted distinct values, the inverse map and counts', () => {
  const xs = [3, 1, 3, 7, 1, 1, -2];
  const [u, inv, cnt] = torch._unique2(i64(xs), true, true, true) as Tensor[];
  const want = [...new Set(xs)].sort((p, q) => p - q);
  assert.equal(values(u), want);
  assert.equal(values(inv), xs.map((x) => want.indexOf(x)));
  assert.equal(values(cnt), want.map((w) => xs.filter((x) => x === w).length));
  const [, noInv, noCnt] = torch._unique2(f32([[2, 2], [1, 0.5]])) as Tensor[];
  assert.equal([...noInv.shape, ...noCnt.shape], [0, 0]);
  const [u2, inv2] = torch._unique2(f32([[2, 2], [1, 0.5]]), true, true) as Tensor[];
  assert.equal(values(u2), [0.5, 1, 2]);
  assert.equal([...inv2.shape], [2, 2]);
});

test('unique_dim finds distinct rows or columns in lexicographic order', () => {
  const rows = [[1, 2], [0, 5], [1, 2], [0, 4]];
  const [u, inv, cnt] = torch.unique_dim(i64(rows), 0, true, true, true) as Tensor[];
  assert.equal(u.toArray(), [[0, 4], [0, 5], [1, 2]]);
  assert.equal(values(inv), [2, 1, 2, 0]);
  assert.equal(values(cnt), [1, 1, 2]);
  const [uc] = torch.unique_dim(i64(rows), 1) as Tensor[];
  assert.equal(uc.toArray(), [[1, 2], [0, 5], [1, 2], [0, 4]]);
  const [ucols, invc] = torch.unique_dim(i64([[1, 0, 1], [3, 2, 3]]), -1, true, true) as Tensor[];
  assert.equal(ucols.toArray(), [[0, 1], [2, 3]]);
  assert.equal(values(invc), [1, 0, 1]);
});

test('unique_consecutive merges runs only', () => {
  const xs = [1, 1, 2, 2, 3, 1, 1, 2];
  const [u, inv, cnt] = torch.unique_consecutive(i64(xs), true, true) as Tensor[];
  assert.equal(values(u), [1, 2, 3, 1, 2]);
  assert.equal(values(inv), [0, 0, 1, 1, 2, 3, 3, 4]);
  assert.equal(values(cnt), [2, 2, 1, 2, 1]);
});

// ---- creation rows and bitwise ops that scripts call -----------------------------------------

test('tensor/as_tensor from script values infer dtypes as PyTorch does', () => {
  const t = torch.ops.aten.tensor([[1, 2], [3, 4]]) as Tensor;
  assert.is(t.dtype, 'int64');
  assert.equal(t.toArray(), [[1, 2], [3, 4]]);
  assert.is((torch.ops.aten.tensor([0.5, 2]) as Tensor).dtype, 'float32');
  assert.is((torch.ops.aten.tensor([true, false]) as Tensor).dtype, 'bool');
  assert.is((torch.as_tensor([1, 2], { dtype: 'float32' }) as Tensor).dtype, 'float32');
  throwsMsg(() => torch.ops.aten.tensor([[1, 2], [3]]), /expected sequence of length 2 at dim 1/);
  const x = f32([1, 2]);
  assert.is(torch.as_tensor(x), x);
  assert.is((torch.as_tensor(x, { dtype: 'float64' }) as Tensor).dtype, 'float64');
});

test('new_full/new_zeros/new_empty take the dtype of self; randperm is a permutation', () => {
  const x = i64([1]);
  const f = x.new_full([2, 3], 7) as Tensor;
  assert.is(f.dtype, 'int64');
  assert.equal(values(f), Array(6).fill(7));
  assert.equal([...(x.new_empty([0, 1, 4]) as Tensor).shape], [0, 1, 4]);
  assert.is((x.new_zeros([2], { dtype: 'float32' }) as Tensor).dtype, 'float32');
  const p = torch.randperm(50) as Tensor;
  assert.is(p.dtype, 'int64');
  assert.equal(values(p).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
});

test('bitwise and/or/xor on bool and integer tensors (&, |, ^)', () => {
  const a = torch.tensor([true, true, false, false]) as Tensor, b = torch.tensor([true, false, true, false]) as Tensor;
  assert.equal(values(torch.__and__(a, b)), [1, 0, 0, 0]);
  assert.equal(values(torch.__or__(a, b)), [1, 1, 1, 0]);
  assert.equal(values(torch.bitwise_xor(a, b)), [0, 1, 1, 0]);
  assert.is((torch.__and__(a, b) as Tensor).dtype, 'bool');
  assert.equal(values(torch.bitwise_and(i64([12, -1, 2 ** 40 + 5]), 6)), [4, 6, 4]);
  throwsMsg(() => torch.bitwise_and(f32([1]), f32([1])), /"bitwise_and_cpu" not implemented for 'Float'/);
});

test.run();
