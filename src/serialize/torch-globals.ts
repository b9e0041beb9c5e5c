// The globals a TorchScript archive may name (torch/csrc/jit/serialization/unpickler.cpp readGlobal, and
// torch/_weights_only_unpickler.py's allowlist). Everything else is refused, never executed.

import { PickleError } from './errors.js';
import type { UnpickleOptions } from './pickle.js';
import {
  DeviceRef, PickleGlobal, PyObject, PyTuple, StorageDType, StorageRef, TensorRef, isTensorRef,
} from './pickle-values.js';

/** `torch.<Name>` storage classes and the dtype each stands for. */
export const STORAGE_DTYPES: Readonly<Record<string, StorageDType>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

export const DTYPE_ITEMSIZE: Readonly<Record<StorageDType, number>> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/** A `torch.<X>Storage` global: only meaningful inside a persistent id. */
export interface StorageType extends PickleGlobal {
  readonly dtype: StorageDType;
}

/** Type tags that torch.jit._pickle's specialised list builders imply. */
export const LIST_BUILDERS: Readonly<Record<string, string>> = {
  build_intlist: 'List[int]',
  build_doublelist: 'List[float]',
  build_boollist: 'List[bool]',
  build_tensorlist: 'List[Tensor]',
};

export interface TorchUnpickleOptions extends UnpickleOptions {
  /** Container type tags from `restore_type_tag` and the `build_*list` builders, e.g. 'Dict[str, int]'. */
  readonly typeTags: WeakMap<object, string>;
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

function intList(x: unknown, what: string): number[] {
  if (!Array.isArray(x) || !x.every(isInt)) throw new PickleError(`_rebuild_tensor_v2: ${what} is not a tuple of ints`);
  return [...x];
}

function argc(name: string, args: PyTuple, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new PickleError(`${name} takes ${min === max ? min : `${min}-${max}`} arguments, got ${args.length}`);
  }
}

function rebuildTensor(args: PyTuple): TensorRef {
  argc('_rebuild_tensor_v2', args, 6, 7);
  const [storage, offset, size, stride, requiresGrad] = args;
  const st = storage as StorageRef;
  if (typeof st !== 'object' || st === null || st.kind !== 'storage') {
    throw new PickleError('_rebuild_tensor_v2: first argument is not a storage');
  }
  if (!isInt(offset)) throw new PickleError('_rebuild_tensor_v2: storage offset is not an int');
  const sz = intList(size, 'size'), sd = intList(stride, 'stride');
  if (sz.length !== sd.length) throw new PickleError('_rebuild_tensor_v2: size and stride differ in length');
  return { kind: 'tensor', storage: st, offset, size: sz, stride: sd, requiresGrad: requiresGrad === true, isParameter: false };
}

function rebuildParameter(args: PyTuple): TensorRef {
  argc('_rebuild_parameter', args, 3);
  const [t, requiresGrad] = args;
  if (!isTensorRef(t)) throw new PickleError('_rebuild_parameter: first argument is not a tensor');
  return { ...t, requiresGrad: requiresGrad === true, isParameter: true };
}

function device(args: PyTuple): DeviceRef {
  argc('torch.device', args, 1, 2);
  const [type, index] = args;
  if (typeof type !== 'string') throw new PickleError('torch.device: type is not a str');
  return { kind: 'device', device: isInt(index) ? `${type}:${index}` : type };
}

function storageFromPid(pid: unknown): StorageRef {
  if (!(pid instanceof PyTuple) || pid.length !== 5 || pid[0] !== 'storage') {
    throw new PickleError("persistent id is not a ('storage', type, key, location, numel) tuple");
  }
  const [, type, key, location, numel] = pid;
  const dtype = (type as StorageType | null)?.dtype;
  if (typeof dtype !== 'string') throw new PickleError('persistent id: storage type is not a torch.*Storage');
  if (typeof key !== 'string' || typeof location !== 'string' || !isInt(numel) || numel < 0) {
    throw new PickleError('persistent id: bad key, location or numel');
  }
  return { kind: 'storage', dtype, key, numel, location };
}

/**
 * Unpickle hooks for TorchScript archives (data.pkl, constants.pkl) and torch.save checkpoints:
 * tensors become TensorRef descriptions, `__torch__.*` classes PyObjects, and any other global throws.
 */
export function torchUnpickleOptions(): TorchUnpickleOptions {
  const typeTags = new WeakMap<object, string>();
  const tag = (x: unknown, type: string) => {
    if (typeof x === 'object' && x !== null) typeTags.set(x, type);
    return x;
  };
  const g = (module: string, name: string, hooks: Partial<PickleGlobal> = {}): PickleGlobal => ({ module, name, ...hooks });
  const findClass = (module: string, name: string): PickleGlobal => {
    const qualified = `${module}.${name}`;
    if (module === '__torch__' || module.startsWith('__torch__.')) {
      return g(module, name, { create: () => new PyObject(qualified) });
    }
    if (module === 'torch' && Object.hasOwn(STORAGE_DTYPES, name)) {
      const st: StorageType = { module, name, dtype: STORAGE_DTYPES[name] };
      return st;
    }
    if (module === 'torch.jit._pickle' && Object.hasOwn(LIST_BUILDERS, name)) {
      return g(module, name, {
        call: (args) => {
          argc(name, args, 1);
          if (!Array.isArray(args[0]) || args[0] instanceof PyTuple) throw new PickleError(`${name} expects a list`);
          return tag(args[0], LIST_BUILDERS[name]);
        },
      });
    }
    switch (qualified) {
      case 'torch._utils._rebuild_tensor_v2': return g(module, name, { call: rebuildTensor });
      case 'torch._utils._rebuild_parameter': return g(module, name, { call: rebuildParameter });
      // Backward hooks placeholder, or a real OrderedDict in torch.save state dicts.
      case 'collections.OrderedDict': return g(module, name, { call: () => new Map() });
      case 'torch.device': return g(module, name, { call: device });
      case 'torch.jit._pickle.restore_type_tag':
        return g(module, name, {
          call: (args) => {
            argc(name, args, 2);
            if (typeof args[1] !== 'string') throw new PickleError('restore_type_tag: type is not a str');
            return tag(args[0], args[1]);
          },
        });
    }
    throw new PickleError(`global '${qualified}' is not allowed`);
  };
  return { findClass, persistentLoad: storageFromPid, typeTags };
}
