// torch.nn: modules, parameters and functional.
export { Module, Parameter } from './module.js';
export { Sequential, ModuleList, ModuleDict } from './layers/containers.js';
export { Conv2d, ConvTranspose2d } from './layers/conv.js';
export { Linear, Identity, Flatten, Dropout } from './layers/linear.js';
export { BatchNorm2d, InstanceNorm2d, LayerNorm, GroupNorm } from './layers/norm.js';
export { ReLU, ReLU6, Sigmoid, Tanh, SiLU, Hardswish, Hardsigmoid, GELU, Hardtanh, LeakyReLU, ELU, Softmax, LogSoftmax } from './layers/activation.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './layers/pooling.js';
export { ReflectionPad2d, ZeroPad2d, Upsample, PixelShuffle } from './layers/resample.js';
export { functional } from './functional/index.js';
export { MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, NLLLoss, CrossEntropyLoss } from './layers/loss.js';
