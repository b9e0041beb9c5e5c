// invertedResidualFast (row tiles of expand 1x1 -> depthwise 3x3 -> project 1x1 [+ x]) against the
// three convolutions run one after another by conv2dFast, on random data: stride 1 and 2, with and
// without residual, N = 2, widths that are not multiples of the vector or tile sizes, heights that
// need several tiles. Error relative to the output's scale (the 1x1 tails sum in another order).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { engine } from '../../src/engine/engine.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { conv2dFast, invertedResidualFast, type BlockConv } from '../../src/ops/conv-fast.js';

let seed = 777;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;

function tensor(shape: number[]): Tensor {
  const t = Tensor.empty(shape, 'float32');
  const a = engine().array('float32', t.ptr, t.numel) as Float32Array;
  for (let i = 0; i < a.length; i++) a[i] = rand();
  return t;
}
const data = (t: Tensor) => Array.from(engine().array('float32', t.ptr, t.numel) as Float32Array);

function separate(x: Tensor, e: BlockConv | null, d: BlockConv, s: number, p: BlockConv, residual: boolean): Tensor {
  const clamp = (c: BlockConv) => ({ kind: 'clamp' as const, min: c.lo, max: c.hi });
  const se = e?.stride ?? 1, pe = ((e?.weight.shape[2] ?? 1) - 1) >> 1;
  const a = e ? conv2dFast(x, e.weight, e.bias, [se, se], [pe, pe], [1, 1], 1, clamp(e))! : x;
  const b = conv2dFast(a, d.weight, d.bias, [s, s], [1, 1], [1, 1], d.weight.shape[0], clamp(d))!;
  const y = conv2dFast(b, p.weight, p.bias, [1, 1], [0, 0], [1, 1], 1, clamp(p), residual ? x : null)!;
  if (a !== x) a.dispose();
  b.dispose();
  return y;
}

function compare(got: Tensor | null, want: Tensor): void {
  assert.ok(got, 'the fused path applies');
  assert.equal(got!.shape, want.shape);
  const g = data(got!), wv = data(want);
  const scale = wv.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const err = g.reduce((m, v, i) => Math.max(m, Math.abs(v - wv[i])), 0);
  assert.ok(err <= 1e-5 * scale, `max error ${err} vs scale ${scale}`);
}

const CASES: [n: number, cin: number, h: number, w: number, cexp: number, cout: number, s: number, res: boolean, bias: boolean][] = [
  [2, 8, 13, 11, 48, 8, 1, true, true],
  [1, 16, 57, 57, 96, 24, 2, false, true],
  [2, 24, 28, 30, 144, 24, 1, true, false],
  [1, 32, 9, 7, 192, 64, 2, false, true],
  [1, 160, 7, 7, 960, 160, 1, true, true],
  [1, 24, 112, 112, 144, 32, 2, false, true],
  [1, 3, 5, 3, 5, 3, 1, true, true],
];

for (const [n, cin, h, w, cexp, cout, s, res, bias] of CASES) {
  test(`inverted residual ${n}x${cin}x${h}x${w}, expand ${cexp}, out ${cout}, stride ${s}${res ? ', residual' : ''} matches three conv2dFast calls`, () => {
    const x = tensor([n, cin, h, w]);
    const conv = (shape: number[], lo: number, hi: number): BlockConv => ({ weight: tensor(shape), bias: bias ? tensor([shape[0]]) : null, lo, hi });
    const e = conv([cexp, cin, 1, 1], 0, 6), d = conv([cexp, 1, 3, 3], 0, 6), p = conv([cout, cexp, 1, 1], -Infinity, Infinity);
    compare(invertedResidualFast(x, e, d, s, p, res), separate(x, e, d, s, p, res));
  });
}

// MobileNetV2's first block: no expand (the depthwise reads x), or the stem (3x3, stride 2,
// padding 1, channels 3 -> 32) as its expand; odd sizes leave partial pixel groups and tiles.
const FIRST: [n: number, cin: number, h: number, w: number, cexp: number, cout: number, stem: boolean][] = [
  [1, 32, 112, 112, 32, 16, false],
  [2, 12, 9, 7, 12, 5, false],
  [1, 3, 224, 224, 32, 16, true],
  [2, 3, 17, 23, 20, 7, true],
];
for (const [n, cin, h, w, cexp, cout, stem] of FIRST) {
  test(`first block ${n}x${cin}x${h}x${w}${stem ? `, stem 3x3/2 -> ${cexp}` : ', no expand'}, out ${cout} matches conv2dFast calls`, () => {
    const x = tensor([n, cin, h, w]);
    const conv = (shape: number[], lo: number, hi: number): BlockConv => ({ weight: tensor(shape), bias: tensor([shape[0]]), lo, hi });
    const e = stem ? { ...conv([cexp, cin, 3, 3], 0, 6), stride: 2 } : null;
    const d = conv([cexp, 1, 3, 3], 0, 6), p = conv([cout, cexp, 1, 1], -Infinity, Infinity);
    const before = engine().stats().bytesLive;
    const got = invertedResidualFast(x, e, d, 1, p, false);
    compare(got, separate(x, e, d, 1, p, false));
    got!.dispose();
    // The heap is intact: a fresh block can be taken and given back.
    const probe = Tensor.empty([1024], 'float32');
    probe.dispose();
    assert.ok(engine().stats().bytesLive >= before - 1);
  });
}

test('inverted residual returns null for a residual that cannot apply (stride 2)', () => {
  const c = (shape: number[]): BlockConv => ({ weight: tensor(shape), bias: null, lo: 0, hi: 6 });
  assert.is(invertedResidualFast(tensor([1, 8, 8, 8]), c([16, 8, 1, 1]), c([16, 1, 3, 3]), 2, c([8, 16, 1, 1]), true), null);
});

test.run();
