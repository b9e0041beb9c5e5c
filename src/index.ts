// torchwick: PyTorch's JIT on WebAssembly. `import * as torch from 'torchwick'`.
export { torch, ops, call } from './sdk/torch.js';
export { Tensor, tidy, keep } from './sdk/tensor.js';
export { tensor, fromTypedArray } from './sdk/creation.js';
export { manual_seed, Generator } from './sdk/random.js';
export * as nn from './sdk/nn/index.js';
export { functional } from './sdk/nn/functional/index.js';
export { init, engine } from './engine/engine.js';
export * from './sdk/errors.js';
export type { DType } from './sdk/dtype.js';
export { jit } from './jit/index.js';
