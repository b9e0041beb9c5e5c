// The code generator: a fused program plus its operands' layouts -> one WebAssembly function
// `run(outer, inner, in0.., out0..)` over an [outer, inner] iteration space, a v128 loop per row
// unrolled by two (the second vector through the memory offsets). The last vector of a row
// overlaps the one before it (rows of 4 or more), shorter rows go lane by lane through v128 lane
// loads and stores: tails stay in SIMD. Transcendentals are inlined.
import * as F from '../../../assembly/fused/fused-ops.js';
import type { FType, Program } from './program.js';
import { FuserError } from './errors.js';
import { FnBuilder, OP, SIMD as S, moduleBytes } from './wasm-binary.js';
import { emitExp, emitExpm1, emitLog, emitLog1p, emitMaxMin, emitSigmoid, emitTanh } from './vmath-emit.js';

export type Layout = typeof F.LAYOUT_FULL | typeof F.LAYOUT_ROW | typeof F.LAYOUT_COL | typeof F.LAYOUT_SCALAR;

const BINARY: Record<number, number> = {
  [F.FOP_ADD]: S.f32x4Add, [F.FOP_SUB]: S.f32x4Sub, [F.FOP_MUL]: S.f32x4Mul, [F.FOP_DIV]: S.f32x4Div,
  [F.FOP_PMAX]: S.f32x4Pmax, [F.FOP_PMIN]: S.f32x4Pmin,
  [F.FOP_EQ]: S.f32x4Eq, [F.FOP_NE]: S.f32x4Ne, [F.FOP_LT]: S.f32x4Lt, [F.FOP_LE]: S.f32x4Le, [F.FOP_GT]: S.f32x4Gt, [F.FOP_GE]: S.f32x4Ge,
};
const UNARY: Record<number, number> = {
  [F.FOP_NEG]: S.f32x4Neg, [F.FOP_ABS]: S.f32x4Abs, [F.FOP_SQRT]: S.f32x4Sqrt,
  [F.FOP_FLOOR]: S.f32x4Floor, [F.FOP_CEIL]: S.f32x4Ceil, [F.FOP_TRUNC]: S.f32x4Trunc, [F.FOP_ROUND]: S.f32x4Nearest,
};
const MATH: Record<number, (f: FnBuilder, x: number) => number> = {
  [F.FOP_EXP]: emitExp, [F.FOP_LOG]: emitLog, [F.FOP_SIGMOID]: emitSigmoid, [F.FOP_TANH]: emitTanh,
  [F.FOP_EXPM1]: emitExpm1, [F.FOP_LOG1P]: emitLog1p,
};

/** Bytes per element in memory. */
const size = (t: FType) => (t === 'f32' ? 4 : 1);

/** Emits one instruction; returns the local holding its result. */
function emitInstr(f: FnBuilder, op: number, a: number, b: number, c: number, imm: number): number {
  if (op === F.FOP_CONST) return f.constF32(imm);
  if (op in BINARY) return f.vop(BINARY[op], a, b);
  if (op in UNARY) return f.vop(UNARY[op], a);
  if (op in MATH) return MATH[op](f, a);
  switch (op) {
    case F.FOP_MAX: return emitMaxMin(f, S.f32x4Pmax, a, b);
    case F.FOP_MIN: return emitMaxMin(f, S.f32x4Pmin, a, b);
    case F.FOP_SELECT: return f.vop(S.bitselect, b, c, a);
    case F.FOP_MASK_TO_F32: return f.vop(S.and, a, f.constF32(1));
    case F.FOP_F32_TO_MASK: return f.vop(S.f32x4Ne, a, f.constF32(0));
  }
  throw new FuserError(`fuser codegen: no code for op ${op}`);
}

/** Lanes of bool bytes (4 in the low 32 bits) -> mask. */
function bytesToMask(f: FnBuilder): void {
  f.simd(S.i16x8ExtendLowI8x16U).simd(S.i32x4ExtendLowI16x8U);
  const zero = f.constBits(0);
  f.get(zero).simd(S.i32x4Ne);
}

