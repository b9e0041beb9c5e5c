// Tensors to and from NumPy's .npy format.
import { readNpy, writeNpy, type NpyDType } from '../serialize/npy.js';
import { NpyError } from '../serialize/errors.js';
import { engine } from '../engine/engine.js';
import { Tensor } from './tensor.js';
import { contiguous } from '../ops/exec.js';
import { DTYPES, type DType } from './dtype.js';

const FROM_NPY: Partial<Record<NpyDType, DType>> = { '<f4': 'float32', '<f8': 'float64', '<i8': 'int64', '<i4': 'int32', '|u1': 'uint8', '|b1': 'bool' };

export function tensorFromNpy(bytes: Uint8Array): Tensor {
  const a = readNpy(bytes);
  const dtype = FROM_NPY[a.dtype];
  if (!dtype) throw new NpyError(`npy: dtype '${a.dtype}' is not supported by torchwick tensors`);
  const t = Tensor.empty(a.shape, dtype);
  engine().u8.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), t.ptr);
  return t;
}

export function tensorToNpy(t: Tensor): Uint8Array {
  const c = contiguous(t);
  const data = engine().u8.slice(c.ptr, c.ptr + c.numel * c.itemsize);
  if (c !== t) c.dispose();
  return writeNpy({ dtype: DTYPES[t.dtype].npy as NpyDType, shape: [...t.shape], data });
}


