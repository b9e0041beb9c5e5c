// torch.nn.functional: linear, convolutions, pooling and dropout, with PyTorch's Python signatures
// (positional arguments, then a trailing options object for keyword arguments).
import { callOp } from '../../../ops/dispatch.js';
import { copyInto } from '../../../ops/exec.js';
import { ArgumentError } from '../../errors.js';
import { Tensor } from '../../tensor.js';

const isOptions = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** One Python parameter: its name and default (REQUIRED: none). */
export type Param = [name: string, default_: unknown];
export const REQUIRED = Symbol('required');

/** Binds positional arguments and a trailing options object to `params`, as Python does. */
export function bindPython(fname: string, params: readonly Param[], args: readonly any[]): Record<string, any> {
  const kwargs = isOptions(args[args.length - 1]) ? args[args.length - 1] : {};
  const positional = kwargs === args[args.length - 1] ? args.slice(0, -1) : args;
  const op = `torch.nn.functional.${fname}`;
  if (positional.length > params.length) throw new ArgumentError(op, `${fname}() takes at most ${params.length} arguments (${positional.length} given)`);
  const out: Record<string, any> = {};
  params.forEach(([name, dflt], i) => {
    if (i < positional.length) {
      if (name in kwargs) throw new ArgumentError(op, `${fname}() got multiple values for argument '${name}'`);
      out[name] = positional[i];
    } else if (name in kwargs && kwargs[name] !== undefined) out[name] = kwargs[name];
    else if (dflt === REQUIRED) throw new ArgumentError(op, `${fname}() missing required argument '${name}' (pos ${i + 1})`);
    else out[name] = dflt;
  });
  for (const k of Object.keys(kwargs)) if (!params.some(([n]) => n === k)) throw new ArgumentError(op, `${fname}() got an unexpected keyword argument '${k}'`);
  return out;
}

/** A functional entry: bind the Python signature, then compute from the named values. */
export function pyFunction(fname: string, params: readonly Param[], body: (a: Record<string, any>) => any): (...args: any[]) => any {
  return (...args: any[]) => body(bindPython(fname, params, args));
}

/** `inplace=True`: the result written back into the input, which is returned. */
export function intoInput(input: Tensor, out: Tensor): Tensor {
  if (out === input) return input;
  copyInto(input, out);
  out.dispose();
  return input;
}

const R = REQUIRED;
const CONV: Param[] = [['input', R], ['weight', R], ['bias', null], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1]];
const CONV_T: Param[] = [['input', R], ['weight', R], ['bias', null], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['dilation', 1]];
const conv = (op: string) => pyFunction(op, CONV, (a) => callOp(`aten::${op}`, [a.input, a.weight, a.bias, a.stride, a.padding, a.dilation, a.groups]));
const convT = (op: string) => pyFunction(op, CONV_T, (a) => callOp(`aten::${op}`, [a.input, a.weight, a.bias, a.stride, a.padding, a.output_padding, a.groups, a.dilation]));

/** adaptive pools take an int or a pair whose None entries keep the input's size. */
function outputSize(input: Tensor, size: number | (number | null)[]): number[] {
  const s = typeof size === 'number' ? [size, size] : size;
  return s.map((v, i) => v ?? input.shape[input.dim - s.length + i]);
}

/** max_pool2d's stride=None means the kernel size (the op's `stride=[]`). */
const poolStride = (s: number | number[] | null) => s ?? [];

function dropout(op: string) {
  return pyFunction(op === 'aten::dropout' ? 'dropout' : 'dropout2d', [['input', R], ['p', 0.5], ['training', true], ['inplace', false]], (a) => {
    const out = callOp(op, [a.input, a.p, a.training]);
    return a.inplace ? intoInput(a.input, out) : out;
  });
}

export const FUNCTIONAL: Record<string, (...args: any[]) => any> = {
  linear: pyFunction('linear', [['input', R], ['weight', R], ['bias', null]], (a) => callOp('aten::linear', [a.input, a.weight, a.bias])),
  conv1d: conv('conv1d'),
  conv2d: conv('conv2d'),
  conv_transpose1d: convT('conv_transpose1d'),
  conv_transpose2d: convT('conv_transpose2d'),
  max_pool2d: pyFunction('max_pool2d', [['input', R], ['kernel_size', R], ['stride', null], ['padding', 0], ['dilation', 1], ['ceil_mode', false], ['return_indices', false]], (a) =>
    callOp(a.return_indices ? 'aten::max_pool2d_with_indices' : 'aten::max_pool2d', [a.input, a.kernel_size, poolStride(a.stride), a.padding, a.dilation, a.ceil_mode])),
  avg_pool2d: pyFunction('avg_pool2d', [['input', R], ['kernel_size', R], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]], (a) =>
    callOp('aten::avg_pool2d', [a.input, a.kernel_size, poolStride(a.stride), a.padding, a.ceil_mode, a.count_include_pad, a.divisor_override])),
  adaptive_avg_pool2d: pyFunction('adaptive_avg_pool2d', [['input', R], ['output_size', R]], (a) => callOp('aten::adaptive_avg_pool2d', [a.input, outputSize(a.input, a.output_size)])),
  adaptive_max_pool2d: pyFunction('adaptive_max_pool2d', [['input', R], ['output_size', R], ['return_indices', false]], (a) => {
    const [values, indices] = callOp('aten::adaptive_max_pool2d', [a.input, outputSize(a.input, a.output_size)]);
    if (a.return_indices) return [values, indices];
    indices.dispose();
    return values;
  }),
  dropout: dropout('aten::dropout'),
  dropout2d: dropout('aten::feature_dropout'),
};
