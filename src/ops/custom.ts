// Custom ops: rows outside aten, as C++ extensions register them in PyTorch
// (`torch.ops.super_iou.iou_native`). Each binds one hand-written kernel.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { DTypeError, ShapeError } from '../sdk/errors.js';
import { contiguous, empty } from './exec.js';
import type { OpDef } from './table.js';

/** The talk's custom kernel: ratio_iou of 8 same-shaped float32 planes (assembly/kernels/f32-iou-wasmsimd.ts). */
function iouNative(...planes: Tensor[]): Tensor {
  const [first] = planes;
  for (const [i, t] of planes.entries()) {
    if (t.dtype !== 'float32') throw new DTypeError('super_iou::iou_native', `expected float32 tensors, but argument ${i} has dtype ${t.dtype}`);
    if (t.shape.length !== first.shape.length || t.shape.some((d, j) => d !== first.shape[j])) {
      throw new ShapeError('super_iou::iou_native', `tensors are not of same shape: argument ${i} has shape [${t.shape}], argument 0 has [${first.shape}]`);
    }
  }
  const cs = planes.map((t) => contiguous(t));
  const out = empty(first.shape, 'float32');
  if (out.numel) engine().k.f32_iou(...cs.map((t) => t.ptr), out.ptr, out.numel);
  cs.forEach((c, i) => c !== planes[i] && c.dispose());
  return out;
}

export const CUSTOM_OPS: OpDef[] = [
  {
    schema: 'super_iou::iou_native(Tensor x1, Tensor y1, Tensor w1, Tensor h1, Tensor x2, Tensor y2, Tensor w2, Tensor h2) -> Tensor',
    tags: ['opaque'],
    impl: iouNative,
  },
];
