// The fuser's precompiled template: runs a fused pointwise program (ops from fused-ops.ts) tile
// by tile, a tiny register VM over f32x4 tiles. It serves pages whose CSP forbids compiling
// WebAssembly at run time and programs the code generator declines. Registers are tiles that the
// caller allocates (src/jit/fuser/template.ts): input k is register k, and an instruction never
// writes a register it reads, so the last vector of a tile may overlap the one before it and is
// simply computed twice. Tiles are long (few dispatches per element) and the op loops handle four
// vectors per iteration; registers are reused, so the tiles in use stay in L1.
import {
  FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_MAX, FOP_MIN, FOP_PMAX, FOP_PMIN, FOP_NEG, FOP_ABS,
  FOP_SQRT, FOP_EXP, FOP_LOG, FOP_SIGMOID, FOP_TANH, FOP_EXPM1, FOP_LOG1P, FOP_FLOOR, FOP_CEIL,
  FOP_TRUNC, FOP_ROUND, FOP_EQ, FOP_NE, FOP_LT, FOP_LE, FOP_GT, FOP_GE, FOP_SELECT,
  FOP_MASK_TO_F32, FOP_F32_TO_MASK, FOP_CONST, LAYOUT_FULL, LAYOUT_ROW, LAYOUT_SCALAR, FTYPE_F32,
} from './fused-ops';
import { opOf } from '../kernels/op-type';
import { vexp, vlog, vexpm1, vlog1p, vsigmoid, vtanh } from '../kernels/f32-vmath-wasmsimd';

/** Elements per register tile (src/jit/fuser/template.ts sizes the scratch for it). */
const TILE: i32 = 512;
const MAX_REGS: i32 = 256;
/** Each register's current address (a tile in `regs`, or straight into an input or output). */
const REG_PTR: usize = memory.data(MAX_REGS * 4, 16);

// @ts-ignore: decorator
@inline function word(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function regPtr(r: i32): usize { return load<u32>(REG_PTR + (<usize>r << 2)); }
// @ts-ignore: decorator
@inline function setReg(r: i32, p: usize): void { store<u32>(REG_PTR + (<usize>r << 2), <u32>p); }
// @ts-ignore: decorator
@inline function tile(regs: usize, r: i32): usize { return regs + <usize>(r * TILE * 4); }

/** 4 bytes of 0/1 at p as a lane mask. */
// @ts-ignore: decorator
@inline function maskOf(p: usize): v128 {
  return i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p))), i32x4.splat(0));
}

/** A mask's lanes as 4 bytes of 0/1 at p. */
// @ts-ignore: decorator
@inline function storeMask(p: usize, m: v128): void {
  const b = v128.and(m, i32x4.splat(1));
  const n = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(b, b), i16x8.narrow_i32x4_u(b, b));
  v128.store32_lane(p, n, 0);
}

// pmax(a, b) is a < b ? b : a, already NaN for a NaN a: only a NaN b needs the fix-up, OR-ing
// its bits in (a NaN OR anything is a NaN), as the code generator's emitMaxMin.
// @ts-ignore: decorator
@inline function fmax(a: v128, b: v128): v128 { return v128.or(f32x4.pmax(a, b), v128.and(f32x4.ne(b, b), b)); }
// @ts-ignore: decorator
@inline function fmin(a: v128, b: v128): v128 { return v128.or(f32x4.pmin(a, b), v128.and(f32x4.ne(b, b), b)); }

