// f32_unary / f32_binary / f32_compare against plain-JS references on size sweeps, special values
// and in-place calls. Tolerance: PyTorch's pointwise float32 one (rtol 1.3e-6, atol 1e-5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as K from '../../assembly/kernels/opcodes.js';
import { w, f32, lcg, close } from './wasm.js';

const fr = Math.fround;

const rand = lcg(7);
const SIZES = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 64, 1000, 1 + Math.floor(rand() * 3000)];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1e-40, -3e-39, 1.2e-38, 1, -1,
  0.5, -0.5, 2.5, -2.5, 1.5, 3, -3, 6, 88.7, 88.73, 89, -87.3, -103.9, -104, 100, -100, 1e30, -1e30];

function inputs(n: number, lo: number, hi: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = i < SPECIAL.length && n > 40 ? SPECIAL[i] : lo + (hi - lo) * rand();
  return x;
}

// erf by Simpson's rule on exp(-t^2): an independent check of the kernel's series.
function erfRef(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) > 6) return Math.sign(x);
  const a = Math.abs(x), m = 4000, h = a / m;
  let s = 1 + Math.exp(-a * a);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return Math.sign(x) * s * h / 3 * 2 / Math.sqrt(Math.PI);
}

const log1p = Math.log1p, expm1 = Math.expm1;
// C pow: pow(1, y) = pow(x, 0) = 1 even for NaN (JS's ** says NaN).
const pow = (a: number, b: number) => (b === 0 || a === 1 ? 1 : a ** b);
const softplus = (x: number, beta: number, th: number) => (x * beta > th ? x : log1p(Math.exp(beta * x)) / beta);
// Half to even, like torch.round.
const roundEven = (x: number) => { const r = Math.round(x); return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; };
const clamp = (x: number, lo: number, hi: number) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, lo), hi));

