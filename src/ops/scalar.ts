// Rows for TorchScript's non-tensor values: int/float/bool/str arithmetic, comparisons and
// conversions, and the tensor queries scripts use (size, dim, dtype). ints and floats are both JS
// numbers at run time; the script compiler picked the overload from static types, so a row only
// has to compute Python's answer (floor division, modulo with the divisor's sign, ...).
import { Tensor } from '../sdk/tensor.js';
import { SCALAR_TYPE_OF } from '../sdk/dtype.js';
import { OpError } from '../sdk/errors.js';
import { fromValues, wrapDim } from './exec.js';
import type { OpDef, Tag } from './table.js';

const S: readonly Tag[] = ['scalar'];
type Num = number;

/** Python's ZeroDivisionError, raised by int/float division and modulo. */
function nonzero(op: string, b: Num): Num {
  if (b === 0) throw new OpError(op, 'ZeroDivisionError: division by zero');
  return b;
}
const floordiv = (a: Num, b: Num) => Math.floor(a / nonzero('aten::floordiv', b));
const mod = (a: Num, b: Num) => {
  const r = a % nonzero('aten::remainder', b);
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
};
const truediv = (a: Num, b: Num) => a / nonzero('aten::div', b);
const big = (f: (x: bigint, y: bigint) => bigint) => (a: Num, b: Num) => Number(BigInt.asIntN(64, f(BigInt(a), BigInt(b))));

/** A number as Python's str() shows it (ints have no fraction; floats keep one). */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  if (typeof v === 'string') return v;
  if (v instanceof Tensor) return v.toString();
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return String(v);
}
function pyRepr(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : pyStr(v);
}

/** `"{} and {}".format(a, b)`: positional `{}` fields only, as TorchScript's aten::format. */
function format(fmt: string, ...args: unknown[]): string {
  let i = 0;
  return fmt.replace(/\{\}/g, () => (i < args.length ? pyStr(args[i++]) : '{}'));
}

function item(op: string, t: Tensor): number | boolean {
  if (t.numel !== 1) throw new OpError(op, `a Tensor with ${t.numel} elements cannot be converted to Scalar`);
  return t.item();
}

function toInt(s: string): number {
  const v = Number(s.trim());
  if (!Number.isInteger(v)) throw new OpError('aten::Int', `invalid literal for int() with base 10: '${s}'`);
  return v;
}

/** A 0-dim tensor for a number: ints become int64, floats float64, as PyTorch's scalar_to_tensor. */
function numToTensor(v: number | boolean): Tensor {
  if (typeof v === 'boolean') return fromValues([], 'bool', [+v]);
  return fromValues([], Number.isInteger(v) ? 'int64' : 'float64', [v]);
}

const CMP: Record<string, (a: any, b: any) => boolean> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
};