// One class per op so that each instruction's loop inlines its SIMD code (op-type.ts pattern).
@final @unmanaged class Add { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.add(a, b); } }
@final @unmanaged class Sub { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.sub(a, b); } }
@final @unmanaged class Mul { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.mul(a, b); } }
@final @unmanaged class Div { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.div(a, b); } }
@final @unmanaged class Max { @inline vec(a: v128, b: v128, c: v128): v128 { return fmax(a, b); } }
@final @unmanaged class Min { @inline vec(a: v128, b: v128, c: v128): v128 { return fmin(a, b); } }
@final @unmanaged class Pmax { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.pmax(a, b); } }
@final @unmanaged class Pmin { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.pmin(a, b); } }
@final @unmanaged class Neg { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.neg(a); } }
@final @unmanaged class Abs { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.abs(a); } }
@final @unmanaged class Sqrt { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.sqrt(a); } }
@final @unmanaged class Exp { @inline vec(a: v128, b: v128, c: v128): v128 { return vexp(a); } }
@final @unmanaged class Log { @inline vec(a: v128, b: v128, c: v128): v128 { return vlog(a); } }
@final @unmanaged class Sigmoid { @inline vec(a: v128, b: v128, c: v128): v128 { return vsigmoid(a); } }
@final @unmanaged class Tanh { @inline vec(a: v128, b: v128, c: v128): v128 { return vtanh(a); } }
@final @unmanaged class Expm1 { @inline vec(a: v128, b: v128, c: v128): v128 { return vexpm1(a); } }
@final @unmanaged class Log1p { @inline vec(a: v128, b: v128, c: v128): v128 { return vlog1p(a); } }
@final @unmanaged class Floor { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.floor(a); } }
@final @unmanaged class Ceil { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.ceil(a); } }
@final @unmanaged class Trunc { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.trunc(a); } }
@final @unmanaged class Round { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.nearest(a); } }
@final @unmanaged class Eq { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.eq(a, b); } }
@final @unmanaged class Ne { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.ne(a, b); } }
@final @unmanaged class Lt { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.lt(a, b); } }
@final @unmanaged class Le { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.le(a, b); } }
@final @unmanaged class Gt { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.gt(a, b); } }
@final @unmanaged class Ge { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.ge(a, b); } }
@final @unmanaged class Select { @inline vec(a: v128, b: v128, c: v128): v128 { return v128.bitselect(b, c, a); } }
@final @unmanaged class MaskToF32 { @inline vec(a: v128, b: v128, c: v128): v128 { return v128.and(a, f32x4.splat(1.0)); } }
@final @unmanaged class F32ToMask { @inline vec(a: v128, b: v128, c: v128): v128 { return f32x4.ne(a, f32x4.splat(0.0)); } }

// How many operands an op reads, as a type whose size is the count (3 rounds up to 4): the loop
// below is generic over it, and the operands an op ignores are not loaded.
type Reads1 = u8;
type Reads2 = u16;
type Reads3 = u32;

/** d = op(a, b, c) for the vector at each pointer. */
// @ts-ignore: decorator
@inline function vec<T, N>(d: usize, a: usize, b: usize, c: usize): void {
  const x = v128.load(a);
  v128.store(d, opOf<T>().vec(x, sizeof<N>() >= 2 ? v128.load(b) : x, sizeof<N>() == 4 ? v128.load(c) : x));
}

/**
 * d = op(a, b, c) over the vectors at bytes 0, 16, ... below `last`, four per iteration, then at
 * `last` (maybe overlapping). The unrolled body moves the pointers once and reaches its vectors
 * through immediate offsets (which must be literals, hence written out).
 */
function loop<T, N>(d: usize, a: usize, b: usize, c: usize, last: usize): void {
  const op = opOf<T>();
  const d0 = d, a0 = a, b0 = b, c0 = c, end = d + last;
  for (; d + 64 <= end; d += 64, a += 64, b += 64, c += 64) {
    const x0 = v128.load(a), x1 = v128.load(a, 16), x2 = v128.load(a, 32), x3 = v128.load(a, 48);
    const two = sizeof<N>() >= 2, three = sizeof<N>() == 4;
    const y0 = two ? v128.load(b) : x0, y1 = two ? v128.load(b, 16) : x1, y2 = two ? v128.load(b, 32) : x2, y3 = two ? v128.load(b, 48) : x3;
    const z0 = three ? v128.load(c) : x0, z1 = three ? v128.load(c, 16) : x1, z2 = three ? v128.load(c, 32) : x2, z3 = three ? v128.load(c, 48) : x3;
    v128.store(d, op.vec(x0, y0, z0));
    v128.store(d, op.vec(x1, y1, z1), 16);
    v128.store(d, op.vec(x2, y2, z2), 32);
    v128.store(d, op.vec(x3, y3, z3), 48);
  }
  for (; d < end; d += 16, a += 16, b += 16, c += 16) vec<T, N>(d, a, b, c);
  vec<T, N>(d0 + last, a0 + last, b0 + last, c0 + last);
}

