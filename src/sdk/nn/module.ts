// nn.Module and nn.Parameter. Submodules and parameters are found from the module's own fields
// (JS has no __setattr__ hook): a Parameter field is a parameter, a Module field a submodule;
// buffers are registered explicitly, as in PyTorch.
import { Tensor } from '../tensor.js';
import { OpError } from '../errors.js';
import { copyInto } from '../../ops/exec.js';

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage.retain(), data.dtype, data.shape, data.strides, data.offset);
    this.requiresGrad = requiresGrad;
  }
  /** A Parameter that takes over `t` (whose own reference is released). */
  static adopt(t: Tensor, requiresGrad = true): Parameter {
    const p = new Parameter(t, requiresGrad);
    t.dispose();
    return p;
  }
}

export class Module {
  training = true;
  /** Buffers by name (running statistics and the like): part of state_dict, not parameters. */
  protected readonly _buffers = new Map<string, Tensor | null>();

  forward(..._args: any[]): any {
    throw new OpError(this.constructor.name, 'Module has no forward()');
  }
  /** `module(x)` in PyTorch. */
  call(...args: any[]): any {
    return this.forward(...args);
  }

  registerBuffer(name: string, t: Tensor | null): void {
    this._buffers.set(name, t);
  }

  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Module) yield [k, v];
  }
  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }
  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k);
  }
  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }

  *namedParameters(prefix = '', recurse = true): Generator<[string, Parameter]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Parameter) yield [prefix ? `${prefix}.${k}` : k, v];
    if (recurse) for (const [k, m] of this.namedChildren()) yield* m.namedParameters(prefix ? `${prefix}.${k}` : k);
  }
  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }
  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [k, v] of this._buffers) if (v) yield [prefix ? `${prefix}.${k}` : k, v];
    for (const [k, m] of this.namedChildren()) yield* m.namedBuffers(prefix ? `${prefix}.${k}` : k);
  }
  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, b]) => b);
  }

  /** Parameters then buffers of each module, in PyTorch's order, keyed by dotted name. */
  stateDict(prefix = ''): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [k, v] of Object.entries(this)) if (v instanceof Parameter) out.set(prefix + k, v);
    for (const [k, v] of this._buffers) if (v) out.set(prefix + k, v);
    for (const [k, m] of this.namedChildren()) for (const [n, t] of m.stateDict(`${prefix}${k}.`)) out.set(n, t);
    return out;
  }

  /** Copies values into this module's tensors; strict: every key must match, shapes too. */
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>, strict = true): { missingKeys: string[]; unexpectedKeys: string[] } {
    const given = state instanceof Map ? state : new Map(Object.entries(state));
    const own = this.stateDict();
    const missingKeys = [...own.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length))
      throw new OpError('load_state_dict', `Error(s) in loading state_dict for ${this.constructor.name}: missing keys ${JSON.stringify(missingKeys)}, unexpected keys ${JSON.stringify(unexpectedKeys)}`);
    for (const [k, t] of own) {
      const src = given.get(k);
      if (!src) continue;
      if (src.shape.join() !== t.shape.join())
        throw new OpError('load_state_dict', `size mismatch for ${k}: copying a param with shape [${src.shape}] from checkpoint, the shape in current model is [${t.shape}].`);
      copyInto(t, src);
    }
    return { missingKeys, unexpectedKeys };
  }

  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** The text inside the parentheses of this module's repr (PyTorch's extra_repr). */
  extraRepr(): string {
    return '';
  }
  toString(): string {
    const children = [...this.namedChildren()];
    const name = this.constructor.name;
    if (!children.length) return `${name}(${this.extraRepr()})`;
    const lines = children.map(([k, m]) => `  (${k}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    return `${name}(\n${extra ? `  ${extra}\n` : ''}${lines.join('\n')}\n)`;
  }
}
