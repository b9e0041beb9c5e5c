// The fuser's element ops: one numbering shared by the run-time code generator
// (src/jit/fuser) and the precompiled template VM (f32-fused-vm-wasmsimd.ts), which imports this
// very file. Plain constants, valid in both languages. Each op's meaning is the eager SIMD
// kernel's expression, so fused and unfused results agree bit for bit.

// (a, b) -> f32
export const FOP_ADD = 0;
export const FOP_SUB = 1;
export const FOP_MUL = 2;
export const FOP_DIV = 3;
/** torch.maximum: NaN if either is NaN. */
export const FOP_MAX = 4;
export const FOP_MIN = 5;
/** f32x4.pmax(a, b) (a < b ? b : a): with a constant b, a clamp that keeps a NaN a. */
export const FOP_PMAX = 6;
export const FOP_PMIN = 7;
// (a) -> f32
export const FOP_NEG = 8;
export const FOP_ABS = 9;
export const FOP_SQRT = 10;
export const FOP_EXP = 11;
export const FOP_LOG = 12;
export const FOP_SIGMOID = 13;
export const FOP_TANH = 14;
export const FOP_EXPM1 = 15;
export const FOP_LOG1P = 16;
export const FOP_FLOOR = 17;
export const FOP_CEIL = 18;
export const FOP_TRUNC = 19;
export const FOP_ROUND = 20;
// (a, b) -> mask (all ones / zeros per lane)
export const FOP_EQ = 21;
export const FOP_NE = 22;
export const FOP_LT = 23;
export const FOP_LE = 24;
export const FOP_GT = 25;
export const FOP_GE = 26;
/** (mask, a, b) -> mask ? a : b */
export const FOP_SELECT = 27;
/** mask -> 1.0 / 0.0 */
export const FOP_MASK_TO_F32 = 28;
/** f32 -> mask (x != 0) */
export const FOP_F32_TO_MASK = 29;
/** () -> splat of the instruction's immediate */
export const FOP_CONST = 30;

// Operand layouts over the [outer, inner] iteration space.
/** Contiguous, one element per output element. */
export const LAYOUT_FULL = 0;
/** Contiguous over inner, repeated for every outer index (broadcast along leading dims). */
export const LAYOUT_ROW = 1;
/** One element per outer index (broadcast along trailing dims). */
export const LAYOUT_COL = 2;
/** One element for everything. */
export const LAYOUT_SCALAR = 3;

// Element types in memory.
export const FTYPE_F32 = 0;
/** u8 0/1 (torch.bool); a mask in registers. */
export const FTYPE_BOOL = 1;