// @ts-ignore: decorator
@inline function loop1<T>(d: usize, a: usize, last: usize): void { loop<T, Reads1>(d, a, a, a, last); }
// @ts-ignore: decorator
@inline function loop2<T>(d: usize, a: usize, b: usize, last: usize): void { loop<T, Reads2>(d, a, b, a, last); }
// @ts-ignore: decorator
@inline function loop3<T>(d: usize, a: usize, b: usize, c: usize, last: usize): void { loop<T, Reads3>(d, a, b, c, last); }

function runOp(op: i32, d: usize, a: usize, b: usize, c: usize, last: usize): void {
  switch (op) {
    case FOP_ADD: loop2<Add>(d, a, b, last); break;
    case FOP_SUB: loop2<Sub>(d, a, b, last); break;
    case FOP_MUL: loop2<Mul>(d, a, b, last); break;
    case FOP_DIV: loop2<Div>(d, a, b, last); break;
    case FOP_MAX: loop2<Max>(d, a, b, last); break;
    case FOP_MIN: loop2<Min>(d, a, b, last); break;
    case FOP_PMAX: loop2<Pmax>(d, a, b, last); break;
    case FOP_PMIN: loop2<Pmin>(d, a, b, last); break;
    case FOP_NEG: loop1<Neg>(d, a, last); break;
    case FOP_ABS: loop1<Abs>(d, a, last); break;
    case FOP_SQRT: loop1<Sqrt>(d, a, last); break;
    case FOP_EXP: loop1<Exp>(d, a, last); break;
    case FOP_LOG: loop1<Log>(d, a, last); break;
    case FOP_SIGMOID: loop1<Sigmoid>(d, a, last); break;
    case FOP_TANH: loop1<Tanh>(d, a, last); break;
    case FOP_EXPM1: loop1<Expm1>(d, a, last); break;
    case FOP_LOG1P: loop1<Log1p>(d, a, last); break;
    case FOP_FLOOR: loop1<Floor>(d, a, last); break;
    case FOP_CEIL: loop1<Ceil>(d, a, last); break;
    case FOP_TRUNC: loop1<Trunc>(d, a, last); break;
    case FOP_ROUND: loop1<Round>(d, a, last); break;
    case FOP_EQ: loop2<Eq>(d, a, b, last); break;
    case FOP_NE: loop2<Ne>(d, a, b, last); break;
    case FOP_LT: loop2<Lt>(d, a, b, last); break;
    case FOP_LE: loop2<Le>(d, a, b, last); break;
    case FOP_GT: loop2<Gt>(d, a, b, last); break;
    case FOP_GE: loop2<Ge>(d, a, b, last); break;
    case FOP_SELECT: loop3<Select>(d, a, b, c, last); break;
    case FOP_MASK_TO_F32: loop1<MaskToF32>(d, a, last); break;
    case FOP_F32_TO_MASK: loop1<F32ToMask>(d, a, last); break;
  }
}

/**
 * Runs a fused program. `params` (i32 words): nIn, nOut, nInstr, outer, inner, regs (scratch of
 * nRegs * TILE * 4 bytes, 16-aligned), nRegs; per input: ptr, layout, type; per output: ptr, reg,
 * type, direct (the register is the output's alone: f32 tiles are computed in place); per
 * instruction: op, dst, a, b, c, imm (f32 bits).
 */
