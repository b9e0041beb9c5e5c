// Tensors from JS data: nested arrays, typed arrays, scalars.
import { Tensor } from './tensor.js';
import { isDType, type DType } from './dtype.js';
import { OpError } from './errors.js';
import { cast, fromValues } from '../ops/exec.js';
import { engine } from '../engine/engine.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

type Typed = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

const TYPED_DTYPE = (a: Typed): DType =>
  a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : a instanceof Int32Array ? 'int32' : a instanceof BigInt64Array ? 'int64' : 'uint8';

/** Copies a typed array into a new tensor of `shape` (default 1-D). */
export function fromTypedArray(data: Typed, shape: readonly number[] = [data.length], opts: TensorOptions = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new OpError('torch.fromTypedArray', `shape [${shape.join(', ')}] is invalid for input of size ${data.length}`);
  const dtype = TYPED_DTYPE(data);
  const t = Tensor.empty(shape, dtype);
  engine().u8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), t.ptr);
  const out = opts.dtype && opts.dtype !== dtype ? cast(t, opts.dtype) : t;
  if (out !== t) t.dispose();
  out.requiresGrad = !!opts.requiresGrad;
  return out;
}

/** torch.tensor: nested arrays of numbers/booleans (ints give int64, as in PyTorch), or a typed array. */
export function tensor(data: any, opts: TensorOptions | DType = {}): Tensor {
  const o: TensorOptions = isDType(opts) ? { dtype: opts } : opts;
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return fromTypedArray(data as Typed, [(data as Typed).length], o);
  if (data instanceof Tensor) return cast(data, o.dtype ?? data.dtype, true);
  const shape: number[] = [];
  for (let v = data; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: number[] = [];
  let kind: 'bool' | 'int' | 'float' = 'bool';
  let any = false;
  const walk = (v: any, d: number) => {
    if (d === shape.length) {
      if (typeof v === 'boolean') flat.push(+v);
      else if (typeof v === 'number') {
        flat.push(v);
        kind = kind === 'float' || !Number.isInteger(v) ? 'float' : 'int';
      } else throw new OpError('torch.tensor', `Could not infer dtype of ${v === null ? 'None' : typeof v}`);
      any = true;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) throw new OpError('torch.tensor', `expected sequence of length ${shape[d]} at dim ${d} (got ${Array.isArray(v) ? v.length : typeof v})`);
    for (const x of v) walk(x, d + 1);
  };
  walk(data, 0);
  const inferred: DType = !any ? 'float32' : kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : 'float32';
  const t = fromValues(shape, o.dtype ?? inferred, flat);
  t.requiresGrad = !!o.requiresGrad;
  return t;
}
