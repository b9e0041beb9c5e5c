// MaxPool2d, AvgPool2d, AdaptiveAvgPool2d.
import { Module } from '../module.js';
import { functional as F } from '../functional/index.js';
import type { Tensor } from '../../tensor.js';

type IntOr2 = number | [number, number];
const show = (v: IntOr2) => (Array.isArray(v) ? `(${v.join(', ')})` : String(v));

export class MaxPool2d extends Module {
  constructor(readonly kernelSize: IntOr2, readonly opts: { stride?: IntOr2; padding?: IntOr2; dilation?: IntOr2; ceil_mode?: boolean } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    const o = this.opts;
    return F.max_pool2d(x, this.kernelSize, o.stride ?? this.kernelSize, o.padding ?? 0, o.dilation ?? 1, o.ceil_mode ?? false);
  }
  extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${show(this.kernelSize)}, stride=${show(o.stride ?? this.kernelSize)}, padding=${show(o.padding ?? 0)}, dilation=${show(o.dilation ?? 1)}, ceil_mode=${o.ceil_mode ? 'True' : 'False'}`;
  }
}

export class AvgPool2d extends Module {
  constructor(readonly kernelSize: IntOr2, readonly opts: { stride?: IntOr2; padding?: IntOr2; ceil_mode?: boolean; count_include_pad?: boolean; divisor_override?: number | null } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    const o = this.opts;
    return F.avg_pool2d(x, this.kernelSize, o.stride ?? this.kernelSize, o.padding ?? 0, o.ceil_mode ?? false, o.count_include_pad ?? true, o.divisor_override ?? null);
  }
  extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${show(this.kernelSize)}, stride=${show(o.stride ?? this.kernelSize)}, padding=${show(o.padding ?? 0)}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: IntOr2) {
    super();
  }
  forward(x: Tensor): Tensor {
    return F.adaptive_avg_pool2d(x, this.outputSize);
  }
  extraRepr(): string {
    return `output_size=${show(this.outputSize)}`;
  }
}
