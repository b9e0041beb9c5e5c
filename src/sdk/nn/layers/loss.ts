// Loss modules: each holds PyTorch's constructor options and calls torch.nn.functional with them.
// A class-weight or pos_weight tensor is registered as a buffer, as in PyTorch.
import { Module } from '../module.js';
import { functional as F } from '../functional/index.js';
import type { Tensor } from '../../tensor.js';

export interface LossOptions {
  reduction?: 'none' | 'mean' | 'sum';
}

/** A loss module: `forward(input, target)` = F[fn](input, target, {...options}). */
abstract class Loss extends Module {
  readonly reduction: string;
  constructor(private readonly fn: string, opts: LossOptions) {
    super();
    this.reduction = opts.reduction ?? 'mean';
  }
  /** Keyword arguments for the functional call besides reduction. */
  protected extra(): Record<string, any> {
    return {};
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F[this.fn](input, target, { ...this.extra(), reduction: this.reduction });
  }
}

export class MSELoss extends Loss {
  constructor(opts: LossOptions = {}) {
    super('mse_loss', opts);
  }
}

export class L1Loss extends Loss {
  constructor(opts: LossOptions = {}) {
    super('l1_loss', opts);
  }
}

export class BCELoss extends Loss {
  constructor(opts: LossOptions & { weight?: Tensor | null } = {}) {
    super('binary_cross_entropy', opts);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  protected extra() {
    return { weight: this._buffers.get('weight') ?? null };
  }
}

export class BCEWithLogitsLoss extends Loss {
  constructor(opts: LossOptions & { weight?: Tensor | null; pos_weight?: Tensor | null } = {}) {
    super('binary_cross_entropy_with_logits', opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('pos_weight', opts.pos_weight ?? null);
  }
  protected extra() {
    return { weight: this._buffers.get('weight') ?? null, pos_weight: this._buffers.get('pos_weight') ?? null };
  }
}

type ClassOptions = LossOptions & { weight?: Tensor | null; ignore_index?: number };

/** Losses over class indices: a per-class weight and an ignored target value. */
abstract class ClassLoss extends Loss {
  readonly ignore_index: number;
  constructor(fn: string, opts: ClassOptions) {
    super(fn, opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignore_index = opts.ignore_index ?? -100;
  }
  protected extra(): Record<string, any> {
    return { weight: this._buffers.get('weight') ?? null, ignore_index: this.ignore_index };
  }
}

export class NLLLoss extends ClassLoss {
  constructor(opts: ClassOptions = {}) {
    super('nll_loss', opts);
  }
}

export class CrossEntropyLoss extends ClassLoss {
  readonly label_smoothing: number;
  constructor(opts: ClassOptions & { label_smoothing?: number } = {}) {
    super('cross_entropy', opts);
    this.label_smoothing = opts.label_smoothing ?? 0;
  }
  protected extra() {
    return { ...super.extra(), label_smoothing: this.label_smoothing };
  }
}