type Case = { op: number; ref: (x: number) => number; lo: number; hi: number; p0?: number; p1?: number };
const UNARY: Record<string, Case> = {
  neg: { op: K.UNARY_NEG, ref: (x) => -x, lo: -10, hi: 10 },
  abs: { op: K.UNARY_ABS, ref: Math.abs, lo: -10, hi: 10 },
  exp: { op: K.UNARY_EXP, ref: Math.exp, lo: -100, hi: 90 },
  log: { op: K.UNARY_LOG, ref: Math.log, lo: 0, hi: 100 },
  log_small: { op: K.UNARY_LOG, ref: Math.log, lo: 0.5, hi: 2 },
  sqrt: { op: K.UNARY_SQRT, ref: Math.sqrt, lo: 0, hi: 100 },
  rsqrt: { op: K.UNARY_RSQRT, ref: (x) => 1 / Math.sqrt(x), lo: 0.01, hi: 100 },
  sigmoid: { op: K.UNARY_SIGMOID, ref: (x) => 1 / (1 + Math.exp(-x)), lo: -30, hi: 30 },
  tanh: { op: K.UNARY_TANH, ref: Math.tanh, lo: -5, hi: 5 },
  tanh_small: { op: K.UNARY_TANH, ref: Math.tanh, lo: -0.7, hi: 0.7 },
  relu: { op: K.UNARY_RELU, ref: (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0)), lo: -5, hi: 5 },
  reciprocal: { op: K.UNARY_RECIPROCAL, ref: (x) => 1 / x, lo: -5, hi: 5 },
  sin: { op: K.UNARY_SIN, ref: Math.sin, lo: -10, hi: 10 },
  cos: { op: K.UNARY_COS, ref: Math.cos, lo: -10, hi: 10 },
  expm1: { op: K.UNARY_EXPM1, ref: expm1, lo: -2, hi: 2 },
  expm1_tiny: { op: K.UNARY_EXPM1, ref: expm1, lo: -1e-3, hi: 1e-3 },
  log1p: { op: K.UNARY_LOG1P, ref: log1p, lo: -0.9, hi: 10 },
  log1p_tiny: { op: K.UNARY_LOG1P, ref: log1p, lo: -1e-4, hi: 1e-4 },
  erf: { op: K.UNARY_ERF, ref: erfRef, lo: -5, hi: 5 },
  floor: { op: K.UNARY_FLOOR, ref: Math.floor, lo: -10, hi: 10 },
  ceil: { op: K.UNARY_CEIL, ref: Math.ceil, lo: -10, hi: 10 },
  trunc: { op: K.UNARY_TRUNC, ref: Math.trunc, lo: -10, hi: 10 },
  round: { op: K.UNARY_ROUND, ref: roundEven, lo: -10, hi: 10 },
  sign: { op: K.UNARY_SIGN, ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), lo: -3, hi: 3 },
  gelu: { op: K.UNARY_GELU, ref: (x) => 0.5 * x * (1 + erfRef(x / Math.SQRT2)), lo: -6, hi: 6 },
  gelu_tanh: { op: K.UNARY_GELU_TANH, ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), lo: -6, hi: 6 },
  silu: { op: K.UNARY_SILU, ref: (x) => x / (1 + Math.exp(-x)), lo: -20, hi: 20 },
  mish: { op: K.UNARY_MISH, ref: (x) => x * Math.tanh(log1p(Math.exp(x))), lo: -20, hi: 20 },
  softplus: { op: K.UNARY_SOFTPLUS, ref: (x) => softplus(x, 2, 20), lo: -20, hi: 20, p0: 2, p1: 20 },
  elu: { op: K.UNARY_ELU, ref: (x) => (x > 0 ? x : 1.5 * expm1(x)), lo: -5, hi: 5, p0: 1.5 },
  leaky_relu: { op: K.UNARY_LEAKY_RELU, ref: (x) => (x > 0 ? x : 0.01 * x), lo: -5, hi: 5, p0: 0.01 },
  hardtanh: { op: K.UNARY_HARDTANH, ref: (x) => clamp(x, -1, 2), lo: -5, hi: 5, p0: -1, p1: 2 },
  hardsigmoid: { op: K.UNARY_HARDSIGMOID, ref: (x) => clamp(x + 3, 0, 6) / 6, lo: -5, hi: 5 },
  hardswish: { op: K.UNARY_HARDSWISH, ref: (x) => (x * clamp(x + 3, 0, 6)) / 6, lo: -5, hi: 5 },
  relu6: { op: K.UNARY_RELU6, ref: (x) => clamp(x, 0, 6), lo: -3, hi: 9 },
  square: { op: K.UNARY_SQUARE, ref: (x) => x * x, lo: -10, hi: 10 },
  log2: { op: K.UNARY_LOG2, ref: Math.log2, lo: 0, hi: 100 },
  log10: { op: K.UNARY_LOG10, ref: Math.log10, lo: 0, hi: 100 },
  exp2: { op: K.UNARY_EXP2, ref: (x) => 2 ** x, lo: -20, hi: 20 },
  add_scalar: { op: K.UNARY_ADD_SCALAR, ref: (x) => x + fr(0.25), lo: -10, hi: 10, p0: 0.25 },
  mul_scalar: { op: K.UNARY_MUL_SCALAR, ref: (x) => x * fr(-1.5), lo: -10, hi: 10, p0: -1.5 },
  pow_scalar: { op: K.UNARY_POW_SCALAR, ref: (x) => pow(x, 1.7), lo: 0, hi: 10, p0: 1.7 },
  pow_2: { op: K.UNARY_POW_SCALAR, ref: (x) => x ** 2, lo: -10, hi: 10, p0: 2 },
  pow_half: { op: K.UNARY_POW_SCALAR, ref: Math.sqrt, lo: 0, hi: 10, p0: 0.5 },
  rsub_scalar: { op: K.UNARY_RSUB_SCALAR, ref: (x) => 3 - x, lo: -10, hi: 10, p0: 3 },
  tan: { op: K.UNARY_TAN, ref: Math.tan, lo: -1.5, hi: 1.5 },
  atan: { op: K.UNARY_ATAN, ref: Math.atan, lo: -10, hi: 10 },
  asin: { op: K.UNARY_ASIN, ref: Math.asin, lo: -1, hi: 1 },
  acos: { op: K.UNARY_ACOS, ref: Math.acos, lo: -1, hi: 1 },
  sinh: { op: K.UNARY_SINH, ref: Math.sinh, lo: -10, hi: 10 },
  cosh: { op: K.UNARY_COSH, ref: Math.cosh, lo: -10, hi: 10 },
  asinh: { op: K.UNARY_ASINH, ref: Math.asinh, lo: -10, hi: 10 },
  acosh: { op: K.UNARY_ACOSH, ref: Math.acosh, lo: 1, hi: 10 },
  atanh: { op: K.UNARY_ATANH, ref: Math.atanh, lo: -0.99, hi: 0.99 },
  logit: { op: K.UNARY_LOGIT, ref: (x) => Math.log(x / (1 - x)), lo: 0.01, hi: 0.99, p0: -1 },
  logit_eps: { op: K.UNARY_LOGIT, ref: (x) => { const z = clamp(x, 0.1, 0.9); return Math.log(z / (1 - z)); }, lo: -1, hi: 2, p0: 0.1 },
  frac: { op: K.UNARY_FRAC, ref: (x) => x - Math.trunc(x), lo: -10, hi: 10 },
};

