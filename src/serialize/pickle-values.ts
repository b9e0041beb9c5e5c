// How Python values look after unpickling (and what the pickler accepts).
//
// Note [Python values in JS]
//   int    -> number (bigint beyond 2^53)      float -> PyFloat, so 1.0 and 1 stay distinct
//   str    -> string                           bool  -> boolean        None -> null
//   tuple  -> PyTuple (an Array subclass)      list  -> plain Array    dict -> Map
//   __torch__ objects -> PyObject; tensors -> TensorRef (a description: the engine makes the tensor).

/** A Python float. Plain JS numbers stand for Python ints. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A Python tuple: an array that `Array.isArray` accepts but `instanceof PyTuple` tells from a list. */
export class PyTuple extends Array<unknown> {}

/** Builds a PyTuple from items (`new PyTuple(n)` would mean a length, as with Array). */
export function tuple(items: readonly unknown[]): PyTuple {
  const t = new PyTuple();
  for (const x of items) t.push(x);
  return t;
}

/** An instance of a TorchScript class (`__torch__.*`): its qualified name and the state BUILD gave it. */
export class PyObject {
  /** `undefined` until BUILD runs (TorchScript always builds its objects). */
  state: unknown = undefined;
  constructor(readonly __class__: string) {}
}

export type StorageDType =
  | 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool' | 'float16' | 'bfloat16';

/** A storage record `data/<key>` of `numel` elements, from the persistent id ('storage', Type, key, location, numel). */
export interface StorageRef {
  kind: 'storage';
  dtype: StorageDType;
  key: string;
  numel: number;
  location: string;
}

/** A tensor as `torch._utils._rebuild_tensor_v2` describes it: a strided view over a storage. */
export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
  requiresGrad: boolean;
  /** Set by `torch._utils._rebuild_parameter`. */
  isParameter: boolean;
}

/** `torch.device('cpu')`, as `cpu` or `cuda:0`. */
export interface DeviceRef {
  kind: 'device';
  device: string;
}

/** What a GLOBAL opcode resolves to: the caller's hooks decide what calling or instantiating it means. */
export interface PickleGlobal {
  readonly module: string;
  readonly name: string;
  /** REDUCE: `global(*args)`. */
  call?(args: PyTuple): unknown;
  /** NEWOBJ: `global.__new__(global, *args)`. */
  create?(args: PyTuple): unknown;
}

export function isPickleGlobal(x: unknown): x is PickleGlobal {
  return typeof x === 'object' && x !== null && typeof (x as PickleGlobal).module === 'string' &&
    typeof (x as PickleGlobal).name === 'string' && !(x instanceof PyObject);
}

export function isTensorRef(x: unknown): x is TensorRef {
  return typeof x === 'object' && x !== null && (x as TensorRef).kind === 'tensor';
}

export function isDeviceRef(x: unknown): x is DeviceRef {
  return typeof x === 'object' && x !== null && (x as DeviceRef).kind === 'device';
}
