// Activation modules: each forwards to torch.nn.functional with its options.
import { Module } from '../module.js';
import { functional as F } from '../functional/index.js';
import { pyFloat } from './norm.js';
import type { Tensor } from '../../tensor.js';

type ActivationClass = new (options?: Record<string, any>) => Module & { forward(x: Tensor): Tensor };

/** A module class that calls F[name](x, ...args), printing `repr` inside its parentheses. */
function activation(name: string, fn: string, argsOf: (m: any) => any[] = () => [], repr: (m: any) => string = () => ''): ActivationClass {
  const cls = class extends Module {
    constructor(readonly options: Record<string, any> = {}) {
      super();
    }
    forward(x: Tensor): Tensor {
      return this.options.inplace ? F[fn](x, ...argsOf(this.options), { inplace: true }) : F[fn](x, ...argsOf(this.options));
    }
    extraRepr(): string {
      return [repr(this.options), this.options.inplace ? 'inplace=True' : ''].filter(Boolean).join(', ');
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

export const ReLU = activation('ReLU', 'relu');
export const ReLU6 = activation('ReLU6', 'relu6');
export const Sigmoid = activation('Sigmoid', 'sigmoid');
export const Tanh = activation('Tanh', 'tanh');
export const SiLU = activation('SiLU', 'silu');
export const Hardswish = activation('Hardswish', 'hardswish');
export const Hardsigmoid = activation('Hardsigmoid', 'hardsigmoid');
export const GELU = activation('GELU', 'gelu', (o) => [o.approximate ?? 'none'], (o) => `approximate='${o.approximate ?? 'none'}'`);
export const Hardtanh = activation('Hardtanh', 'hardtanh', (o) => [o.min_val ?? -1, o.max_val ?? 1], (o) => `min_val=${pyFloat(o.min_val ?? -1)}, max_val=${pyFloat(o.max_val ?? 1)}`);
export const LeakyReLU = activation('LeakyReLU', 'leaky_relu', (o) => [o.negative_slope ?? 0.01], (o) => `negative_slope=${pyFloat(o.negative_slope ?? 0.01)}`);
export const ELU = activation('ELU', 'elu', (o) => [o.alpha ?? 1], (o) => `alpha=${pyFloat(o.alpha ?? 1)}`);
export const Softmax = activation('Softmax', 'softmax', (o) => [o.dim ?? null], (o) => `dim=${o.dim ?? 'None'}`);
export const LogSoftmax = activation('LogSoftmax', 'log_softmax', (o) => [o.dim ?? null], (o) => `dim=${o.dim ?? 'None'}`);
