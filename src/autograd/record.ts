// Recording op calls into the autograd graph (called by dispatch for the outermost op call).
import { Tensor } from '../sdk/tensor.js';
import { isFloating } from '../sdk/dtype.js';
import type { OpRow } from '../ops/table.js';
import { AutogradError, GradNode, OpNode } from './node.js';
import { edgeOf } from './backward.js';
import { isGradEnabled } from './mode.js';

const anyRequiresGrad = (args: readonly any[]): boolean =>
  args.some((a) => (a instanceof Tensor ? a.requiresGrad : Array.isArray(a) && a.some((x) => x instanceof Tensor && x.requiresGrad)));

/** A node for ops without a derivative: backward through it fails, naming the op. */
class NotImplementedNode extends GradNode {
  readonly name = 'NotImplemented';
  constructor(readonly op: string) {
    super();
  }
  apply(): never {
    throw new AutogradError(`the derivative for '${this.op}' is not implemented`);
  }
}

/** Whether this call needs recording (decided before running it, so in-place inputs are seen intact). */
export function needsRecording(row: OpRow, args: readonly any[]): boolean {
  if (!isGradEnabled() || !anyRequiresGrad(args)) return false;
  // Outputs that don't depend on input values (zeros_like, detach) don't join the graph.
  if (row.tags?.some((t) => t === 'creation' || t === 'nograd')) return false;
  if (row.parsed.mutates) {
    const self = args[0];
    if (self instanceof Tensor && self.requiresGrad && !self.gradFn)
      throw new AutogradError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  return true;
}

/** Links the call's outputs into the autograd graph. `savedArgs` are the inputs as they were before the call. */
export function recordOp(row: OpRow, savedArgs: readonly any[], result: any): void {
  // An op that returns its input unchanged (contiguous, to, dropout in eval) is the identity: the
  // tensor keeps its own history (recording it would make a leaf its own descendant).
  const passThrough = (t: Tensor) => !row.parsed.mutates && savedArgs.includes(t);
  const outputs: Tensor[] = (Array.isArray(result) ? result : [result]).filter((t): t is Tensor => t instanceof Tensor);
  if (outputs.every(passThrough)) return;
  const differentiable = outputs.filter((t) => isFloating(t.dtype));
  if (!differentiable.length) return;
  const node: GradNode = row.grad ? new OpNode(row, savedArgs, outputs) : new NotImplementedNode(row.parsed.name);
  node.next = savedArgs.map((a) => (a instanceof Tensor ? edgeOf(a) : Array.isArray(a) && a.some((x) => x instanceof Tensor) ? a.map((x) => (x instanceof Tensor ? edgeOf(x) : null)) : null));
  outputs.forEach((t, i) => {
    if (!isFloating(t.dtype) || passThrough(t)) return;
    t.requiresGrad = true;
    t.gradFn = node;
    t.outputNr = i;
  });
}

/** In-place writes bump the version of every storage the schema marks as written (`Tensor(a!)`). */
export function bumpVersions(row: OpRow, args: readonly any[]): void {
  row.parsed.args.forEach((p, i) => {
    if (p.alias?.endsWith('!') && args[i] instanceof Tensor) args[i].storage.version++;
  });
}
