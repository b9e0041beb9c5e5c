// Parameter initialisation as torch.nn.init does it, from the default generator.
import { Tensor } from '../tensor.js';
import { callOp } from '../../ops/dispatch.js';

export const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

/** U(-bound, bound): what kaiming_uniform_(a=sqrt(5)) reduces to for conv and linear weights. */
export function uniform(shape: number[], bound: number): Tensor {
  const t = callOp('aten::empty', [shape]);
  return callOp('aten::uniform_', [t, -bound, bound]);
}

export const fill = (shape: number[], v: number, dtype = 'float32'): Tensor => callOp('aten::full', [shape, v], { dtype });
