// torch.nn.functional: linear, convolutions, pooling and dropout, with PyTorch's Python signatures
// (positional arguments, then a trailing options object for keyword arguments).
import { callOp } from '../../../ops/dispatch.js';
import { copyInto } from '../../../ops/exec.js';
import { Tensor } from '../../tensor.js';
import { pyfn, REQUIRED, type Param } from '../../args.js';

/** `inplace=True`: the result written back into the input, which is returned. */
function intoInput(input: Tensor, out: Tensor): Tensor {
  if (out === input) return input;
  copyInto(input, out);
  out.dispose();
  return input;
}

const R = REQUIRED;
const CONV: Param[] = [['input', R], ['weight', R], ['bias', null], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1]];
const CONV_T: Param[] = [['input', R], ['weight', R], ['bias', null], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['dilation', 1]];
const conv = (op: string) => pyfn(op, CONV, (a) => callOp(`aten::${op}`, [a.input, a.weight, a.bias, a.stride, a.padding, a.dilation, a.groups]));
const convT = (op: string) => pyfn(op, CONV_T, (a) => callOp(`aten::${op}`, [a.input, a.weight, a.bias, a.stride, a.padding, a.output_padding, a.groups, a.dilation]));

/** adaptive pools take an int or a pair whose None entries keep the input's size. */
function outputSize(input: Tensor, size: number | (number | null)[]): number[] {
  const s = typeof size === 'number' ? [size, size] : size;
  return s.map((v, i) => v ?? input.shape[input.dim - s.length + i]);
}

/** max_pool2d's stride=None means the kernel size (the op's `stride=[]`). */
const poolStride = (s: number | number[] | null) => s ?? [];

function dropout(op: string) {
  return pyfn(op === 'aten::dropout' ? 'dropout' : 'dropout2d', [['input', R], ['p', 0.5], ['training', true], ['inplace', false]], (a) => {
    const out = callOp(op, [a.input, a.p, a.training]);
    return a.inplace ? intoInput(a.input, out) : out;
  });
}

export const FUNCTIONAL: Record<string, (...args: any[]) => any> = {
  linear: pyfn('linear', [['input', R], ['weight', R], ['bias', null]], (a) => callOp('aten::linear', [a.input, a.weight, a.bias])),
  conv1d: conv('conv1d'),
  conv2d: conv('conv2d'),
  conv_transpose1d: convT('conv_transpose1d'),
  conv_transpose2d: convT('conv_transpose2d'),
  max_pool2d: pyfn('max_pool2d', [['input', R], ['kernel_size', R], ['stride', null], ['padding', 0], ['dilation', 1], ['ceil_mode', false], ['return_indices', false]], (a) =>
    callOp(a.return_indices ? 'aten::max_pool2d_with_indices' : 'aten::max_pool2d', [a.input, a.kernel_size, poolStride(a.stride), a.padding, a.dilation, a.ceil_mode])),
  avg_pool2d: pyfn('avg_pool2d', [['input', R], ['kernel_size', R], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]], (a) =>
    callOp('aten::avg_pool2d', [a.input, a.kernel_size, poolStride(a.stride), a.padding, a.ceil_mode, a.count_include_pad, a.divisor_override])),
  adaptive_avg_pool2d: pyfn('adaptive_avg_pool2d', [['input', R], ['output_size', R]], (a) => callOp('aten::adaptive_avg_pool2d', [a.input, outputSize(a.input, a.output_size)])),
  adaptive_max_pool2d: pyfn('adaptive_max_pool2d', [['input', R], ['output_size', R], ['return_indices', false]], (a) => {
    const [values, indices] = callOp('aten::adaptive_max_pool2d', [a.input, outputSize(a.input, a.output_size)]);
    if (a.return_indices) return [values, indices];
    indices.dispose();
    return values;
  }),
  dropout: dropout('aten::dropout'),
  dropout2d: dropout('aten::feature_dropout'),
};
