// Short names for the op calls gradient rules are written with (derivatives.yaml style), so a
// rule reads as one expression: `mul(g, b)`. Calls go through the op table, so the tracer can
// record a rule to build a backward graph.
import { callOp } from '../ops/dispatch.js';
import type { Tensor } from '../sdk/tensor.js';

type T = Tensor;
type S = T | number | boolean;
const op = (name: string) => (...args: any[]): T => callOp(`aten::${name}`, args);

export const add = op('add') as (a: T, b: S) => T;
export const sub = op('sub') as (a: T, b: S) => T;
export const mul = op('mul') as (a: T, b: S) => T;
export const div = op('div') as (a: T, b: S) => T;
export const neg = op('neg') as (a: T) => T;
export const exp = op('exp') as (a: T) => T;
export const log = op('log') as (a: T) => T;
export const sqrt = op('sqrt') as (a: T) => T;
export const sin = op('sin') as (a: T) => T;
export const cos = op('cos') as (a: T) => T;
export const sign = op('sign') as (a: T) => T;
export const sigmoid = op('sigmoid') as (a: T) => T;
export const tanh = op('tanh') as (a: T) => T;
export const pow = op('pow') as (a: T, e: S) => T;
export const trunc = op('trunc') as (a: T) => T;
export const floor = op('floor') as (a: T) => T;
export const gt = op('gt') as (a: T, b: S) => T;
export const lt = op('lt') as (a: T, b: S) => T;
export const ge = op('ge') as (a: T, b: S) => T;
export const le = op('le') as (a: T, b: S) => T;
export const eq = op('eq') as (a: T, b: S) => T;
export const logicalAnd = op('logical_and') as (a: T, b: T) => T;
export const where = op('where') as (c: T, a: S, b: S) => T;
export const zerosLike = op('zeros_like') as (a: T) => T;
export const sum = op('sum') as (a: T, ...rest: any[]) => T;
export const mean = op('mean') as (a: T, ...rest: any[]) => T;
export const abs = op('abs') as (a: T) => T;
export const reshape = op('reshape') as (a: T, shape: readonly number[]) => T;
export const expand = op('expand') as (a: T, shape: readonly number[]) => T;
export const unsqueeze = op('unsqueeze') as (a: T, dim: number) => T;
export const squeeze = op('squeeze') as (a: T, dim: number) => T;
export const transpose = op('transpose') as (a: T, d0: number, d1: number) => T;
export const permute = op('permute') as (a: T, dims: readonly number[]) => T;
export const movedim = op('movedim') as (a: T, src: number, dst: number) => T;
export const flip = op('flip') as (a: T, dims: readonly number[]) => T;
export const narrow = op('narrow') as (a: T, dim: number, start: number, length: number) => T;
export const cat = op('cat') as (ts: readonly T[], dim: number) => T;
export const matmul = op('matmul') as (a: T, b: T) => T;
export const mm = op('mm') as (a: T, b: T) => T;
export const bmm = op('bmm') as (a: T, b: T) => T;
export const cumsum = op('cumsum') as (a: T, dim: number) => T;
export const cumprod = op('cumprod') as (a: T, dim: number) => T;
export const gather = op('gather') as (a: T, dim: number, index: T) => T;
export const scatter = op('scatter') as (a: T, dim: number, index: T, src: T) => T;
export const scatterAdd = op('scatter_add') as (a: T, dim: number, index: T, src: T) => T;
export const indexSelect = op('index_select') as (a: T, dim: number, index: T) => T;
export const indexAdd = op('index_add') as (a: T, dim: number, index: T, src: T) => T;
export const onesLike = op('ones_like') as (a: T) => T;
export const rsqrt = op('rsqrt') as (a: T) => T;
export const logicalOr = op('logical_or') as (a: T, b: T) => T;
export const ne = op('ne') as (a: T, b: S) => T;
/** `a` converted to `dtype` (the backward of a dtype cast). */
export const to = (a: T, dtype: string): T => (a.dtype === dtype ? a : callOp('aten::to', [a, dtype]));
/** A zero tensor of `shape` (float32 unless told). */
export const zeros = (shape: readonly number[], dtype = 'float32'): T => callOp('aten::zeros', [[...shape]], { dtype });

/** `g` where `mask`, else 0 (masks are bool tensors). */
export const keepWhere = (mask: T, g: T): T => where(mask, g, 0);

/** Which dims a reduction's dim argument covers (None or [] means all, as make_dim_mask). */
export function reducedMask(ndim: number, dim: number | readonly number[] | null): boolean[] {
  const all = dim === null || (Array.isArray(dim) && dim.length === 0);
  const mask = new Array<boolean>(ndim).fill(all);
  if (!all) for (const d of typeof dim === 'number' ? [dim] : (dim as number[])) if (ndim) mask[((d % ndim) + ndim) % ndim] = true;
  return mask;
}

/** The number of elements a reduction over `mask` combines. */
export const reducedCount = (shape: readonly number[], mask: readonly boolean[]): number => shape.reduce((n, s, d) => (mask[d] ? n * s : n), 1);

/** A reduction's result (or gradient) broadcast back over `shape`: restore_reduced_dims + expand. */
export function unreduce(g: T, shape: readonly number[], dim: number | readonly number[] | null, keepdim: boolean): T {
  const mask = reducedMask(shape.length, dim);
  const r = keepdim ? g : reshape(g, shape.map((s, d) => (mask[d] ? 1 : s)));
  return expand(r, shape);
}

/** Sums a broadcast gradient back to `shape` (PyTorch's sum_to_size). */
export function sumTo(g: T, shape: readonly number[]): T {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.dim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.dim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length ? callOp('aten::sum', [g, dims, true]) : g;
  return callOp('aten::reshape', [s, [...shape]]);
}
