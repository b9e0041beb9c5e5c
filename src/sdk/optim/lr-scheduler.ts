// torch.optim.lr_scheduler.StepLR: lr = initial_lr * gamma ** floor(epoch / step_size), per group.
import { ArgumentError } from '../errors.js';
import type { Optimizer } from './optimizer.js';

export class StepLR {
  last_epoch = 0;
  readonly base_lrs: number[];

  constructor(readonly optimizer: Optimizer, readonly step_size: number, readonly gamma = 0.1) {
    if (!Number.isInteger(step_size) || step_size <= 0) throw new ArgumentError('StepLR', `step_size must be a positive integer, got ${step_size}`);
    for (const g of optimizer.param_groups) g.initial_lr ??= g.lr;
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr);
  }

  /** Call after optimizer.step(), once per epoch. */
  step(): void {
    this.last_epoch++;
    if (this.last_epoch % this.step_size === 0) for (const g of this.optimizer.param_groups) g.lr *= this.gamma;
  }

  get_last_lr(): number[] {
    return this.optimizer.param_groups.map((g) => g.lr);
  }

  state_dict(): Record<string, any> {
    return { step_size: this.step_size, gamma: this.gamma, base_lrs: [...this.base_lrs], last_epoch: this.last_epoch, _last_lr: this.get_last_lr() };
  }
}