function checkUnary(name: string, c: Case, n: number, inPlace: boolean) {
  const x = inputs(n, c.lo, c.hi);
  const px = w.alloc(n * 4), py = inPlace ? px : w.alloc(n * 4);
  f32(px, n).set(x);
  w.f32_unary(c.op, px, py, n, c.p0 ?? 0, c.p1 ?? 0);
  const y = f32(py, n).slice();
  for (let i = 0; i < n; i++) {
    const want = fr(c.ref(x[i]));
    if (!close(y[i], want)) assert.unreachable(`${name}(${x[i]}) = ${y[i]}, want ${want} (n=${n}, i=${i}, inPlace=${inPlace})`);
  }
  w.free(px);
  if (!inPlace) w.free(py);
}

for (const [name, c] of Object.entries(UNARY)) {
  test(`unary ${name}`, () => {
    for (const n of SIZES) checkUnary(name, c, n, false);
    checkUnary(name, c, 1000, true);
  });
}

test('unary special values give the IEEE/PyTorch answers', () => {
  const cases: [number, number, number][] = [
    [K.UNARY_EXP, -Infinity, 0], [K.UNARY_EXP, 100, Infinity], [K.UNARY_EXP, NaN, NaN], [K.UNARY_EXP, -104, 0],
    [K.UNARY_LOG, 0, -Infinity], [K.UNARY_LOG, -0, -Infinity], [K.UNARY_LOG, -1, NaN], [K.UNARY_LOG, Infinity, Infinity],
    [K.UNARY_LOG, 1e-45, Math.log(fr(1e-45))], [K.UNARY_LOG, 3e-39, Math.log(fr(3e-39))], [K.UNARY_TANH, Infinity, 1], [K.UNARY_TANH, -Infinity, -1],
    [K.UNARY_SIGMOID, -100, fr(1 / (1 + Math.exp(100)))], [K.UNARY_SIGMOID, Infinity, 1], [K.UNARY_SIGMOID, -Infinity, 0],
    [K.UNARY_HARDTANH, NaN, NaN], [K.UNARY_RELU, NaN, NaN], [K.UNARY_RELU6, NaN, NaN], [K.UNARY_SIGN, NaN, 0],
    [K.UNARY_ROUND, 2.5, 2], [K.UNARY_ROUND, -0.5, -0], [K.UNARY_ROUND, 3.5, 4], [K.UNARY_LOG1P, -1, -Infinity],
    [K.UNARY_LOG1P, Infinity, Infinity], [K.UNARY_EXPM1, -Infinity, -1], [K.UNARY_EXPM1, 100, Infinity],
    [K.UNARY_MISH, 100, 100], [K.UNARY_ERF, Infinity, 1], [K.UNARY_ERF, -Infinity, -1], [K.UNARY_ERF, NaN, NaN],
    [K.UNARY_POW_SCALAR, 1, 1],
  ];
  const p = w.alloc(4);
  for (const [op, x, want] of cases) {
    f32(p, 1)[0] = x;
    w.f32_unary(op, p, p, 1, op === K.UNARY_HARDTANH ? -1 : 0, 1);
    const got = f32(p, 1)[0];
    assert.ok(Object.is(got, want) || (want !== 0 && close(got, want, 1e-6, 0)), `op ${op}(${x}) = ${got}, want ${want}`);
  }
  w.free(p);
});

// Binary references: what PyTorch computes for float32.
const fmod = (a: number, b: number) => a % b;
const remainder = (a: number, b: number) => { let m = a % b; if (m !== 0 && (b < 0) !== (m < 0)) m += b; return m; };
const floorDivide = (a: number, b: number) => {
  if (b === 0) return a / b;
  const m = fr(a % b);
  let div = fr(fr(a - m) / b);
  if (m !== 0 && (b < 0) !== (m < 0)) div = fr(div - 1);
  if (div === 0) return Math.sign(a / b) < 0 || Object.is(a / b, -0) ? -0 : 0;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
};
const maxNan = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
const minNan = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));
const copysign = (a: number, b: number) => Math.abs(a) * (b < 0 || Object.is(b, -0) ? -1 : 1);