export function f32_fused_vm_wasmsimd(params: usize): void {
  const nIn = word(params, 0), nOut = word(params, 1), nInstr = word(params, 2);
  const outer = word(params, 3), inner = word(params, 4);
  const regs = <usize>word(params, 5), nRegs = word(params, 6);
  const ins = params + 28, outs = ins + <usize>(nIn * 12), code = outs + <usize>(nOut * 16);
  for (let r = 0; r < nRegs; r++) setReg(r, tile(regs, r));
  // Constant registers are filled once.
  for (let i = 0; i < nInstr; i++) {
    const w = code + <usize>(i * 24);
    if (load<i32>(w) != FOP_CONST) continue;
    const v = f32x4.splat(load<f32>(w, 20)), t = tile(regs, load<i32>(w, 4));
    for (let j = 0; j < TILE; j += 4) v128.store(t + (<usize>j << 2), v);
  }
  for (let o = 0; o < outer; o++) {
    // Inputs constant over the row: splat once into their tiles.
    for (let k = 0; k < nIn; k++) {
      const p = <usize>word(ins, k * 3), layout = word(ins, k * 3 + 1), ty = word(ins, k * 3 + 2);
      if (layout == LAYOUT_FULL || layout == LAYOUT_ROW) continue;
      const q = layout == LAYOUT_SCALAR ? p : p + <usize>(ty == FTYPE_F32 ? o << 2 : o);
      const v = ty == FTYPE_F32 ? v128.load32_splat(q) : i32x4.ne(i32x4.splat(<i32>load<u8>(q)), i32x4.splat(0));
      const t = tile(regs, k);
      for (let j = 0; j < TILE; j += 4) v128.store(t + (<usize>j << 2), v);
    }
    const rowBase = <usize>o * <usize>inner;
    for (let s = 0; s < inner; ) {
      let t = min(TILE, inner - s);
      // The last tile of a long row slides back to a whole one.
      if (t < TILE && inner >= TILE) { s = inner - TILE; t = TILE; }
      runTile(ins, outs, code, nIn, nOut, nInstr, regs, rowBase + <usize>s, <usize>s, t);
      s += t;
    }
  }
}

/** One tile of t elements at element `at` of the output (`rowAt` within the row). */
function runTile(ins: usize, outs: usize, code: usize, nIn: i32, nOut: i32, nInstr: i32, regs: usize, at: usize, rowAt: usize, t: i32): void {
  // Fewer than 4 elements (a row shorter than a vector): staged through the tiles.
  const staged = t < 4;
  const nv = (t + 3) >> 2;
  const last: usize = staged ? 0 : <usize>(t - 4) << 2;
  for (let k = 0; k < nIn; k++) {
    const p = <usize>word(ins, k * 3), layout = word(ins, k * 3 + 1), ty = word(ins, k * 3 + 2);
    if (layout != LAYOUT_FULL && layout != LAYOUT_ROW) continue;
    const e = layout == LAYOUT_FULL ? at : rowAt;
    const tl = tile(regs, k);
    if (ty == FTYPE_F32) {
      if (staged) { memory.copy(tl, p + (e << 2), <usize>t << 2); setReg(k, tl); } else setReg(k, p + (e << 2));
    } else {
      if (staged) {
        for (let i = 0; i < t; i++) store<i32>(tl + (<usize>i << 2), load<u8>(p + e + <usize>i) != 0 ? -1 : 0);
      } else {
        for (let j = 0; j < nv; j++) { const ob = min(<usize>j << 2, last >> 2); v128.store(tl + (ob << 2), maskOf(p + e + ob)); }
      }
    }
  }
  // f32 outputs with a register of their own are written in place when not staged.
  for (let k = 0; k < nOut; k++) {
    const w = outs + <usize>(k * 16);
    const r = load<i32>(w, 4);
    if (load<i32>(w, 12)) setReg(r, load<i32>(w, 8) == FTYPE_F32 && !staged ? <usize>load<i32>(w) + (at << 2) : tile(regs, r));
  }
  for (let i = 0; i < nInstr; i++) {
    const w = code + <usize>(i * 24);
    const op = load<i32>(w);
    if (op != FOP_CONST) runOp(op, regPtr(load<i32>(w, 4)), regPtr(load<i32>(w, 8)), regPtr(load<i32>(w, 12)), regPtr(load<i32>(w, 16)), last);
  }
  for (let k = 0; k < nOut; k++) {
    const w = outs + <usize>(k * 16);
    const p = <usize>load<i32>(w), ty = load<i32>(w, 8);
    const src = regPtr(load<i32>(w, 4));
    if (ty == FTYPE_F32) {
      if (staged || !load<i32>(w, 12)) memory.copy(p + (at << 2), src, <usize>t << 2);
    } else if (staged) {
      for (let i = 0; i < t; i++) store<u8>(p + at + <usize>i, load<i32>(src + (<usize>i << 2)) != 0 ? 1 : 0);
    } else {
      for (let j = 0; j < nv; j++) { const ob = min(<usize>j << 2, last >> 2); storeMask(p + at + ob, v128.load(src + (ob << 2))); }
    }
  }
}