export const SCALAR_OPS: OpDef[] = [
  // Arithmetic. `int` overloads come first so two ints never pick the generic Scalar row.
  { schema: 'aten::add.int(int a, int b) -> int', tags: S, impl: (a: Num, b: Num) => a + b },
  { schema: 'aten::add.float(float a, float b) -> float', tags: S, impl: (a: Num, b: Num) => a + b },
  { schema: 'aten::add.int_float(int a, float b) -> float', tags: S, impl: (a: Num, b: Num) => a + b },
  { schema: 'aten::add.float_int(float a, int b) -> float', tags: S, impl: (a: Num, b: Num) => a + b },
  { schema: 'aten::add(Scalar a, Scalar b) -> Scalar', tags: S, impl: (a: Num, b: Num) => a + b },
  { schema: 'aten::add.str(str a, str b) -> str', tags: S, impl: (a: string, b: string) => a + b },
  { schema: 'aten::sub.int(int a, int b) -> int', tags: S, impl: (a: Num, b: Num) => a - b },
  { schema: 'aten::sub.float(float a, float b) -> float', tags: S, impl: (a: Num, b: Num) => a - b },
  { schema: 'aten::sub.int_float(int a, float b) -> float', tags: S, impl: (a: Num, b: Num) => a - b },
  { schema: 'aten::sub.float_int(float a, int b) -> float', tags: S, impl: (a: Num, b: Num) => a - b },
  { schema: 'aten::sub(Scalar a, Scalar b) -> Scalar', tags: S, impl: (a: Num, b: Num) => a - b },
  { schema: 'aten::mul.int(int a, int b) -> int', tags: S, impl: (a: Num, b: Num) => a * b },
  { schema: 'aten::mul.float(float a, float b) -> float', tags: S, impl: (a: Num, b: Num) => a * b },
  { schema: 'aten::mul.int_float(int a, float b) -> float', tags: S, impl: (a: Num, b: Num) => a * b },
  { schema: 'aten::mul.float_int(float a, int b) -> float', tags: S, impl: (a: Num, b: Num) => a * b },
  { schema: 'aten::mul(Scalar a, Scalar b) -> Scalar', tags: S, impl: (a: Num, b: Num) => a * b },
  { schema: 'aten::div.int(int a, int b) -> float', tags: S, impl: truediv },
  { schema: 'aten::div.float(float a, float b) -> float', tags: S, impl: truediv },
  { schema: 'aten::div(Scalar a, Scalar b) -> float', tags: S, impl: truediv },
  { schema: 'aten::floordiv.int(int a, int b) -> int', tags: S, impl: floordiv },
  { schema: 'aten::floordiv.float(float a, float b) -> float', tags: S, impl: floordiv },
  { schema: 'aten::floordiv.int_float(int a, float b) -> float', tags: S, impl: floordiv },
  { schema: 'aten::floordiv.float_int(float a, int b) -> float', tags: S, impl: floordiv },
  { schema: 'aten::floordiv(Scalar a, Scalar b) -> Scalar', tags: S, impl: floordiv },
  { schema: 'aten::remainder.int(int a, int b) -> int', tags: S, impl: mod },
  { schema: 'aten::remainder.float(float a, float b) -> float', tags: S, impl: mod },
  { schema: 'aten::remainder.int_float(int a, float b) -> float', tags: S, impl: mod },
  { schema: 'aten::remainder.float_int(float a, int b) -> float', tags: S, impl: mod },
  { schema: 'aten::remainder(Scalar a, Scalar b) -> Scalar', tags: S, impl: mod },
  { schema: 'aten::pow.int(int a, int b) -> float', tags: S, impl: Math.pow },
  { schema: 'aten::pow.float(float a, float b) -> float', tags: S, impl: Math.pow },
  { schema: 'aten::pow.int_float(int a, float b) -> float', tags: S, impl: Math.pow },
  { schema: 'aten::pow.float_int(float a, int b) -> float', tags: S, impl: Math.pow },
  { schema: 'aten::pow.Scalar_Scalar(Scalar a, Scalar b) -> float', tags: S, impl: Math.pow },
  { schema: 'aten::neg.int(int a) -> int', tags: S, impl: (a: Num) => -a },
  { schema: 'aten::neg.float(float a) -> float', tags: S, impl: (a: Num) => -a },
  { schema: 'aten::neg.Scalar(Scalar a) -> Scalar', tags: S, impl: (a: Num) => -a },
  { schema: 'prim::abs.int(int a) -> int', tags: S, impl: Math.abs },
  { schema: 'prim::abs.float(float a) -> float', tags: S, impl: Math.abs },
  { schema: 'prim::abs.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.abs },
  { schema: 'aten::__and__.int(int a, int b) -> int', tags: S, impl: big((x, y) => x & y) },
  { schema: 'aten::__or__.int(int a, int b) -> int', tags: S, impl: big((x, y) => x | y) },
  { schema: 'aten::__xor__.int(int a, int b) -> int', tags: S, impl: big((x, y) => x ^ y) },
  { schema: 'aten::__lshift__.int(int a, int b) -> int', tags: S, impl: big((x, y) => x << y) },
  { schema: 'aten::__rshift__.int(int a, int b) -> int', tags: S, impl: big((x, y) => x >> y) },
  { schema: 'aten::__and__.bool(bool a, bool b) -> bool', tags: S, impl: (a: boolean, b: boolean) => a && b },
  { schema: 'aten::__or__.bool(bool a, bool b) -> bool', tags: S, impl: (a: boolean, b: boolean) => a || b },
  { schema: 'aten::__xor__.bool(bool a, bool b) -> bool', tags: S, impl: (a: boolean, b: boolean) => a !== b },
  { schema: 'aten::__not__(bool self) -> bool', tags: S, impl: (a: boolean) => !a },
  { schema: 'aten::floor.int(int a) -> int', tags: S, impl: (a: Num) => a },
  { schema: 'aten::floor.float(float a) -> int', tags: S, impl: Math.floor },
  { schema: 'aten::floor.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.floor },
  { schema: 'aten::ceil.int(int a) -> int', tags: S, impl: (a: Num) => a },
  { schema: 'aten::ceil.float(float a) -> int', tags: S, impl: Math.ceil },
  { schema: 'aten::ceil.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.ceil },
  { schema: 'aten::sqrt.int(int a) -> float', tags: S, impl: Math.sqrt },
  { schema: 'aten::sqrt.float(float a) -> float', tags: S, impl: Math.sqrt },
  { schema: 'aten::sqrt.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.sqrt },
  { schema: 'aten::exp.int(int a) -> float', tags: S, impl: Math.exp },
  { schema: 'aten::exp.float(float a) -> float', tags: S, impl: Math.exp },
  { schema: 'aten::exp.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.exp },
  { schema: 'aten::log.int(int a) -> float', tags: S, impl: Math.log },
  { schema: 'aten::log.float(float a) -> float', tags: S, impl: Math.log },
  { schema: 'aten::log.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.log },
  { schema: 'aten::tanh.int(int a) -> float', tags: S, impl: Math.tanh },
  { schema: 'aten::tanh.float(float a) -> float', tags: S, impl: Math.tanh },
  { schema: 'aten::tanh.Scalar(Scalar a) -> Scalar', tags: S, impl: Math.tanh },
  { schema: 'aten::isnan.float(float a) -> bool', tags: S, impl: Number.isNaN },
  { schema: 'aten::isinf.float(float a) -> bool', tags: S, impl: (a: Num) => a === Infinity || a === -Infinity },
  { schema: 'prim::min.int(int a, int b) -> int', tags: S, impl: Math.min },
  { schema: 'prim::min.float(float a, float b) -> float', tags: S, impl: Math.min },
  { schema: 'prim::min.int_float(int a, float b) -> float', tags: S, impl: Math.min },
  { schema: 'prim::min.float_int(float a, int b) -> float', tags: S, impl: Math.min },
  { schema: 'prim::min(Scalar a, Scalar b) -> Scalar', tags: S, impl: Math.min },
  { schema: 'prim::max.int(int a, int b) -> int', tags: S, impl: Math.max },
  { schema: 'prim::max.float(float a, float b) -> float', tags: S, impl: Math.max },
  { schema: 'prim::max.int_float(int a, float b) -> float', tags: S, impl: Math.max },
  { schema: 'prim::max.float_int(float a, int b) -> float', tags: S, impl: Math.max },
  { schema: 'prim::max(Scalar a, Scalar b) -> Scalar', tags: S, impl: Math.max },

  // Comparisons (same JS for every numeric pairing; strings compare by code point as in Python).
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).flatMap((op): OpDef[] => [
    { schema: `aten::${op}.int(int a, int b) -> bool`, tags: S, impl: CMP[op] },
    { schema: `aten::${op}.float(float a, float b) -> bool`, tags: S, impl: CMP[op] },
    { schema: `aten::${op}.int_float(int a, float b) -> bool`, tags: S, impl: CMP[op] },
    { schema: `aten::${op}.float_int(float a, int b) -> bool`, tags: S, impl: CMP[op] },
    { schema: `aten::${op}.str(str a, str b) -> bool`, tags: S, impl: CMP[op] },
    { schema: `aten::${op}(Scalar a, Scalar b) -> bool`, tags: S, impl: CMP[op] },
  ]),
  { schema: 'aten::eq.bool(bool a, bool b) -> bool', tags: S, impl: CMP.eq },
  { schema: 'aten::ne.bool(bool a, bool b) -> bool', tags: S, impl: CMP.ne },
  { schema: 'aten::eq.device(Device a, Device b) -> bool', tags: S, impl: CMP.eq },
  { schema: 'aten::ne.device(Device a, Device b) -> bool', tags: S, impl: CMP.ne },
  { schema: 'aten::__is__(t1 self, t2 obj) -> bool', tags: S, impl: (a: unknown, b: unknown) => a === b },
  { schema: 'aten::__isnot__(t1 self, t2 obj) -> bool', tags: S, impl: (a: unknown, b: unknown) => a !== b },

  // Conversions.
  { schema: 'aten::Int.Tensor(Tensor a) -> int', tags: S, impl: (t: Tensor) => Math.trunc(Number(item('aten::Int', t))) },
  { schema: 'aten::Int.bool(bool a) -> int', tags: S, impl: (a: boolean) => +a },
  { schema: 'aten::Int.float(float a) -> int', tags: S, impl: Math.trunc },
  { schema: 'aten::Int.Scalar(Scalar a) -> int', tags: S, impl: (a: Num) => Math.trunc(Number(a)) },
  { schema: 'aten::Int.str(str a) -> int', tags: S, impl: toInt },
  { schema: 'aten::Float.Tensor(Tensor a) -> float', tags: S, impl: (t: Tensor) => Number(item('aten::Float', t)) },
  { schema: 'aten::Float.int(int a) -> float', tags: S, impl: (a: Num) => a },
  { schema: 'aten::Float.bool(bool a) -> float', tags: S, impl: (a: boolean) => +a },
  { schema: 'aten::Float.Scalar(Scalar a) -> float', tags: S, impl: (a: Num) => Number(a) },
  { schema: 'aten::Float.str(str a) -> float', tags: S, impl: (a: string) => Number(a) },
  { schema: 'aten::Bool.Tensor(Tensor a) -> bool', tags: S, impl: (t: Tensor) => Boolean(item('aten::Bool', t)) },
  { schema: 'aten::Bool.int(int a) -> bool', tags: S, impl: (a: Num) => a !== 0 },
  { schema: 'aten::Bool.float(float a) -> bool', tags: S, impl: (a: Num) => a !== 0 },
  { schema: 'aten::ScalarImplicit(Tensor a) -> Scalar', tags: S, impl: (t: Tensor) => item('aten::ScalarImplicit', t) },
  { schema: 'aten::IntImplicit(Tensor a) -> int', tags: S, impl: (t: Tensor) => Math.trunc(Number(item('aten::IntImplicit', t))) },
  { schema: 'aten::FloatImplicit(Tensor a) -> float', tags: S, impl: (t: Tensor) => Number(item('aten::FloatImplicit', t)) },
  { schema: 'prim::NumToTensor.Scalar(Scalar a) -> Tensor', tags: S, impl: numToTensor },
  { schema: 'prim::NumToTensor.bool(bool a) -> Tensor', tags: S, impl: numToTensor },
  { schema: 'aten::str(t elem) -> str', tags: S, impl: pyStr },
  { schema: 'aten::format(str self, ...) -> str', tags: S, impl: format },
  { schema: 'aten::warn(str message, int stacklevel=2) -> ()', tags: S, impl: (m: string) => console.warn(`UserWarning: ${m}`) },
  { schema: 'aten::is_scripting() -> bool', tags: S, impl: () => true },
  { schema: 'aten::device(str a) -> Device', tags: S, impl: (a: string) => a },

  // Tensor queries.
  { schema: 'aten::size.int(Tensor self, int dim) -> int', tags: S, impl: (t: Tensor, d: Num) => t.shape[wrapDim('aten::size', d, t.dim)] },
  { schema: 'aten::size(Tensor self) -> int[]', tags: S, impl: (t: Tensor) => [...t.shape] },
  { schema: 'aten::dim(Tensor self) -> int', tags: S, impl: (t: Tensor) => t.dim },
  { schema: 'aten::numel(Tensor self) -> int', tags: S, impl: (t: Tensor) => t.numel },
  { schema: 'aten::len.Tensor(Tensor t) -> int', tags: S, impl: lenTensor },
  { schema: 'aten::is_floating_point(Tensor self) -> bool', tags: S, impl: (t: Tensor) => t.dtype === 'float32' || t.dtype === 'float64' },
  { schema: 'prim::dtype(Tensor a) -> int', tags: S, impl: (t: Tensor) => SCALAR_TYPE_OF[t.dtype] },
  { schema: 'prim::device(Tensor a) -> Device', tags: S, impl: () => 'cpu' },
  { schema: 'prim::type(Device self) -> str', tags: S, impl: (d: string) => d.split(':')[0] },
  { schema: 'prim::is_cuda(Tensor a) -> bool', tags: S, impl: () => false },
  { schema: 'prim::requires_grad(Tensor a) -> bool', tags: S, impl: (t: Tensor) => t.requiresGrad },

  // range() lowering helpers (ir_emitter.cpp emits these for `for i in range(a, b, c)`).
  { schema: 'aten::__range_length(int lo, int hi, int step) -> int', tags: S, impl: rangeLength },
  { schema: 'aten::__derive_index(int index, int start, int step) -> int', tags: S, impl: (i: Num, start: Num, step: Num) => start + i * step },
];

function lenTensor(t: Tensor): number {
  if (t.dim === 0) throw new OpError('aten::len', 'len() of a 0-d tensor');
  return t.shape[0];
}

function rangeLength(lo: Num, hi: Num, step: Num): number {
  if (step === 0) throw new OpError('aten::__range_length', 'range() arg 3 must not be zero');
  if (step > 0 && lo < hi) return Math.floor((hi - 1 - lo) / step) + 1;
  if (step < 0 && lo > hi) return Math.floor((lo - 1 - hi) / -step) + 1;
  return 0;
}
