// Things a scripted name can denote besides an IR value (PyTorch's SugaredValue): a namespace of
// ops (`torch`, `torch.nn.functional`, `Math`) or a module object whose fields are read through
// prim::GetAttr. Globals the caller passes in resolve to one of these or to a constant.
import type { Value } from '../ir.js';

export type Sugared =
  | { kind: 'value'; value: Value }
  | { kind: 'namespace'; name: 'torch' | 'torch.nn' | 'functional' | 'Math' | 'Number' }
  | { kind: 'module'; obj: any; value: Value; path: string };

/** What well-known global names denote without being passed in. */
export const BUILTIN_GLOBALS: Record<string, Sugared> = {
  torch: { kind: 'namespace', name: 'torch' },
  Math: { kind: 'namespace', name: 'Math' },
  Number: { kind: 'namespace', name: 'Number' },
  // nn.functional under the names code conventionally imports it as.
  F: { kind: 'namespace', name: 'functional' },
  functional: { kind: 'namespace', name: 'functional' },
};

export const MATH_CONSTANTS: Record<string, number> = {
  PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E,
  SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2,
};
export const NUMBER_CONSTANTS: Record<string, number> = {
  POSITIVE_INFINITY: Infinity, NEGATIVE_INFINITY: -Infinity, NaN, EPSILON: Number.EPSILON,
  MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER, MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
};

/** Math functions and the ops they are. */
export const MATH_OPS: Record<string, string> = {
  max: 'prim::max', min: 'prim::min', abs: 'prim::abs', floor: 'aten::floor', ceil: 'aten::ceil',
  sqrt: 'aten::sqrt', exp: 'aten::exp', log: 'aten::log', tanh: 'aten::tanh', pow: 'aten::pow',
};

/** JS binary operators and the ops they mean (for tensors and numbers alike). */
export const BINARY_OPS: Record<string, string> = {
  '+': 'aten::add', '-': 'aten::sub', '*': 'aten::mul', '/': 'aten::div', '%': 'aten::remainder',
  '**': 'aten::pow', '<': 'aten::lt', '<=': 'aten::le', '>': 'aten::gt', '>=': 'aten::ge',
  '==': 'aten::eq', '===': 'aten::eq', '!=': 'aten::ne', '!==': 'aten::ne',
  '&': 'aten::__and__', '|': 'aten::__or__', '^': 'aten::__xor__', '<<': 'aten::__lshift__', '>>': 'aten::__rshift__',
};