const BINARY: Record<string, [number, (a: number, b: number) => number]> = {
  add: [K.BINARY_ADD, (a, b) => a + b], sub: [K.BINARY_SUB, (a, b) => a - b],
  mul: [K.BINARY_MUL, (a, b) => a * b], div: [K.BINARY_DIV, (a, b) => a / b],
  max: [K.BINARY_MAX, maxNan], min: [K.BINARY_MIN, minNan], pow: [K.BINARY_POW, pow],
  atan2: [K.BINARY_ATAN2, Math.atan2], fmod: [K.BINARY_FMOD, fmod], remainder: [K.BINARY_REMAINDER, remainder],
  floor_divide: [K.BINARY_FLOOR_DIVIDE, floorDivide], trunc_divide: [K.BINARY_TRUNC_DIVIDE, (a, b) => Math.trunc(fr(a / b))],
  copysign: [K.BINARY_COPYSIGN, copysign], hypot: [K.BINARY_HYPOT, Math.hypot],
  squared_difference: [K.BINARY_SQUARED_DIFFERENCE, (a, b) => fr(a - b) ** 2],
};

function binaryInputs(n: number): [Float32Array, Float32Array] {
  const a = inputs(n, -8, 8), b = inputs(n, -8, 8);
  if (n > 40) for (let i = 0; i < SPECIAL.length; i++) b[i] = SPECIAL[(i * 7) % SPECIAL.length];
  return [a, b];
}

for (const [name, [op, ref]] of Object.entries(BINARY)) {
  test(`binary ${name}: modes 0/1/2 and in place`, () => {
    for (const n of SIZES) {
      for (const mode of [0, 1, 2]) {
        for (const alias of ['none', 'a', 'b']) {
          if (n !== 1000 && alias !== 'none') continue;
          if ((mode === 1 && alias === 'a') || (mode === 2 && alias === 'b')) continue;
          const [a, b] = binaryInputs(n);
          const pa = w.alloc(n * 4), pb = w.alloc(n * 4);
          f32(pa, n).set(a); f32(pb, n).set(b);
          const py = alias === 'a' ? pa : alias === 'b' ? pb : w.alloc(n * 4);
          w.f32_binary(op, pa, pb, py, n, mode);
          const y = f32(py, n).slice();
          for (let i = 0; i < n; i++) {
            const ai = mode === 1 ? a[0] : a[i], bi = mode === 2 ? b[0] : b[i];
            const want = fr(ref(ai, bi));
            if (!close(y[i], want)) assert.unreachable(`${name}(${ai}, ${bi}) = ${y[i]}, want ${want} (n=${n} mode=${mode} alias=${alias})`);
          }
          for (const p of new Set([pa, pb, py])) w.free(p);
        }
      }
    }
  });
}

const COMPARE: [string, number, (a: number, b: number) => boolean][] = [
  ['eq', K.COMPARE_EQ, (a, b) => a === b], ['ne', K.COMPARE_NE, (a, b) => a !== b],
  ['lt', K.COMPARE_LT, (a, b) => a < b], ['le', K.COMPARE_LE, (a, b) => a <= b],
  ['gt', K.COMPARE_GT, (a, b) => a > b], ['ge', K.COMPARE_GE, (a, b) => a >= b],
];

test('compare: all ops, modes, sizes, NaN', () => {
  for (const [name, op, ref] of COMPARE) {
    for (const n of SIZES) {
      for (const mode of [0, 1, 2]) {
        const [a, b] = binaryInputs(n);
        for (let i = 0; i < n; i += 3) b[i] = a[i]; // equal pairs too
        const pa = w.alloc(n * 4), pb = w.alloc(n * 4), py = w.alloc(n + 16);
        f32(pa, n).set(a); f32(pb, n).set(b);
        new Uint8Array(w.memory.buffer, py, n + 16).fill(7);
        w.f32_compare(op, pa, pb, py, n, mode);
        const y = new Uint8Array(w.memory.buffer, py, n + 16).slice();
        for (let i = 0; i < n; i++) {
          const want = ref(mode === 1 ? a[0] : a[i], mode === 2 ? b[0] : b[i]) ? 1 : 0;
          if (y[i] !== want) assert.unreachable(`${name} n=${n} mode=${mode} i=${i}: ${y[i]} != ${want}`);
        }
        assert.is(y[n], 7, 'wrote past the end');
        w.free(pa); w.free(pb); w.free(py);
      }
    }
  }
});

test('kernels write nothing past n', () => {
  for (const n of [1, 3, 5, 7]) {
    const p = w.alloc(64), q = w.alloc(64);
    f32(p, 16).fill(1); f32(q, 16).fill(-9);
    w.f32_unary(K.UNARY_EXP, p, q, n, 0, 0);
    w.f32_binary(K.BINARY_ADD, p, p, q, n, 0);
    assert.is(f32(q, 16)[n], -9);
    w.free(p); w.free(q);
  }
});

test.run();