/** Mask local -> 4 bytes of 0/1 in the low lanes, left on the stack. */
function maskToBytes(f: FnBuilder, m: number): void {
  const b = f.vop(S.and, m, f.constBits(1));
  f.get(b).get(b).simd(S.i16x8NarrowI32x4U);
  const h = f.v128();
  f.set(h).get(h).get(h).simd(S.i8x16NarrowI16x8U);
}

interface Ctx {
  f: FnBuilder;
  prog: Program;
  layouts: readonly Layout[];
  /** Per input: the pointer local (FULL/ROW) or the splatted value local (COL/SCALAR). */
  inLocal: number[];
  outPtr: number[];
  inner: number;
}

/** Loads input k at its pointer + `at` elements: a whole vector, or `inner` (< 4) lanes. */
function loadInput(c: Ctx, k: number, partial: boolean, at: number): number {
  const { f } = c;
  const p = c.inLocal[k], ty = c.prog.inputs[k];
  if (!partial) {
    f.get(p);
    if (ty === 'f32') f.simd(S.load, ...f.memarg(2, 4 * at));
    else { f.simd(S.load32Zero, ...f.memarg(0, at)); bytesToMask(f); }
  } else {
    const v = f.v128();
    f.get(f.constBits(0)).set(v);
    for (let j = 0; j < 3 + 1; j++) {
      f.get(c.inner).i32Const(j).op(OP.i32GtS, OP.if, 0x40);
      f.get(p).get(v);
      if (ty === 'f32') f.simd(S.load32Lane, ...f.memarg(2, 4 * j), j);
      else f.simd(S.load8Lane, ...f.memarg(0, j), j);
      f.set(v).op(OP.end);
    }
    f.get(v);
    if (ty === 'bool') bytesToMask(f);
  }
  const r = f.v128();
  f.set(r);
  return r;
}

function storeOutput(c: Ctx, j: number, val: number, partial: boolean, at: number): void {
  const { f } = c;
  const q = c.outPtr[j], ty = c.prog.outputs[j].type;
  let v = val;
  if (ty === 'bool') {
    maskToBytes(f, val);
    v = f.v128();
    f.set(v);
  }
  if (!partial) {
    f.get(q).get(v);
    if (ty === 'f32') f.simd(S.store, ...f.memarg(2, 4 * at));
    else f.simd(S.store32Lane, ...f.memarg(0, at), 0);
    return;
  }
  for (let l = 0; l < 4; l++) {
    f.get(c.inner).i32Const(l).op(OP.i32GtS, OP.if, 0x40);
    f.get(q).get(v);
    if (ty === 'f32') f.simd(S.store32Lane, ...f.memarg(2, 4 * l), l);
    else f.simd(S.store8Lane, ...f.memarg(0, l), l);
    f.op(OP.end);
  }
}

/** One vector of the program at the current pointers + `at` elements. */
function emitBody(c: Ctx, partial: boolean, at = 0): void {
  const regs: number[] = c.prog.inputs.map((_, k) =>
    c.layouts[k] === F.LAYOUT_FULL || c.layouts[k] === F.LAYOUT_ROW ? loadInput(c, k, partial, at) : c.inLocal[k]);
  for (const ins of c.prog.instrs) regs.push(emitInstr(c.f, ins.op, regs[ins.a], regs[ins.b], regs[ins.c], ins.imm));
  c.prog.outputs.forEach((o, j) => storeOutput(c, j, regs[o.reg], partial, at));
}

/** Moves every vector pointer by the element count that `by` pushes (times its element size). */
function bump(c: Ctx, by: (f: FnBuilder) => void, sign: 1 | -1): void {
  const { f } = c;
  const move = (p: number, ty: FType) => {
    f.get(p);
    by(f);
    if (size(ty) === 4) f.i32Const(2).op(OP.i32Shl);
    f.op(sign > 0 ? OP.i32Add : OP.i32Sub).set(p);
  };
  c.prog.inputs.forEach((ty, k) => { if (c.layouts[k] === F.LAYOUT_FULL || c.layouts[k] === F.LAYOUT_ROW) move(c.inLocal[k], ty); });
  c.prog.outputs.forEach((o, j) => move(c.outPtr[j], o.type));
}

