// torch.optim.SGD (_single_tensor_sgd): weight decay, momentum with dampening, Nesterov, maximize.
import type { Tensor } from '../tensor.js';
import { ArgumentError } from '../errors.js';
import { Optimizer, op, type ParamGroup, type ParamState } from './optimizer.js';

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

export class SGD extends Optimizer {
  constructor(params: Iterable<Tensor> | Iterable<Record<string, any>>, opts: SGDOptions = {}) {
    const d = { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null, differentiable: false, fused: null, ...opts };
    if (d.lr < 0) throw new ArgumentError('SGD', `Invalid learning rate: ${d.lr}`);
    if (d.momentum < 0) throw new ArgumentError('SGD', `Invalid momentum value: ${d.momentum}`);
    if (d.weight_decay < 0) throw new ArgumentError('SGD', `Invalid weight_decay value: ${d.weight_decay}`);
    if (d.nesterov && (d.momentum <= 0 || d.dampening !== 0)) throw new ArgumentError('SGD', 'Nesterov momentum requires a momentum and zero dampening');
    super(params, d);
  }

  protected update(p: Tensor, grad: Tensor, st: ParamState, g: ParamGroup): void {
    let d = g.maximize ? op('neg', [grad]) : grad;
    if (g.weight_decay !== 0) d = op('add', [d, p], { alpha: g.weight_decay });
    if (g.momentum !== 0) {
      let buf = st.momentum_buffer as Tensor | null | undefined;
      if (!buf) buf = st.momentum_buffer = op('clone', [d]);
      else op('add_', [op('mul_', [buf, g.momentum]), d], { alpha: 1 - g.dampening });
      d = g.nesterov ? op('add', [d, buf], { alpha: g.momentum }) : buf;
    }
    op('add_', [p, d], { alpha: -g.lr });
  }
}
