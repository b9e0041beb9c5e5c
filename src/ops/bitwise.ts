// Bitwise rows on integer and bool tensors: bitwise_and/or/xor and the `&`, `|`, `^` operators
// scripts call as aten::__and__ etc. (Mask R-CNN combines its box masks with them).
import { Tensor } from '../sdk/tensor.js';
import { DTYPES, isFloating, resultType, type DType } from '../sdk/dtype.js';
import { DTypeError } from '../sdk/errors.js';
import { fromValues, mapN } from './exec.js';
import type { OpDef, Tag } from './table.js';

type Num = number | boolean;
interface BitFn { small: (a: number, b: number) => number; big: (a: bigint, b: bigint) => bigint }

const INT32 = 2 ** 31;

/** One bitwise op on two numbers: 32-bit JS operators when both fit, else 64-bit BigInt. */
function bits({ small, big }: BitFn): (a: number, b: number) => number {
  return (a, b) => (a >= -INT32 && a < INT32 && b >= -INT32 && b < INT32 ? small(a, b) : Number(BigInt.asIntN(64, big(BigInt(a), BigInt(b)))));
}

function bitwise(op: string, f: BitFn) {
  const fn = bits(f);
  return (a: Tensor | Num, b: Tensor | Num): Tensor => {
    const operands = [a, b].filter((x): x is Tensor => x instanceof Tensor);
    const scalars = [a, b].filter((x): x is Num => !(x instanceof Tensor)).map((value) => ({ value }));
    const dtype: DType = resultType(operands, scalars);
    if (isFloating(dtype)) throw new DTypeError(op, `"${op.slice(6).replace(/^__(\w+)__$/, 'bitwise_$1')}_cpu" not implemented for '${DTYPES[dtype].short}'`);
    const ts = [a, b].map((x) => (x instanceof Tensor ? x : fromValues([], dtype, [Number(x)])));
    const out = mapN(op, ts, dtype, dtype === 'bool' ? (x, y) => fn(+(x !== 0), +(y !== 0)) : fn);
    ts.forEach((t, i) => t !== [a, b][i] && t.dispose());
    return out;
  };
}

const B: readonly Tag[] = ['pointwise', 'binary'];
const OPS: [string, BitFn][] = [
  ['and', { small: (a, b) => a & b, big: (a, b) => a & b }],
  ['or', { small: (a, b) => a | b, big: (a, b) => a | b }],
  ['xor', { small: (a, b) => a ^ b, big: (a, b) => a ^ b }],
];

export const BITWISE_OPS: OpDef[] = OPS.flatMap(([name, f]) => {
  const named = bitwise(`aten::bitwise_${name}`, f), dunder = bitwise(`aten::__${name}__`, f);
  return [
    { schema: `aten::bitwise_${name}.Tensor(Tensor self, Tensor other) -> Tensor`, tags: B, impl: named },
    { schema: `aten::bitwise_${name}.Scalar(Tensor self, Scalar other) -> Tensor`, tags: B, impl: named },
    { schema: `aten::bitwise_${name}.Scalar_Tensor(Scalar self, Tensor other) -> Tensor`, tags: B, impl: named },
    { schema: `aten::__${name}__.Tensor(Tensor self, Tensor other) -> Tensor`, tags: B, impl: dunder },
    { schema: `aten::__${name}__.Scalar(Tensor self, Scalar other) -> Tensor`, tags: B, impl: dunder },
  ];
});
