// The rows the inference pass src/jit/passes/fuse-conv-epilogue.ts creates:
//   torchwick::conv2d_act: act(conv(pad(x), W, b) + residual), pad zeros or reflection, in one
//     convolution call (conv-fast.ts);
//   torchwick::instance_norm_act: act(instance_norm(x, w, b)) in one normalizing pass;
//   torchwick::inverted_residual: the conv2d_act rows of MobileNetV2's block (expand 1x1, or the
//     network's 3x3 stride-2 stem, or none; depthwise 3x3 padding 1; project 1x1 [+ input])
//     computed per tile of rows (conv-fast.ts).
// Their own file: conv-fast.ts is imported by conv.ts, and conv2d_act needs conv.ts's reference
// convolution for the shapes the fast path does not take.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { promoteTypes } from '../sdk/dtype.js';
import { contiguous, empty, mapN, values } from './exec.js';
import { NORM_OPS } from './norm.js';
import { RESAMPLE_OPS } from './resample.js';
import { convolution } from './conv.js';
import { conv2dFast, invertedResidualFast, type ConvActivation } from './conv-fast.js';
import type { OpDef } from './table.js';

const CONV_ACT = 'torchwick::conv2d_act';
const NORM_ACT = 'torchwick::instance_norm_act';
const INVERTED_RESIDUAL = 'torchwick::inverted_residual';

/** y = v clamped to [lo, hi] elementwise (NaN passes through), in a new tensor; v is disposed. */
function clampInto(op: string, v: Tensor, lo: number, hi: number): Tensor {
  const out = mapN(op, [v], v.dtype, (q) => (q < lo ? lo : q > hi ? hi : q));
  v.dispose();
  return out;
}

/**
 * The fused row's computation: act(conv(x, w, b) + residual), act = clamp to [lo, hi] (relu is
 * [0, inf], relu6 / hardtanh(0, 6) is [0, 6], none is [-inf, inf]); padding_mode 'reflect' pads x
 * by reflection (a folded F.pad(x, p, 'reflect')), 'zeros' with zeros. Shapes conv2dFast cannot take
 * run the reference convolution and elementwise passes instead: slower, same values.
 */
function conv2dAct(x: Tensor, w: Tensor, b: Tensor | null, stride: number[], padding: number[], dilation: number[], groups: number,
  paddingMode: string, residual: Tensor | null, lo: number, hi: number): Tensor {
  const act: ConvActivation | undefined = lo === -Infinity && hi === Infinity ? undefined : { kind: 'clamp', min: lo, max: hi };
  const pair = (v: number[]) => (v.length === 1 ? [v[0], v[0]] : v) as [number, number];
  const reflect = paddingMode === 'reflect';
  if (x.dim === 4 && [stride, padding, dilation].every((v) => v.length === 1 || v.length === 2)) {
    const y = conv2dFast(x, w, b, pair(stride), pair(padding), pair(dilation), groups, act, residual, reflect ? 'reflect' : 'zeros');
    if (y) return y;
  }
  // Reflection padding first (F.pad's order: last dim's pair first), then the convolution without.
  const padded = reflect ? padRow.impl(x, padding.flatMap((p) => [p, p]).reverse(), 'reflect', null) as Tensor : x;
  let y = convolution(CONV_ACT, padded, w, b, stride, reflect ? padding.map(() => 0) : padding, dilation, false, 0, groups);
  if (padded !== x) padded.dispose();
  if (residual) {
    const sum = mapN(CONV_ACT, [y, residual], promoteTypes(y.dtype, residual.dtype), (p, q) => p + q);
    y.dispose();
    y = sum;
  }
  return act ? clampInto(CONV_ACT, y, lo, hi) : y;
}

/**
 * clamp3(conv1x1(clamp2(dwconv3x3(clamp1(expand(x, w1, b1)), w2, b2, stride, padding 1), w3, b3) [+ x]),
 * expand a 1x1 convolution (s1 1) or a 3x3 one (stride s1 2, padding 1: MobileNetV2's stem), or
 * none (w1 null: the depthwise reads x): invertedResidualFast where it applies, else the separate
 * conv2d_act computations.
 */
