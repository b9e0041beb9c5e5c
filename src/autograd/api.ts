// The user-facing autograd API: Tensor.backward, torch.autograd.grad, requires_grad_.
import { Tensor } from '../sdk/tensor.js';
import { callOp } from '../ops/dispatch.js';
import { AutogradError } from './node.js';
import { runBackward } from './backward.js';

export interface BackwardOptions {
  retain_graph?: boolean;
  create_graph?: boolean;
}

/** tensor.backward(gradient?): accumulates d(tensor)/d(leaf) into every leaf's .grad. */
export function backward(t: Tensor, gradient: Tensor | null = null, opts: BackwardOptions = {}): void {
  if (!t.requiresGrad) throw new AutogradError('element 0 of tensors does not require grad and does not have a grad_fn');
  let g: Tensor;
  if (!gradient) {
    if (t.numel !== 1) throw new AutogradError('grad can be implicitly created only for scalar outputs');
    g = callOp('aten::ones_like', [t]);
  } else if (gradient.shape.join() !== t.shape.join())
    throw new AutogradError(`Mismatch in shape: grad_output[0] has a shape of torch.Size([${gradient.shape.join(', ')}]) and output[0] has a shape of torch.Size([${t.shape.join(', ')}]).`);
  else g = gradient;
  runBackward([t], [g], { retainGraph: opts.retain_graph ?? opts.create_graph, createGraph: opts.create_graph });
  if (!gradient) g.dispose();
}

/** torch.autograd.grad(outputs, inputs, grad_outputs?): gradients returned, .grad untouched. */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], gradOutputs: Tensor | Tensor[] | null = null, opts: BackwardOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const gs = gradOutputs ? (Array.isArray(gradOutputs) ? gradOutputs : [gradOutputs]) : outs.map((o) => {
    if (o.numel !== 1) throw new AutogradError('grad can be implicitly created only for scalar outputs');
    return callOp('aten::ones_like', [o]);
  });
  return runBackward(outs, gs, { retainGraph: opts.retain_graph ?? opts.create_graph, createGraph: opts.create_graph, inputs: ins });
}

export function requiresGrad_(t: Tensor, on = true): Tensor {
  if (t.gradFn && !on) throw new AutogradError('you can only change requires_grad flags of leaf variables.');
  t.requiresGrad = on;
  return t;
}
