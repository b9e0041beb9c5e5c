// The one numbering of kernel ops and dtypes, shared by the AssemblyScript kernels and the
// TypeScript SDK (which imports this very file): plain constants, valid in both languages.

// f32_unary
export const UNARY_NEG = 0;
export const UNARY_ABS = 1;
export const UNARY_EXP = 2;
export const UNARY_LOG = 3;
export const UNARY_SQRT = 4;
export const UNARY_RSQRT = 5;
export const UNARY_SIGMOID = 6;
export const UNARY_TANH = 7;
export const UNARY_RELU = 8;
export const UNARY_RECIPROCAL = 9;
export const UNARY_SIN = 10;
export const UNARY_COS = 11;
export const UNARY_EXPM1 = 12;
export const UNARY_LOG1P = 13;
export const UNARY_ERF = 14;
export const UNARY_FLOOR = 15;
export const UNARY_CEIL = 16;
export const UNARY_TRUNC = 17;
export const UNARY_ROUND = 18;
export const UNARY_SIGN = 19;
export const UNARY_GELU = 20;
export const UNARY_GELU_TANH = 21;
export const UNARY_SILU = 22;
export const UNARY_MISH = 23;
export const UNARY_SOFTPLUS = 24;
export const UNARY_ELU = 25;
export const UNARY_LEAKY_RELU = 26;
export const UNARY_HARDTANH = 27;
export const UNARY_HARDSIGMOID = 28;
export const UNARY_HARDSWISH = 29;
export const UNARY_RELU6 = 30;
export const UNARY_SQUARE = 31;
export const UNARY_LOG2 = 32;
export const UNARY_LOG10 = 33;
export const UNARY_EXP2 = 34;
export const UNARY_ADD_SCALAR = 35;
export const UNARY_MUL_SCALAR = 36;
export const UNARY_POW_SCALAR = 37;
export const UNARY_RSUB_SCALAR = 38;
export const UNARY_TAN = 39;
export const UNARY_ATAN = 40;
export const UNARY_ASIN = 41;
export const UNARY_ACOS = 42;
export const UNARY_SINH = 43;
export const UNARY_COSH = 44;
export const UNARY_ASINH = 45;
export const UNARY_ACOSH = 46;
export const UNARY_ATANH = 47;
export const UNARY_LOGIT = 48; // p0 = eps; p0 < 0 means no clamping
export const UNARY_FRAC = 49;

// f32_binary, f32_binary_nd
export const BINARY_ADD = 0;
export const BINARY_SUB = 1;
export const BINARY_MUL = 2;
export const BINARY_DIV = 3;
export const BINARY_MAX = 4;
export const BINARY_MIN = 5;
export const BINARY_POW = 6;
export const BINARY_ATAN2 = 7;
export const BINARY_FMOD = 8;
export const BINARY_REMAINDER = 9;
export const BINARY_FLOOR_DIVIDE = 10;
export const BINARY_TRUNC_DIVIDE = 11;
export const BINARY_COPYSIGN = 12;
export const BINARY_HYPOT = 13;
export const BINARY_SQUARED_DIFFERENCE = 14;

// Broadcast modes of the contiguous binary/compare kernels.
export const MODE_SAME = 0;
export const MODE_SCALAR_A = 1;
export const MODE_SCALAR_B = 2;

// f32_compare, f32_compare_nd (u8 output)
export const COMPARE_EQ = 0;
export const COMPARE_NE = 1;
export const COMPARE_LT = 2;
export const COMPARE_LE = 3;
export const COMPARE_GT = 4;
export const COMPARE_GE = 5;

// f32_reduce
export const REDUCE_SUM = 0;
export const REDUCE_PROD = 1;
export const REDUCE_MAX = 2;
export const REDUCE_MIN = 3;
export const REDUCE_MEAN = 4;
export const REDUCE_VAR = 5; // reserved: variance is the separate f32_var kernel
export const REDUCE_LOGSUMEXP = 6;
export const REDUCE_AMAX = 7; // same as MAX
export const REDUCE_NORM2 = 8;
export const REDUCE_AMIN = 9; // same as MIN

// f32_arg_reduce
export const ARG_MAX = 0;
export const ARG_MIN = 1;

// cast
export const DTYPE_F32 = 0;
export const DTYPE_I64 = 1;
export const DTYPE_I32 = 2;
export const DTYPE_U8 = 3;
export const DTYPE_BOOL = 4;
export const DTYPE_F64 = 5;
export const DTYPE_I8 = 6;
export const DTYPE_I16 = 7;
