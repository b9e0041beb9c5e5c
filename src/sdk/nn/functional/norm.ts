// torch.nn.functional normalization functions: PyTorch's Python signatures (positional, or keyword
// arguments in a trailing options object), with its Python-level checks, each ending in one
// op-table call.
import { callOp } from '../../../ops/dispatch.js';
import { OpError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { pyfn } from '../../args.js';

const sizeText = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;
const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** PyTorch's _verify_batch_size: training statistics need more than one value per channel. */
function verifyBatchSize(fn: string, size: readonly number[], input: Tensor): void {
  if (size[0] * prod(size.slice(2)) === 1) throw new OpError(`torch.nn.functional.${fn}`, `Expected more than 1 value per channel when training, got input size ${sizeText(input)}`);
}

const batch_norm = pyfn('batch_norm', ['input', 'running_mean', 'running_var', ['weight', null], ['bias', null], ['training', false], ['momentum', 0.1], ['eps', 1e-5]], (a) => {
  if (a.training) verifyBatchSize('batch_norm', a.input.shape, a.input);
  return callOp('aten::batch_norm', [a.input, a.weight, a.bias, a.running_mean, a.running_var, a.training, a.momentum, a.eps, true]);
});

const instance_norm = pyfn(
  'instance_norm',
  ['input', ['running_mean', null], ['running_var', null], ['weight', null], ['bias', null], ['use_input_stats', true], ['momentum', 0.1], ['eps', 1e-5]],
  (a) => {
    if (a.use_input_stats && prod(a.input.shape.slice(2)) === 1)
      throw new OpError('torch.nn.functional.instance_norm', `Expected more than 1 spatial element when training, got input size ${sizeText(a.input)}`);
    return callOp('aten::instance_norm', [a.input, a.weight, a.bias, a.running_mean, a.running_var, a.use_input_stats, a.momentum, a.eps, true]);
  },
);

const layer_norm = pyfn('layer_norm', ['input', 'normalized_shape', ['weight', null], ['bias', null], ['eps', 1e-5]], (a) =>
  callOp('aten::layer_norm', [a.input, typeof a.normalized_shape === 'number' ? [a.normalized_shape] : a.normalized_shape, a.weight, a.bias, a.eps]),
);

const group_norm = pyfn('group_norm', ['input', 'num_groups', ['weight', null], ['bias', null], ['eps', 1e-5]], (a) => {
  const x: Tensor = a.input;
  if (x.dim < 2) throw new OpError('torch.nn.functional.group_norm', `Expected at least 2 dimensions for input tensor but received ${x.dim}`);
  verifyBatchSize('group_norm', [Math.floor((x.shape[0] * x.shape[1]) / a.num_groups), a.num_groups, ...x.shape.slice(2)], x);
  return callOp('aten::group_norm', [x, a.num_groups, a.weight, a.bias, a.eps]);
});

/** torch.nn.functional entries of this group. */
export const FUNCTIONAL: Record<string, (...args: any[]) => any> = { batch_norm, instance_norm, layer_norm, group_norm };
