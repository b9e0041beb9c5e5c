// Data types and PyTorch's type promotion (c10/core/ScalarType.h promoteTypes).
import { DTYPE_F32, DTYPE_I64, DTYPE_I32, DTYPE_U8, DTYPE_BOOL, DTYPE_F64 } from '../../assembly/kernels/opcodes.js';

export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool';

export interface DTypeInfo {
  readonly size: number;
  readonly code: number; // the kernels' dtype code
  readonly kind: 'bool' | 'int' | 'float';
  readonly short: string; // PyTorch's graph spelling: Float, Long, ...
  readonly npy: string;
}

export const DTYPES: Record<DType, DTypeInfo> = {
  float32: { size: 4, code: DTYPE_F32, kind: 'float', short: 'Float', npy: '<f4' },
  float64: { size: 8, code: DTYPE_F64, kind: 'float', short: 'Double', npy: '<f8' },
  int64: { size: 8, code: DTYPE_I64, kind: 'int', short: 'Long', npy: '<i8' },
  int32: { size: 4, code: DTYPE_I32, kind: 'int', short: 'Int', npy: '<i4' },
  uint8: { size: 1, code: DTYPE_U8, kind: 'int', short: 'Byte', npy: '|u1' },
  bool: { size: 1, code: DTYPE_BOOL, kind: 'bool', short: 'Bool', npy: '|b1' },
};

/** PyTorch's ScalarType enum values, used by TorchScript for `dtype` arguments. */
export const SCALAR_TYPE: Record<number, DType> = { 0: 'uint8', 3: 'int32', 4: 'int64', 6: 'float32', 7: 'float64', 11: 'bool' };
export const SCALAR_TYPE_OF: Record<DType, number> = { uint8: 0, int32: 3, int64: 4, float32: 6, float64: 7, bool: 11 };

export function isDType(v: unknown): v is DType {
  return typeof v === 'string' && v in DTYPES;
}

export const isFloating = (d: DType) => DTYPES[d].kind === 'float';
export const isIntegral = (d: DType, includeBool = false) => DTYPES[d].kind === 'int' || (includeBool && d === 'bool');

const ORDER: DType[] = ['bool', 'uint8', 'int32', 'int64', 'float32', 'float64'];

/** promoteTypes for the dtypes we hold: bool < uint8 < int32 < int64 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

const CATEGORY = { bool: 0, int: 1, float: 2 } as const;

/**
 * torch.result_type: tensors with dims win over zero-dim tensors, which win over wrapped scalars,
 * unless a lower priority operand is of a higher category (bool < int < float).
 * A JS number is an int scalar when it is an integer and `floatHint` is not set.
 */
export function resultType(operands: { dtype: DType; dim: number }[], scalars: { value: number | boolean; isFloat?: boolean }[] = []): DType {
  let dimT: DType | undefined, zeroT: DType | undefined, scalarT: DType | undefined;
  for (const o of operands) {
    if (o.dim > 0) dimT = dimT ? promoteTypes(dimT, o.dtype) : o.dtype;
    else zeroT = zeroT ? promoteTypes(zeroT, o.dtype) : o.dtype;
  }
  for (const s of scalars) {
    const t: DType = typeof s.value === 'boolean' ? 'bool' : s.isFloat || !Number.isInteger(s.value) ? 'float32' : 'int64';
    scalarT = scalarT ? promoteTypes(scalarT, t) : t;
  }
  let result = dimT ?? zeroT ?? scalarT ?? 'float32';
  // A higher category from a lower-priority operand wins (a scalar's type is already its category's default).
  for (const lower of [zeroT, scalarT]) {
    if (lower && CATEGORY[DTYPES[lower].kind] > CATEGORY[DTYPES[result].kind]) result = lower;
  }
  return result;
}
