// Python-level torch.* functions of this group that are not a single op-table call: PyTorch's
// varargs spellings (`x.view(2, 3)` as well as `x.view([2, 3])`), and split choosing between
// split.Tensor and split_with_sizes. Each still ends in one op-table call (so tracing sees it).
import { callOp } from '../../ops/dispatch.js';
import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { isOptions } from '../args.js';

type Options = Record<string, any>;

/** Splits a trailing options object off `args`. */
function splitOptions(args: any[]): [any[], Options | undefined] {
  return isOptions(args[args.length - 1]) ? [args.slice(0, -1), args[args.length - 1]] : [args, undefined];
}

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

/**
 * torch.nn.functional.embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, sparse=False): note `input` (the indices) comes first.
 */
function embedding(input: Tensor, weight: Tensor, ...rest: any[]): Tensor {
  const [args, opts = {}] = splitOptions(rest);
  const [paddingIdx = opts.padding_idx ?? null, maxNorm = opts.max_norm ?? null] = args;
  if (maxNorm !== null) throw new OpError('torch.nn.functional.embedding', 'max_norm is not supported (it renormalises weight in place)');
  const n = weight.shape[0];
  if (paddingIdx !== null && (paddingIdx >= n || paddingIdx < -n)) throw new OpError('torch.nn.functional.embedding', 'Padding_idx must be within num_embeddings');
  const pad = paddingIdx === null ? -1 : paddingIdx < 0 ? paddingIdx + n : paddingIdx;
  return callOp('aten::embedding', [weight, input, pad, args[3] ?? opts.scale_grad_by_freq ?? false, args[4] ?? opts.sparse ?? false]);
}

/** torch.nn.functional entries of this group (to be spread into src/sdk/nn/functional/index.ts). */
export const FUNCTIONAL: Record<string, (...args: any[]) => any> = { embedding };
