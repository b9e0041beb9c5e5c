// Python-level torch.* functions of this group that are not a single op-table call: PyTorch's
// varargs spellings (`x.view(2, 3)` as well as `x.view([2, 3])`), and split choosing between
// split.Tensor and split_with_sizes. Each still ends in one op-table call (so tracing sees it).
import { callOp } from '../../ops/dispatch.js';
import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { splitOptions } from '../args.js';

/**
 * `op(self, int[] key)` called as f(self, [a, b]), f(self, a, b) or f(self, {key: [a, b]}), as
 * PyTorch's `*size` methods accept.
 */
function varargs(op: string, key: string): (self: Tensor, ...args: any[]) => any {
  return (self, ...rest) => {
    const [args, opts] = splitOptions(rest);
    const { [key]: named, ...kwargs } = opts ?? {};
    const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args.length || named === undefined ? args : named;
    return callOp(op, [self, list], Object.keys(kwargs).length ? kwargs : undefined);
  };
}

/** torch.split / Tensor.split: an int splits into equal chunks, a list gives the sizes. */
function split(self: Tensor, ...rest: any[]): Tensor[] {
  const [args, opts = {}] = splitOptions(rest);
  const sizes = args[0] ?? opts.split_size_or_sections ?? opts.split_size;
  const dim = args[1] ?? opts.dim ?? 0;
  if (sizes === undefined) throw new OpError('torch.split', 'missing required argument split_size_or_sections');
  return callOp(Array.isArray(sizes) ? 'aten::split_with_sizes' : 'aten::split', [self, sizes, dim]);
}

export const FUNCTIONS: Record<string, (...args: any[]) => any> = {
  view: varargs('aten::view', 'size'),
  reshape: varargs('aten::reshape', 'shape'),
  permute: varargs('aten::permute', 'dims'),
  expand: varargs('aten::expand', 'size'),
  repeat: varargs('aten::repeat', 'repeats'),
  tile: varargs('aten::tile', 'dims'),
  flip: varargs('aten::flip', 'dims'),
  split,
};
