// BatchNorm2d, InstanceNorm2d, LayerNorm, GroupNorm.
import { Module, Parameter } from '../module.js';
import { functional as F } from '../functional/index.js';
import { fill } from '../init.js';
import type { Tensor } from '../../tensor.js';

interface NormOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
  track_running_stats?: boolean;
}

/** Python's repr of a float: `1e-05`, `0.1`, `1.0`. */
export function pyFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

abstract class Norm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  constructor(readonly numFeatures: number, opts: NormOptions, defaults: { affine: boolean; track: boolean }) {
    super();
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.affine = opts.affine ?? defaults.affine;
    this.trackRunningStats = opts.track_running_stats ?? defaults.track;
    this.weight = this.affine ? Parameter.adopt(fill([numFeatures], 1)) : null;
    this.bias = this.affine ? Parameter.adopt(fill([numFeatures], 0)) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', fill([numFeatures], 0));
      this.registerBuffer('running_var', fill([numFeatures], 1));
      this.registerBuffer('num_batches_tracked', fill([], 0, 'int64'));
    }
  }
  protected buffer(name: string): Tensor | null {
    return this._buffers.get(name) ?? null;
  }
  extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${this.affine ? 'True' : 'False'}, track_running_stats=${this.trackRunningStats ? 'True' : 'False'}`;
  }
}

export class BatchNorm2d extends Norm {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts, { affine: true, track: true });
  }
  forward(x: Tensor): Tensor {
    const useBatch = this.training || !this.trackRunningStats;
    if (this.training && this.trackRunningStats) this.buffer('num_batches_tracked')!.add_(1);
    return F.batch_norm(x, this.buffer('running_mean'), this.buffer('running_var'), this.weight, this.bias, useBatch, this.momentum, this.eps);
  }
}

export class InstanceNorm2d extends Norm {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts, { affine: false, track: false });
  }
  forward(x: Tensor): Tensor {
    const useInput = this.training || !this.trackRunningStats;
    return F.instance_norm(x, this.buffer('running_mean'), this.buffer('running_var'), this.weight, this.bias, useInput, this.momentum, this.eps);
  }
}

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];
  constructor(normalizedShape: number | number[], readonly opts: { eps?: number; elementwise_affine?: boolean } = {}) {
    super();
    this.normalizedShape = Array.isArray(normalizedShape) ? normalizedShape : [normalizedShape];
    const affine = opts.elementwise_affine ?? true;
    this.weight = affine ? Parameter.adopt(fill(this.normalizedShape, 1)) : null;
    this.bias = affine ? Parameter.adopt(fill(this.normalizedShape, 0)) : null;
  }
  forward(x: Tensor): Tensor {
    return F.layer_norm(x, this.normalizedShape, this.weight, this.bias, this.opts.eps ?? 1e-5);
  }
  extraRepr(): string {
    return `(${this.normalizedShape.join(', ')},), eps=${pyFloat(this.opts.eps ?? 1e-5)}, elementwise_affine=${this.weight ? 'True' : 'False'}`;
  }
}

export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(readonly numGroups: number, readonly numChannels: number, readonly opts: { eps?: number; affine?: boolean } = {}) {
    super();
    const affine = opts.affine ?? true;
    this.weight = affine ? Parameter.adopt(fill([numChannels], 1)) : null;
    this.bias = affine ? Parameter.adopt(fill([numChannels], 0)) : null;
  }
  forward(x: Tensor): Tensor {
    return F.group_norm(x, this.numGroups, this.weight, this.bias, this.opts.eps ?? 1e-5);
  }
  extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.opts.eps ?? 1e-5)}, affine=${this.weight ? 'True' : 'False'}`;
  }
}