function invertedResidual(x: Tensor, w1: Tensor | null, b1: Tensor | null, s1: number, lo1: number, hi1: number, w2: Tensor, b2: Tensor | null,
  stride: number, lo2: number, hi2: number, w3: Tensor, b3: Tensor | null, lo3: number, hi3: number, residual: boolean): Tensor {
  const fast = invertedResidualFast(x, w1 ? { weight: w1, bias: b1, lo: lo1, hi: hi1, stride: s1 } : null, { weight: w2, bias: b2, lo: lo2, hi: hi2 },
    stride, { weight: w3, bias: b3, lo: lo3, hi: hi3 }, residual);
  if (fast) return fast;
  const e = w1 ? conv2dAct(x, w1, b1, [s1], [(w1.shape[2] - 1) >> 1], [1], 1, 'zeros', null, lo1, hi1) : x;
  const d = conv2dAct(e, w2, b2, [stride], [1], [1], w2.shape[0], 'zeros', null, lo2, hi2);
  if (e !== x) e.dispose();
  const y = conv2dAct(d, w3, b3, [1], [0], [1], 1, 'zeros', residual ? x : null, lo3, hi3);
  d.dispose();
  return y;
}

const padRow = RESAMPLE_OPS.find((r) => r.schema.startsWith('aten::pad('))!;
const instanceNormRow = NORM_OPS.find((r) => r.schema.startsWith('aten::instance_norm('))!;

/**
 * clamp(instance_norm(x, w, b, use_input_stats=True, eps), lo, hi): per-(n, c) moments
 * (f32_moments), then one f32_norm_affine_minmax pass that normalizes, scales, shifts and clamps.
 * Other dtypes and shapes take aten::instance_norm and a clamp pass.
 */
function instanceNormAct(x: Tensor, w: Tensor | null, b: Tensor | null, eps: number, lo: number, hi: number): Tensor {
  const C = x.shape[1];
  const fits = (t: Tensor | null) => !t || (t.dtype === 'float32' && t.numel === C);
  if (x.dtype !== 'float32' || x.dim < 3 || !fits(w) || !fits(b) || x.numel === 0) {
    return clampInto(NORM_ACT, instanceNormRow.impl(x, w, b, null, null, true, 0.1, eps, false), lo, hi);
  }
  const e = engine(), rows = x.shape[0] * C, S = x.numel / rows;
  const xc = contiguous(x), y = empty(x.shape, 'float32');
  const [wv, bv] = [w ? values(w) : null, b ? values(b) : null];
  const stats = e.alloc(rows * 16), params = e.alloc(rows * 12);
  try {
    e.k.f32_moments(xc.ptr, rows, S, stats, stats + rows * 8);
    const mean = e.array('float64', stats, rows) as Float64Array, vr = e.array('float64', stats + rows * 8, rows) as Float64Array;
    const p = e.array('float32', params, rows * 3) as Float32Array;
    for (let r = 0; r < rows; r++) {
      const c = r % C;
      p[r] = mean[r];
      p[rows + r] = (1 / Math.sqrt(vr[r] + eps)) * (wv ? wv[c] : 1);
      p[2 * rows + r] = bv ? bv[c] : 0;
    }
    e.k.f32_norm_affine_minmax(xc.ptr, y.ptr, rows, S, params, params + rows * 4, params + rows * 8, 0, 0, lo, hi);
  } finally {
    e.free(stats);
    e.free(params);
    if (xc !== x) xc.dispose();
  }
  return y;
}

/**
 * Rows outside aten that the inference passes create (src/jit/passes/fuse-conv-epilogue.ts); the
 * namespace says they are torchwick's, not PyTorch's (no schemas.txt entry). Saving a graph that
 * holds one writes it as is: PyTorch cannot load such an archive, so the passes run only on the
 * graphs the interpreter executes, never on a module's saved code.
 */
export const INFERENCE_FUSED_OPS: OpDef[] = [
  {
    schema: `${CONV_ACT}(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups, str padding_mode, Tensor? residual, float lo, float hi) -> Tensor`,
    tags: ['opaque'],
    impl: conv2dAct,
  },
  {
    schema: `${NORM_ACT}(Tensor input, Tensor? weight, Tensor? bias, float eps, float lo, float hi) -> Tensor`,
    tags: ['opaque'],
    impl: instanceNormAct,
  },
  {
    schema: `${INVERTED_RESIDUAL}(Tensor input, Tensor? w1, Tensor? b1, int s1, float lo1, float hi1, Tensor w2, Tensor? b2, int stride, float lo2, float hi2, Tensor w3, Tensor? b3, float lo3, float hi3, bool residual) -> Tensor`,
    tags: ['opaque'],
    impl: invertedResidual,
  },
];
