// Public surface of src/serialize: zip, DEFLATE, pickle and .npy, with no engine dependency.

export { SerializeError, ZipError, PickleError, NpyError } from './errors.js';
export { crc32 } from './crc32.js';
export { inflateRaw } from './inflate.js';
export { deflateRaw } from './deflate.js';
export { readZip, writeZip, ZipReader, type ZipEntryInput, type ZipWriteOptions } from './zip.js';
export { unpickle, pickle, type UnpickleOptions, type PickleOptions } from './pickle.js';
export {
  PyFloat, PyTuple, PyObject, tuple, isPickleGlobal, isTensorRef, isDeviceRef,
  type PickleGlobal, type StorageDType, type StorageRef, type TensorRef, type DeviceRef,
} from './pickle-values.js';
export {
  torchUnpickleOptions, STORAGE_DTYPES, DTYPE_ITEMSIZE, LIST_BUILDERS, type StorageType, type TorchUnpickleOptions,
} from './torch-globals.js';
export { readNpy, writeNpy, readNpz, type NpyArray, type NpyDType, type NpyInput } from './npy.js';
