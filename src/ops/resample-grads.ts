// Derivatives of the resampling rows. Every one is linear in its input, so the rules reuse the
// forward op itself instead of a hand-written backward kernel:
// - constant padding: the gradient is cropped by the negated padding (derivatives.yaml);
// - reflect/replicate/circular padding moves values: the forward op run on element numbers says
//   where each output came from, and index_add sums the gradient back there;
// - interpolation and adaptive average pooling are separable: the forward op run on an identity
//   "probe" (one spatial dim at a time, the others of size 1) gives that dim's weight matrix M, and
//   the gradient is g @ M^T along each dim;
// - pixel_shuffle and pixel_unshuffle undo each other.
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { eq, indexAdd, matmul, movedim, reshape, to, transpose, unsqueeze, zeros } from '../autograd/calc.js';

type T = Tensor;

const arange = (n: number, dtype: string): T => callOp('aten::arange', [n], { dtype });
const negated = (pad: number[]) => pad.map((p) => -p);

/** Crops what constant padding added (an empty output leaves a zero gradient). */
const unpad = (g: T, x: T, pad: number[]): T => (g.numel === 0 ? zeros(x.shape, g.dtype) : callOp('aten::constant_pad_nd', [g, negated(pad)]));

export const gradConstantPad: GradRule = ([g], [x, pad]) => [unpad(g!, x, pad), null, null];

/** Gradient of an op that copies input elements to output positions: `call` is the op on another input. */
function gradByIndex(g: T, x: T, call: (src: T) => T): T {
  const numbered = reshape(arange(x.numel, 'float64'), x.shape);
  const from = reshape(to(call(numbered), 'int64'), [g.numel]);
  return reshape(indexAdd(zeros([x.numel], g.dtype), 0, from, reshape(g, [g.numel])), x.shape);
}

/** reflection/replication padding and _pad_circular: (self, padding). */
export const gradPadBySource = (op: string): GradRule => ([g], [x, pad]) => [gradByIndex(g!, x, (src) => callOp(op, [src, pad])), null];

/** aten::pad: constant mode crops, the others route back by source index. */
export const gradPad: GradRule = ([g], [x, pad, mode, value]) => {
  if (mode === 'constant') return [unpad(g!, x, pad), null, null, null];
  return [gradByIndex(g!, x, (src) => callOp('aten::pad', [src, pad, mode, value])), null, null, null];
};

/** The adjoint of a separable resampling of x's last `k` dims; `call(probe)` runs the op with y's output size. */
function separableAdjoint(g: T, x: T, k: number, call: (probe: T) => T): T {
  const lead = x.dim - k;
  let out = g;
  for (let i = 0; i < k; i++) {
    const n = x.shape[lead + i];
    const ids = arange(n, 'int64');
    const eye = to(eq(unsqueeze(ids, 1), unsqueeze(ids, 0)), x.dtype);
    const probe = reshape(eye, [...new Array(lead - 1).fill(1), n, ...new Array(k).fill(1).map((one, j) => (j === i ? n : one))]);
    // Output [1.., n, o_1..o_k]; other spatial dims came from one source (weights summing to 1): take index 0.
    let m = call(probe);
    for (let j = k - 1; j >= 0; j--) if (j !== i) m = callOp('aten::select', [m, lead + j, 0]);
    const M = reshape(m, [n, g.shape[lead + i]]);
    out = movedim(matmul(movedim(out, lead + i, -1), transpose(M, 0, 1)), -1, lead + i);
  }
  return out;
}

/**
 * upsample_* rows, plain and .vec: the probe runs the plain overload with y's size and the
 * caller's scales (so that source coordinates match the forward).
 */
export function gradUpsample(plain: string, k: number, aligned: boolean, vec: boolean): GradRule {
  return ([g], args, [y]) => {
    const [x] = args;
    const size = y.shape.slice(y.dim - k);
    let rest: any[];
    if (!vec) rest = args.slice(2);
    else {
      const scales = (aligned ? args[3] : args[2]) ?? new Array(k).fill(null);
      rest = aligned ? [args[2], ...scales] : [...scales];
    }
    return [separableAdjoint(g!, x, k, (p) => callOp(plain, [p, size, ...rest])), ...args.slice(1).map(() => null)];
  };
}

/** adaptive_avg_pool1d/3d: (self, output_size). */
export const gradAdaptiveAvgPool = (op: string, k: number): GradRule => ([g], [x, size]) => [separableAdjoint(g!, x, k, (p) => callOp(op, [p, size])), null];

export const gradPixelShuffle: GradRule = ([g], [_x, r]) => [callOp('aten::pixel_unshuffle', [g, r]), null];
export const gradPixelUnshuffle: GradRule = ([g], [_x, r]) => [callOp('aten::pixel_shuffle', [g, r]), null];
