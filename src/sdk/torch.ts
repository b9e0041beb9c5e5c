// The `torch` namespace: one function per op-table name (torch.add -> aten::add), Tensor methods
// for rows whose first argument is `self`, Python-level functions that are not one op-table call,
// and torch.nn.functional.
import { callOp } from '../ops/dispatch.js';
import { OP_TABLE } from '../ops/index.js';
import { Tensor, tidy, keep } from './tensor.js';
import { splitOptions } from './args.js';
import { tensor, fromTypedArray } from './creation.js';
import { manual_seed, Generator } from './random.js';
import { FUNCTIONS as reduceFunctions } from './functions/reduce.js';
import { FUNCTIONS as shapeFunctions } from './functions/shape.js';
import * as nn from './nn/index.js';
import { backward, grad, requiresGrad_, type BackwardOptions } from '../autograd/api.js';
import { no_grad, enable_grad, isGradEnabled } from '../autograd/mode.js';
import { optim } from './optim/index.js';


/** Calls `aten::name`; a trailing plain object holds keyword arguments. */
export function call(name: string, args: any[]): any {
  const [positional, kwargs] = splitOptions(args);
  return callOp(name, positional, kwargs);
}

function defineMethod(name: string, fn: (this: Tensor, ...args: any[]) => any): void {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}

const selfIsTensor = (qualified: string) =>
  OP_TABLE.get(qualified)!.some((r) => r.parsed.args[0]?.name === 'self' && r.parsed.args[0].type.kind === 'prim' && r.parsed.args[0].type.name === 'Tensor');

export const ops: Record<string, (...args: any[]) => any> = {};
for (const qualified of OP_TABLE.keys()) {
  const [ns, base] = qualified.split('::');
  if (ns !== 'aten') continue;
  ops[base] = (...args: any[]) => call(qualified, args);
  if (selfIsTensor(qualified) && !(base in Tensor.prototype)) defineMethod(base, function (...args) { return call(qualified, [this, ...args]); });
}

/** `torch.ops.<namespace>.<name>`: every row by qualified name, custom ops included. */
const opNamespaces: Record<string, Record<string, (...args: any[]) => any>> = {};
for (const qualified of OP_TABLE.keys()) {
  const [ns, base] = qualified.split('::');
  (opNamespaces[ns] ??= {})[base] = (...args: any[]) => call(qualified, args);
}

const pyFunctions = { ...reduceFunctions, ...shapeFunctions };
for (const [name, fn] of Object.entries(pyFunctions)) defineMethod(name, function (...args) { return fn(this, ...args); });
defineMethod('backward', function (gradient?: Tensor | null, opts?: BackwardOptions) { return backward(this, gradient ?? null, opts); });
defineMethod('requires_grad_', function (on = true) { return requiresGrad_(this, on); });
// Methods whose receiver is not the op's first argument.
defineMethod('where', function (condition: Tensor, other: any) { return call('aten::where', [condition, this, other]); });


/** `torch`: ops, Python-level functions, creation from JS data, and nn.functional. */
export const torch: Record<string, any> = {
  ...ops,
  ...pyFunctions,
  ops: opNamespaces,
  tensor,
  fromTypedArray,
  manual_seed,
  Generator,
  Tensor,
  tidy,
  keep,
  nn,
  optim,
  autograd: { grad, backward },
  no_grad,
  enable_grad,
  is_grad_enabled: isGradEnabled,
};
