// The autograd node of one call of a differentiated graph (PyTorch's DifferentiableGraphBackward):
// it holds the values the forward graph `f` saved and, when backward reaches it, runs the
// backward graph `df` once for all outputs, so scripted outputs join eager autograd.
import { Tensor, keep } from '../../sdk/tensor.js';
import { callOp } from '../../ops/dispatch.js';
import { AutogradError, GradNode } from '../../autograd/node.js';
import { edgeOf } from '../../autograd/backward.js';
import type { Graph } from '../ir.js';
import type { Differentiated } from './differentiate.js';

/** Runs a graph on JS values (the interpreter, with fusion groups). */
export type GraphRunner = (g: Graph, args: readonly unknown[]) => unknown;

export class DifferentiableGraphNode extends GradNode {
  readonly name = 'DifferentiableGraphBackward';
  private saved: Tensor[] | null;
  private readonly versions: number[];
  private readonly zeros: [number[], string][];

  /** `outputs` are f's outputs, `saved` the values df reads, `inputs` the tensors gradients flow to. */
  constructor(private readonly plan: Differentiated, private readonly run: GraphRunner, outputs: readonly Tensor[], saved: readonly Tensor[], inputs: readonly Tensor[]) {
    super();
    // Saved values are views the node owns (outside any tidy scope) until released.
    this.saved = saved.map((t) => keep(t.asStrided(t.shape, t.strides, t.offset)));
    this.versions = saved.map((t) => t.storage.version);
    this.zeros = outputs.map((t) => [[...t.shape], t.dtype]);
    this.next = inputs.map((t) => edgeOf(t));
  }

  apply(grads: (Tensor | null)[]): (Tensor | null)[] {
    if (!this.saved) throw new AutogradError('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Specify retain_graph=True if you need to backward through the graph a second time.');
    this.saved.forEach((t, i) => {
      if (t.storage.version !== this.versions[i])
        throw new AutogradError(`one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [${t.shape.join(', ')}]], which is saved by ${this.name}, is at version ${t.storage.version}; expected version ${this.versions[i]} instead.`);
    });
    // An output nothing flowed into gets a zero gradient (df takes one per differentiable output).
    const gs = this.plan.diffOutputs.flatMap((on, i) => (on ? [grads[i] ?? (callOp('aten::zeros', [this.zeros[i][0]], { dtype: this.zeros[i][1] }) as Tensor)] : []));
    const out = this.run(this.plan.df, [...gs, ...this.saved]);
    return this.plan.nDiff === 1 ? [out as Tensor | null] : (out as (Tensor | null)[]);
  }

  release(): void {
    this.saved?.forEach((t) => t.dispose());
    this.saved = null;
  }
}
