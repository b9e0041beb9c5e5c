// Derivatives of the view and movement rows. Common ones have their derivatives.yaml rule
// (reshape back, inverse permute, sum_to_size, narrow per input ...). The rest share one rule:
// a movement op only copies elements, so running the op itself on element numbers says where each
// output element came from, and index_add sums the output gradients back there (repeats and
// overlapping windows accumulate, dropped elements get 0). Tensor-list inputs are numbered
// consecutively; list outputs each bring their gradient (or none).
import type { Tensor } from '../sdk/tensor.js';
import type { GradRule } from '../autograd/node.js';
import { callOp } from './dispatch.js';
import { flip, indexAdd, narrow, permute, reshape, sumTo, to, transpose, zeros, zerosLike } from '../autograd/calc.js';

type T = Tensor;
const nulls = (args: readonly any[]) => args.slice(1).map(() => null);

/** The by-index rule of movement op `op` (called again with self numbered). */
export const byIndex = (op: string): GradRule => (grads, args) => {
  const self = args[0];
  const list: T[] = Array.isArray(self) ? self : [self];
  const starts: number[] = [];
  let total = 0;
  const numbered = list.map((t) => {
    starts.push(total);
    total += t.numel;
    return reshape(callOp('aten::arange', [total - t.numel, total], { dtype: 'float64' }), t.shape);
  });
  const res = callOp(op, [Array.isArray(self) ? numbered : numbered[0], ...args.slice(1)]);
  const outs: T[] = Array.isArray(res) ? res : [res];
  const dtype = grads.find((g) => g)?.dtype ?? 'float32';
  let acc = zeros([total], dtype);
  outs.forEach((o, i) => {
    const g = grads[i];
    if (g && g.numel) acc = indexAdd(acc, 0, reshape(to(o, 'int64'), [o.numel]), reshape(g, [g.numel]));
  });
  const gs = list.map((t, k) => reshape(narrow(acc, 0, starts[k], t.numel), t.shape));
  return [Array.isArray(self) ? gs : gs[0], ...nulls(args)];
};

/** view/reshape/squeeze/unsqueeze/flatten/unflatten: the gradient takes the input's shape back. */
export const gradReshapeBack: GradRule = ([g], args) => [reshape(g!, args[0].shape), ...nulls(args)];
/** expand/expand_as/broadcast_to: sum_to_size. */
export const gradExpand: GradRule = ([g], args) => [sumTo(g!, args[0].shape), ...nulls(args)];

export const gradPermute: GradRule = ([g], [x, dims]) => {
  const inv = new Array<number>(x.dim);
  dims.forEach((d: number, i: number) => (inv[((d % x.dim) + x.dim) % x.dim] = i));
  return [permute(g!, inv), null];
};
export const gradTranspose: GradRule = ([g], [_x, d0, d1]) => [transpose(g!, d0, d1), null, null];
export const gradT: GradRule = ([g]) => [callOp('aten::t', [g])];
export const gradNumpyT: GradRule = ([g]) => [callOp('aten::numpy_T', [g])];
export const gradMT: GradRule = ([g]) => [transpose(g!, -2, -1)];
export const gradFlip: GradRule = ([g], [_x, dims]) => [flip(g!, dims), null];
export const gradRoll: GradRule = ([g], [_x, shifts, dims]) => [callOp('aten::roll', [g, shifts.map((s: number) => -s), dims]), null, null];

/** cat: each input gets its slice of the gradient (legacy empty 1-D inputs were skipped). */
export const gradCat: GradRule = ([g], [ts, dim]) => {
  const d = ((dim % g!.dim) + g!.dim) % g!.dim;
  let at = 0;
  const gs = (ts as T[]).map((t) => {
    if (t.dim === 1 && t.numel === 0 && g!.dim !== 1) return zerosLike(t);
    const n = t.shape[d];
    at += n;
    return narrow(g!, d, at - n, n);
  });
  return [gs, null];
};
/** stack: each input gets its index along the new dim. */
export const gradStack: GradRule = ([g], [ts, dim]) => [(ts as T[]).map((_, i) => callOp('aten::select', [g, dim, i])), null];

/** select_scatter / slice_scatter(self, src, ...view args): self keeps g outside the view, src gets the view. */
export const gradViewScatter = (view: string, scatterOp: string): GradRule => ([g], [_x, src, ...rest]) => [
  callOp(scatterOp, [g, zerosLike(src), ...rest]),
  callOp(view, [g, ...rest]),
  ...rest.map(() => null),
];
