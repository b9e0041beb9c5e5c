// torch.optim.Adam and AdamW (_single_tensor_adam): bias-corrected moments, eps added after the
// bias-corrected square root, optional amsgrad; AdamW decays the weights directly.
import type { Tensor } from '../tensor.js';
import { ArgumentError } from '../errors.js';
import { Optimizer, op, type ParamGroup, type ParamState } from './optimizer.js';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

export class Adam extends Optimizer {
  /** AdamW's decoupled weight decay instead of Adam's L2 term. */
  protected readonly decoupled: boolean = false;

  constructor(params: Iterable<Tensor> | Iterable<Record<string, any>>, opts: AdamOptions = {}, defaultDecay = 0) {
    const d = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: defaultDecay, amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: null, ...opts };
    const name = new.target.name;
    if (d.lr < 0) throw new ArgumentError(name, `Invalid learning rate: ${d.lr}`);
    if (d.eps < 0) throw new ArgumentError(name, `Invalid epsilon value: ${d.eps}`);
    d.betas.forEach((b, i) => {
      if (b < 0 || b >= 1) throw new ArgumentError(name, `Invalid beta parameter at index ${i}: ${b}`);
    });
    if (d.weight_decay < 0) throw new ArgumentError(name, `Invalid weight_decay value: ${d.weight_decay}`);
    super(params, d);
  }

  protected update(p: Tensor, grad: Tensor, st: ParamState, g: ParamGroup): void {
    const [beta1, beta2] = g.betas as [number, number];
    let d = g.maximize ? op('neg', [grad]) : grad;
    if (st.step === undefined) {
      st.step = 0;
      st.exp_avg = op('zeros_like', [p]);
      st.exp_avg_sq = op('zeros_like', [p]);
      if (g.amsgrad) st.max_exp_avg_sq = op('zeros_like', [p]);
    }
    const step = (st.step = Number(st.step) + 1);
    if (g.weight_decay !== 0) {
      if (this.decoupled) op('mul_', [p, 1 - g.lr * g.weight_decay]);
      else d = op('add', [d, p], { alpha: g.weight_decay });
    }
    const m = st.exp_avg as Tensor, v = st.exp_avg_sq as Tensor;
    // exp_avg.lerp_(grad, 1 - beta1): self + w * (end - self).
    op('add_', [m, op('sub', [d, m])], { alpha: 1 - beta1 });
    op('add_', [op('mul_', [v, beta2]), op('mul', [d, d])], { alpha: 1 - beta2 });
    const stepSize = g.lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = v;
    if (g.amsgrad) {
      const mx = st.max_exp_avg_sq as Tensor;
      op('copy_', [mx, op('maximum', [mx, v])]);
      second = mx;
    }
    const denom = op('add_', [op('div', [op('sqrt', [second]), bc2Sqrt]), g.eps]);
    // param.addcdiv_(exp_avg, denom, value=-step_size)
    op('add_', [p, op('div', [m, denom])], { alpha: -stepSize });
  }
}

export class AdamW extends Adam {
  protected readonly decoupled = true;
  constructor(params: Iterable<Tensor> | Iterable<Record<string, any>>, opts: AdamOptions = {}) {
    super(params, opts, 1e-2);
  }
}
