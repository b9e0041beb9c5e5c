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

/** `g` where `mask`, else 0 (masks are bool tensors). */
export const keepWhere = (mask: T, g: T): T => where(mask, g, 0);

/** Sums a broadcast gradient back to `shape` (PyTorch's sum_to_size). */
export function sumTo(g: T, shape: readonly number[]): T {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.dim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.dim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length ? callOp('aten::sum', [g, dims, true]) : g;
  return callOp('aten::reshape', [s, [...shape]]);
}
