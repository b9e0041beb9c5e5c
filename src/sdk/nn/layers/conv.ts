// Conv2d and ConvTranspose2d with PyTorch's default initialisation.
import { Module, Parameter } from '../module.js';
import { functional as F } from '../functional/index.js';
import { OpError } from '../../errors.js';
import { pair, uniform } from '../init.js';
import type { Tensor } from '../../tensor.js';

export interface ConvOptions {
  stride?: number | number[];
  padding?: number | number[] | 'same' | 'valid';
  dilation?: number | number[];
  groups?: number;
  bias?: boolean;
  padding_mode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  output_padding?: number | number[];
}

abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | number[], opts: ConvOptions, transposed: boolean) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? 1);
    this.padding = typeof opts.padding === 'string' ? opts.padding : pair(opts.padding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    this.groups = opts.groups ?? 1;
    if (inChannels % this.groups) throw new OpError(this.constructor.name, 'in_channels must be divisible by groups');
    if (outChannels % this.groups) throw new OpError(this.constructor.name, 'out_channels must be divisible by groups');
    const shape = transposed ? [inChannels, outChannels / this.groups, ...this.kernelSize] : [outChannels, inChannels / this.groups, ...this.kernelSize];
    const fanIn = shape[1] * this.kernelSize[0] * this.kernelSize[1];
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = Parameter.adopt(uniform(shape, bound));
    this.bias = opts.bias === false ? null : Parameter.adopt(uniform([outChannels], bound));
  }

  extraRepr(): string {
    const s = [`${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize.join(', ')}), stride=(${this.stride.join(', ')})`];
    if (typeof this.padding === 'string') s.push(`padding=${this.padding}`);
    else if (this.padding.some((p) => p)) s.push(`padding=(${this.padding.join(', ')})`);
    if (this.dilation.some((d) => d !== 1)) s.push(`dilation=(${this.dilation.join(', ')})`);
    if (this.groups !== 1) s.push(`groups=${this.groups}`);
    if (!this.bias) s.push('bias=False');
    return s.join(', ');
  }
}

export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvOptions = {}) {
    super(inChannels, outChannels, kernelSize, opts, false);
  }
  forward(x: Tensor): Tensor {
    return F.conv2d(x, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }
}

export class ConvTranspose2d extends ConvNd {
  readonly outputPadding: [number, number];
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvOptions = {}) {
    super(inChannels, outChannels, kernelSize, opts, true);
    this.outputPadding = pair(opts.output_padding ?? 0);
  }
  forward(x: Tensor): Tensor {
    return F.conv_transpose2d(x, this.weight, this.bias, this.stride, this.padding, this.outputPadding, this.groups, this.dilation);
  }
}
