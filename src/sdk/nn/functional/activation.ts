// torch.nn.functional activations and softmax: PyTorch's Python signatures mapped onto op rows
// (`inplace=True` calls the in-place row, e.g. aten::relu_).
import { callOp } from '../../../ops/dispatch.js';
import type { Tensor } from '../../tensor.js';
import { pyfn, REQUIRED, type Param } from '../../args.js';

const INPUT: Param = ['input', REQUIRED];
const INPLACE: Param = ['inplace', false];

/** F.name(input, ...params, inplace=False) -> aten::op(input, ...args(params)), or aten::op_ in place. */
function activation(name: string, op: string, params: Param[] = [], args: (a: Record<string, any>) => unknown[] = () => []) {
  return pyfn(name, [INPUT, ...params, INPLACE], (a) => callOp(`aten::${op}${a.inplace ? '_' : ''}`, [a.input, ...args(a)]));
}

/** PyTorch's _get_softmax_dim: dim=None means 0 for 0-, 1- and 3-D inputs, else 1 (deprecated). */
const softmaxDim = (x: Tensor, dim: number | null) => dim ?? (x.dim === 0 || x.dim === 1 || x.dim === 3 ? 0 : 1);

function softmax(name: string) {
  return pyfn(name, [INPUT, ['dim', null], ['_stacklevel', 3], ['dtype', null]], (a) => callOp(`aten::${name}`, [a.input, softmaxDim(a.input, a.dim), a.dtype]));
}

export const FUNCTIONAL: Record<string, (...args: any[]) => any> = {
  relu: activation('relu', 'relu'),
  relu6: activation('relu6', 'relu6'),
  hardtanh: activation('hardtanh', 'hardtanh', [['min_val', -1], ['max_val', 1]], (a) => [a.min_val, a.max_val]),
  hardswish: activation('hardswish', 'hardswish'),
  hardsigmoid: activation('hardsigmoid', 'hardsigmoid'),
  silu: activation('silu', 'silu'),
  mish: activation('mish', 'mish'),
  elu: activation('elu', 'elu', [['alpha', 1]], (a) => [a.alpha]),
  leaky_relu: activation('leaky_relu', 'leaky_relu', [['negative_slope', 0.01]], (a) => [a.negative_slope]),
  gelu: pyfn('gelu', [INPUT, ['approximate', 'none']], (a) => callOp('aten::gelu', [a.input], { approximate: a.approximate })),
  softplus: pyfn('softplus', [INPUT, ['beta', 1], ['threshold', 20]], (a) => callOp('aten::softplus', [a.input, a.beta, a.threshold])),
  sigmoid: pyfn('sigmoid', [INPUT], (a) => callOp('aten::sigmoid', [a.input])),
  tanh: pyfn('tanh', [INPUT], (a) => callOp('aten::tanh', [a.input])),
  softmax: softmax('softmax'),
  log_softmax: softmax('log_softmax'),
};
