// torch.nn.functional losses: PyTorch's Python signatures (legacy size_average/reduce included, as
// they hold positions), reduction strings mapped to at::Reduction, and the Python-level checks.
import { callOp } from '../../../ops/dispatch.js';
import { REDUCTION } from '../../../ops/loss.js';
import { ArgumentError, ShapeError } from '../../errors.js';
import { tidy, type Tensor } from '../../tensor.js';
import { pyfn } from '../../args.js';

const sizeText = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;

/** The reduction enum for a reduction string, honouring the legacy size_average/reduce flags. */
function reductionOf(fn: string, a: Record<string, any>): number {
  let r: string = a.reduction;
  if ((a.size_average ?? null) !== null || (a.reduce ?? null) !== null) {
    const sizeAverage = a.size_average ?? true, reduce = a.reduce ?? true;
    r = sizeAverage && reduce ? 'mean' : reduce ? 'sum' : 'none';
  }
  if (r === 'elementwise_mean') r = 'mean';
  if (!(r in REDUCTION)) throw new ArgumentError(`torch.nn.functional.${fn}`, `${r} is not a valid value for reduction`);
  return REDUCTION[r as keyof typeof REDUCTION];
}

const LEGACY: [string, unknown][] = [['size_average', null], ['reduce', null]];

/**
 * l1_loss / mse_loss(input, target, size_average, reduce, reduction='mean', weight=None): a weight
 * makes PyTorch compute the weighted loss in Python, mean dividing by the weight total.
 */
function regression(fn: string, row: string, elementwise: (d: Tensor) => Tensor) {
  return pyfn(fn, ['input', 'target', ...LEGACY, ['reduction', 'mean'], ['weight', null]], (a) => {
    const reduction = reductionOf(fn, a);
    if (a.weight === null) return callOp(row, [a.input, a.target, reduction]);
    if (a.weight.shape.join() !== a.input.shape.join()) throw new ShapeError(`torch.nn.functional.${fn}`, 'Weights and input must have the same size.');
    return tidy(() => {
      const weighted = callOp('aten::mul', [elementwise(callOp('aten::sub', [a.input, a.target])), a.weight]);
      if (reduction === REDUCTION.none) return weighted;
      const sum = callOp('aten::sum', [weighted]);
      return reduction === REDUCTION.sum ? sum : callOp('aten::div', [sum, callOp('aten::sum', [a.weight])]);
    });
  });
}

const mse_loss = regression('mse_loss', 'aten::mse_loss', (d) => callOp('aten::mul', [d, d]));
const l1_loss = regression('l1_loss', 'aten::l1_loss', (d) => callOp('aten::abs', [d]));

const smooth_l1_loss = pyfn('smooth_l1_loss', ['input', 'target', ...LEGACY, ['reduction', 'mean'], ['beta', 1.0]], (a) =>
  callOp('aten::smooth_l1_loss', [a.input, a.target, reductionOf('smooth_l1_loss', a), a.beta]),
);

const huber_loss = pyfn('huber_loss', ['input', 'target', ['reduction', 'mean'], ['delta', 1.0]], (a) => callOp('aten::huber_loss', [a.input, a.target, reductionOf('huber_loss', a), a.delta]));

const binary_cross_entropy = pyfn('binary_cross_entropy', ['input', 'target', ['weight', null], ...LEGACY, ['reduction', 'mean']], (a) => {
  if (a.target.shape.join() !== a.input.shape.join())
    throw new ShapeError('torch.nn.functional.binary_cross_entropy', `Using a target size (${sizeText(a.target)}) that is different to the input size (${sizeText(a.input)}) is deprecated. Please ensure they have the same size.`);
  return callOp('aten::binary_cross_entropy', [a.input, a.target, a.weight, reductionOf('binary_cross_entropy', a)]);
});

const binary_cross_entropy_with_logits = pyfn('binary_cross_entropy_with_logits', ['input', 'target', ['weight', null], ...LEGACY, ['reduction', 'mean'], ['pos_weight', null]], (a) => {
  if (a.target.shape.join() !== a.input.shape.join())
    throw new ShapeError('torch.nn.functional.binary_cross_entropy_with_logits', `Target size (${sizeText(a.target)}) must be the same as input size (${sizeText(a.input)})`);
  return callOp('aten::binary_cross_entropy_with_logits', [a.input, a.target, a.weight, a.pos_weight, reductionOf('binary_cross_entropy_with_logits', a)]);
});

const nll_loss = pyfn('nll_loss', ['input', 'target', ['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean']], (a) =>
  callOp('aten::nll_loss_nd', [a.input, a.target, a.weight, reductionOf('nll_loss', a), a.ignore_index]),
);

const cross_entropy = pyfn(
  'cross_entropy',
  ['input', 'target', ['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean'], ['label_smoothing', 0.0]],
  (a) => callOp('aten::cross_entropy_loss', [a.input, a.target, a.weight, reductionOf('cross_entropy', a), a.ignore_index, a.label_smoothing]),
);

/** kl_div: 'batchmean' is the sum divided by the batch size (what the KL divergence means). */
const kl_div = pyfn('kl_div', ['input', 'target', ...LEGACY, ['reduction', 'mean'], ['log_target', false]], (a) => {
  if (a.reduction !== 'batchmean') return callOp('aten::kl_div', [a.input, a.target, reductionOf('kl_div', a)], { log_target: a.log_target });
  if (a.input.dim === 0) return callOp('aten::kl_div', [a.input, a.target, REDUCTION.sum], { log_target: a.log_target });
  return tidy(() => callOp('aten::div', [callOp('aten::kl_div', [a.input, a.target, REDUCTION.sum], { log_target: a.log_target }), a.input.shape[0]]));
});

/** torch.nn.functional entries of this group. */
export const FUNCTIONAL: Record<string, (...args: any[]) => any> = {
  mse_loss,
  l1_loss,
  smooth_l1_loss,
  huber_loss,
  binary_cross_entropy,
  binary_cross_entropy_with_logits,
  nll_loss,
  cross_entropy,
  kl_div,
};
