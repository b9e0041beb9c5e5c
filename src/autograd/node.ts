// The autograd graph: one GradNode per recorded op call, edges to the nodes that made its inputs,
// AccumulateGrad at leaves (micrograd's toposort + lookup, with PyTorch's bookkeeping).
import { Tensor, keep } from '../sdk/tensor.js';
import { TorchwickError } from '../sdk/errors.js';
import type { OpRow } from '../ops/table.js';

export class AutogradError extends TorchwickError {}

/** Where a gradient flows: into `node`'s output number `slot`. */
export interface Edge {
  node: GradNode;
  slot: number;
}

/** Gradient of each output in, gradient of each tensor argument out (null where none). */
export type GradRule = (grads: (Tensor | null)[], args: readonly any[], outputs: readonly Tensor[]) => (Tensor | null | (Tensor | null)[])[];

export abstract class GradNode {
  abstract readonly name: string;
  /** Per argument position: the edge (or list of edges for Tensor[] arguments). */
  next: (Edge | null | (Edge | null)[])[] = [];
  abstract apply(grads: (Tensor | null)[]): (Tensor | null | (Tensor | null)[])[];
  release(): void {}
}

/** A saved tensor and the storage version it had when saved (PyTorch's SavedVariable). */
class Saved {
  readonly version: number;
  constructor(readonly tensor: Tensor, readonly outputOf: string, readonly index: number) {
    this.version = tensor.storage.version;
  }
  unpack(): Tensor {
    if (this.tensor.isDisposed) throw new AutogradError('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.');
    const now = this.tensor.storage.version;
    if (now !== this.version)
      throw new AutogradError(`one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [${this.tensor.shape.join(', ')}]], which is ${this.outputOf} ${this.index}, is at version ${now}; expected version ${this.version} instead.`);
    return this.tensor;
  }
}

// Saved views belong to the node (outside any tidy scope) until it is released.
const view = (t: Tensor): Tensor => keep(t.asStrided(t.shape, t.strides));
const save = (v: any, of: string, i: number): any =>
  v instanceof Tensor ? new Saved(view(v), of, i) : Array.isArray(v) ? v.map((x) => save(x, of, i)) : v;
const unpack = (v: any): any => (v instanceof Saved ? v.unpack() : Array.isArray(v) ? v.map(unpack) : v);
const releaseSaved = (v: any): void => (v instanceof Saved ? v.tensor.dispose() : Array.isArray(v) ? v.forEach(releaseSaved) : undefined);

/** The node of one op call: saves its arguments and outputs (as views) for the rule. */
export class OpNode extends GradNode {
  readonly name: string;
  private args: any[];
  private outputs: Saved[];
  private released = false;

  constructor(readonly row: OpRow, args: readonly any[], outputs: readonly Tensor[]) {
    super();
    const base = row.parsed.name.split('::')[1].replace(/_$/, '');
    this.name = `${base[0].toUpperCase()}${base.slice(1).replace(/_(\w)/g, (_, c) => c.toUpperCase())}Backward0`;
    this.args = args.map((a, i) => save(a, 'input', i));
    this.outputs = outputs.map((o, i) => new Saved(view(o), 'output', i));
  }

  apply(grads: (Tensor | null)[]): (Tensor | null | (Tensor | null)[])[] {
    if (this.released) throw new AutogradError('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.');
    return this.row.grad!(grads, this.args.map(unpack), this.outputs.map((o) => o.unpack()));
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.args.forEach(releaseSaved);
    this.outputs.forEach(releaseSaved);
  }
}

/** The sink of a leaf tensor: adds incoming gradients into `tensor.grad`. */
export class AccumulateGrad extends GradNode {
  readonly name = 'AccumulateGrad';
  constructor(readonly tensor: Tensor) {
    super();
  }
  apply(): never {
    throw new Error('AccumulateGrad is applied by the engine');
  }
}