/** The module bytes for `prog` with these input layouts. */
export function generate(prog: Program, layouts: readonly Layout[]): Uint8Array {
  const nIn = prog.inputs.length, nOut = prog.outputs.length;
  // Params: outer, inner, input pointers, output pointers.
  const f = new FnBuilder(2 + nIn + nOut, 3 + nIn + nOut);
  const OUTER = 0, INNER = 1, param = (i: number) => 2 + i;
  const o = f.i32(), i = f.i32(), row = f.i32();
  const c: Ctx = { f, prog, layouts, inLocal: [], outPtr: [], inner: INNER };
  prog.inputs.forEach((ty, k) => {
    const l = layouts[k];
    if (l === F.LAYOUT_FULL || l === F.LAYOUT_ROW) c.inLocal[k] = f.i32();
    else c.inLocal[k] = f.v128();
    if (l === F.LAYOUT_SCALAR) splatInput(f, ty, () => f.get(param(k)), c.inLocal[k]);
  });
  prog.outputs.forEach(() => c.outPtr.push(f.i32()));

  const ptrAt = (base: number, ty: FType, elems: number | null, dst: number) => {
    f.get(base);
    if (elems !== null) {
      f.get(elems);
      if (size(ty) === 4) f.i32Const(2).op(OP.i32Shl);
      f.op(OP.i32Add);
    }
    f.set(dst);
  };

  f.i32Const(0).set(o);
  f.op(OP.block, 0x40, OP.loop, 0x40);
  f.get(o).get(OUTER).op(OP.i32GeS, OP.brIf, 1);
  f.get(o).get(INNER).op(OP.i32Mul).set(row);
  prog.inputs.forEach((ty, k) => {
    const l = layouts[k];
    if (l === F.LAYOUT_FULL) ptrAt(param(k), ty, row, c.inLocal[k]);
    else if (l === F.LAYOUT_ROW) ptrAt(param(k), ty, null, c.inLocal[k]);
    else if (l === F.LAYOUT_COL) splatInput(f, ty, () => { f.get(param(k)).get(o); if (ty === 'f32') f.i32Const(2).op(OP.i32Shl); f.op(OP.i32Add); }, c.inLocal[k]);
  });
  prog.outputs.forEach((out, j) => ptrAt(param(nIn + j), out.type, row, c.outPtr[j]));
  f.i32Const(0).set(i);
  // block $row { block $pairs { loop { if i + 8 > inner: break; body x2; bump; i += 8 } }
  //   if i + 4 <= inner { body; bump; i += 4 }; tail }
  f.op(OP.block, 0x40, OP.block, 0x40, OP.loop, 0x40);
  f.get(i).i32Const(8).op(OP.i32Add).get(INNER).op(OP.i32GtS, OP.brIf, 1);
  emitBody(c, false, 0);
  emitBody(c, false, 4);
  bump(c, (g) => g.i32Const(8), 1);
  f.get(i).i32Const(8).op(OP.i32Add).set(i);
  f.op(OP.br, 0, OP.end, OP.end);
  f.get(i).i32Const(4).op(OP.i32Add).get(INNER).op(OP.i32LeS, OP.if, 0x40);
  emitBody(c, false);
  bump(c, (g) => g.i32Const(4), 1);
  f.get(i).i32Const(4).op(OP.i32Add).set(i);
  f.op(OP.end);
  f.get(i).get(INNER).op(OP.i32GeS, OP.brIf, 0);
  f.get(INNER).i32Const(4).op(OP.i32GeS, OP.if, 0x40);
  // Step back so the last vector ends at the row's end: i + 4 - inner elements.
  bump(c, (g) => g.get(i).i32Const(4).op(OP.i32Add).get(INNER).op(OP.i32Sub), -1);
  emitBody(c, false);
  f.op(OP.else);
  emitBody(c, true);
  f.op(OP.end, OP.end);
  f.get(o).i32Const(1).op(OP.i32Add).set(o);
  f.op(OP.br, 0, OP.end, OP.end);
  return moduleBytes(f);
}

/** local = the element at the address left by `addr`, splatted (a mask for bool). */
function splatInput(f: FnBuilder, ty: FType, addr: () => void, local: number): void {
  addr();
  if (ty === 'f32') f.simd(S.load32Splat, ...f.memarg(2));
  else { f.simd(S.load8Splat, ...f.memarg(0)); f.get(f.constBits(0)).simd(S.i8x16Ne); }
  f.set(local);
}
