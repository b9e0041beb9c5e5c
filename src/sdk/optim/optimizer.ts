// torch.optim.Optimizer: parameter groups with their hyperparameters, per-parameter state, and
// PyTorch's state_dict layout (parameters numbered in group order). Updates run under no_grad
// with in-place op calls, so parameters stay the same leaf tensors.
import { Tensor, keep, tidy } from '../tensor.js';
import { ArgumentError } from '../errors.js';
import { callOp } from '../../ops/dispatch.js';
import { no_grad } from '../../autograd/mode.js';

export type ParamGroup = Record<string, any> & { params: Tensor[] };
/** Per-parameter state: numbers and tensors (step counts, moment buffers). */
export type ParamState = Record<string, number | Tensor | null>;

export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: (Record<string, any> & { params: number[] })[];
}

/** An op call by short name: `op('add_', [p, g], { alpha })`. */
export const op = (name: string, args: any[], kwargs?: Record<string, any>): Tensor => callOp(`aten::${name}`, args, kwargs);

export abstract class Optimizer {
  readonly param_groups: ParamGroup[] = [];
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: Iterable<Tensor> | Iterable<Record<string, any>>, readonly defaults: Record<string, any>) {
    const list = [...params];
    if (!list.length) throw new ArgumentError(this.constructor.name, 'optimizer got an empty parameter list');
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as Record<string, any>[]);
    for (const g of groups) this.add_param_group(g);
  }

  add_param_group(group: Record<string, any>): void {
    const params: Tensor[] = group.params instanceof Tensor ? [group.params] : [...group.params];
    const seen = new Set(this.param_groups.flatMap((g) => g.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ArgumentError(this.constructor.name, `optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.requiresGrad || p.gradFn) throw new ArgumentError(this.constructor.name, "can't optimize a non-leaf Tensor");
      if (seen.has(p)) throw new ArgumentError(this.constructor.name, 'some parameters appear in more than one parameter group');
    }
    this.param_groups.push({ ...this.defaults, ...group, params });
  }

  /** Clears gradients: set_to_none (default) drops them, otherwise they are zeroed in place. */
  zero_grad(set_to_none = true): void {
    for (const g of this.param_groups)
      for (const p of g.params) {
        if (!p.grad) continue;
        if (set_to_none) {
          p.grad.dispose();
          p.grad = null;
        } else no_grad(() => op('zero_', [p.grad]));
      }
  }

  /** One update of every parameter that has a gradient; `closure` re-evaluates the loss first. */
  step(closure?: () => Tensor): Tensor | undefined {
    const loss = closure ? closure() : undefined;
    no_grad(() =>
      tidy(() => {
        for (const group of this.param_groups)
          for (const p of group.params) {
            if (!p.grad) continue;
            let st = this.state.get(p);
            if (!st) this.state.set(p, (st = {}));
            this.update(p, p.grad, st, group);
            for (const v of Object.values(st)) if (v instanceof Tensor) keep(v);
          }
      }),
    );
    return loss;
  }

  /** The algorithm: updates `p` in place from `grad`, keeping what it needs in `state`. */
  protected abstract update(p: Tensor, grad: Tensor, state: ParamState, group: ParamGroup): void;

  state_dict(): OptimizerStateDict {
    const ids = new Map<Tensor, number>();
    const param_groups = this.param_groups.map((g) => ({ ...g, params: g.params.map((p) => ids.get(p) ?? (ids.set(p, ids.size), ids.size - 1)) }));
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) if (ids.has(p)) state[ids.get(p)!] = { ...st };
    return { state, param_groups };
  }

  /** Restores hyperparameters and state (tensors are copied) from a state_dict of the same layout. */
  load_state_dict(sd: OptimizerStateDict): void {
    if (sd.param_groups.length !== this.param_groups.length) throw new ArgumentError('load_state_dict', 'loaded state dict has a different number of parameter groups');
    const byId = new Map<number, Tensor>();
    sd.param_groups.forEach((g, i) => {
      const own = this.param_groups[i];
      if (g.params.length !== own.params.length) throw new ArgumentError('load_state_dict', "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      g.params.forEach((id, k) => byId.set(id, own.params[k]));
      Object.assign(own, { ...g, params: own.params });
    });
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
    for (const [id, st] of Object.entries(sd.state)) {
      const p = byId.get(Number(id));
      if (!p) continue;
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(st)) copy[k] = v instanceof Tensor ? keep(op('clone', [v])) : v;
      this.state.set(p, copy);
    }
  }
}
