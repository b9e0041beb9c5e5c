// torchwick::conv2d_act, the row the inference pass src/jit/passes/fuse-conv-epilogue.ts creates:
// act(conv(x, W, b) + residual) in one convolution call (src/ops/conv-fast.ts). Its own file:
// conv-fast.ts is imported by conv.ts, and this row needs conv.ts's reference convolution.
import { Tensor } from '../sdk/tensor.js';
import { promoteTypes } from '../sdk/dtype.js';
import { mapN } from './exec.js';
import { convolution } from './conv.js';
import { conv2dFast, type ConvActivation } from './conv-fast.js';
import type { OpDef } from './table.js';

const CONV_ACT = 'torchwick::conv2d_act';

/**
 * The fused row's computation: act(conv(x, w, b) + residual), act = clamp to [lo, hi] (relu is
 * [0, inf], relu6 / hardtanh(0, 6) is [0, 6], none is [-inf, inf]). Shapes conv2dFast cannot take
 * run the reference convolution and elementwise passes instead: slower, same values.
 */
function conv2dAct(x: Tensor, w: Tensor, b: Tensor | null, stride: number[], padding: number[], dilation: number[], groups: number,
  residual: Tensor | null, lo: number, hi: number): Tensor {
  const act: ConvActivation | undefined = lo === -Infinity && hi === Infinity ? undefined : { kind: 'clamp', min: lo, max: hi };
  const pair = (v: number[]) => (v.length === 1 ? [v[0], v[0]] : v) as [number, number];
  if (x.dim === 4 && [stride, padding, dilation].every((v) => v.length === 1 || v.length === 2)) {
    const y = conv2dFast(x, w, b, pair(stride), pair(padding), pair(dilation), groups, act, residual);
    if (y) return y;
  }
  let y = convolution(CONV_ACT, x, w, b, stride, padding, dilation, false, 0, groups);
  if (residual) {
    const sum = mapN(CONV_ACT, [y, residual], promoteTypes(y.dtype, residual.dtype), (p, q) => p + q);
    y.dispose();
    y = sum;
  }
  if (act) {
    const clamped = mapN(CONV_ACT, [y], y.dtype, (v) => (v < lo ? lo : v > hi ? hi : v));
    y.dispose();
    y = clamped;
  }
  return y;
}

/**
 * Rows outside aten that the inference passes create (src/jit/passes/fuse-conv-epilogue.ts); the
 * namespace says they are torchwick's, not PyTorch's (no schemas.txt entry). Saving a graph that
 * holds one writes it as is: PyTorch cannot load such an archive, so the passes run only on the
 * graphs the interpreter executes, never on a module's saved code.
 */
export const CONV_ACT_OPS: OpDef[] = [
  {
    schema: `${CONV_ACT}(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups, Tensor? residual, float lo, float hi) -> Tensor`,
    tags: ['opaque'],
    impl: conv2dAct,
  },
];
